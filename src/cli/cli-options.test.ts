import { Command } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConditionEvent } from '../store/hub/condition-events.js';
import { parseTimeOption } from './cli-arguments.js';
import { CliError } from './cli-error.js';
import { markRequiredOptions } from './cli-help.js';
import { COMMANDS } from './commands.js';
import { formatConditionEvent } from './condition-command.js';
import { readReportPeriod } from './report-command.js';

describe('options that ask for a time', () => {
  it('take a date as midnight UTC, and a timestamp as itself', () => {
    expect(parseTimeOption('2026-12-01', '--valid-from')?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(parseTimeOption('2026-12-01T09:30:00+02:00', '--at')?.toISOString()).toBe(
      '2026-12-01T07:30:00.000Z',
    );
    expect(parseTimeOption(undefined, '--at')).toBeUndefined();
  });

  it('property: every calendar day YYYY-MM-DD reads as that day at 00:00:00Z', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          expect(parseTimeOption(day, '--at')?.toISOString()).toBe(`${day}T00:00:00.000Z`);
        },
      ),
    );
  });

  it('refuse days that do not exist and other shapes, naming the option and the forms (exit 2)', () => {
    for (const bad of [
      '2026-02-30',
      '2026-13-01',
      '2026-02-30T00:00:00Z',
      'yesterday',
      '2026-12-01 10:00',
      '1 Dec 2026',
    ]) {
      let caught: unknown;
      try {
        parseTimeOption(bad, '--valid-from');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(CliError);
      expect((caught as CliError).exitCode).toBe(2);
      expect((caught as CliError).message).toContain(
        `--valid-from "${bad}" must be a date (midnight UTC) or an RFC 3339 timestamp`,
      );
    }
  });
});

describe('report disclosures period', () => {
  it('a date as --to includes that whole day, so --from D --to D is the day D', () => {
    expect(readReportPeriod('2026-12-06', '2026-12-06')).toEqual({
      from: '2026-12-06T00:00:00.000Z',
      to: '2026-12-07T00:00:00.000Z',
    });
  });

  it('a timestamp as --to is the exclusive end itself; an empty or reversed period is refused', () => {
    expect(readReportPeriod('2026-12-06', '2026-12-06T12:00:00Z').to).toBe('2026-12-06T12:00:00.000Z');
    expect(() => readReportPeriod('2026-12-07', '2026-12-06')).toThrow('--from 2026-12-07 must be before');
    expect(() => readReportPeriod('2026-12-06T12:00:00Z', '2026-12-06T12:00:00Z')).toThrow(CliError);
  });
});

describe('condition history lines', () => {
  const event = (e: Partial<ConditionEvent>): ConditionEvent => ({
    seq: 1,
    partner_id: 'identity--x',
    kind: 'suspension',
    condition_id: 'suspension',
    action: 'suspend',
    at: '2026-12-01T10:00:00.000Z',
    actor: 'officer-1',
    detail: {},
    ...e,
  });

  it('say what happened in words, not "suspend suspension suspension"', () => {
    const line = formatConditionEvent(event({ reason: 'press reports' }));
    expect(line).toBe('2026-12-01T10:00:00.000Z  suspended releases  by officer-1: press reports');
    expect(formatConditionEvent(event({ action: 'resume', reason: 'cleared' }))).toContain(
      'resumed releases  by officer-1: cleared',
    );
    expect(
      formatConditionEvent(
        event({
          kind: 'assurance',
          condition_id: 'hr-1',
          action: 'attest',
          detail: { valid_from: '2026-12-01T00:00:00.000Z', grade: 'B2' },
        }),
      ),
    ).toContain('attested assurance hr-1 (from 2026-12-01T00:00:00.000Z, grade B2)  by officer-1');
    expect(formatConditionEvent(event({ kind: 'breach', condition_id: 'B1', action: 'open' }))).toContain(
      'opened breach B1',
    );
    expect(
      formatConditionEvent(event({ kind: 'review', condition_id: 'review', action: 'review' })),
    ).toContain('reviewed the agreement');
  });
});

describe('help for required options', () => {
  it('every mandatory option of every command says (required) in its help', async () => {
    const program = new Command('tearline');
    for (const entry of COMMANDS) (await entry.load())(program);
    markRequiredOptions(program);
    const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
    let mandatory = 0;
    for (const cmd of all(program)) {
      const help = cmd.helpInformation();
      for (const o of cmd.options) {
        const line = help.split('\n').find((l) => l.trimStart().startsWith(o.flags));
        expect(line, `${cmd.name()} ${o.flags}`).toBeDefined();
        if (!o.mandatory) continue;
        expect(line, `${cmd.name()} ${o.flags}`).toContain('(required)');
        mandatory++;
      }
    }
    expect(mandatory).toBeGreaterThan(10);
    markRequiredOptions(program); // twice is once
    const resume = program.commands
      .find((c) => c.name() === 'condition')
      ?.commands.find((c) => c.name() === 'resume');
    expect(resume?.helpInformation()).toMatch(/--reason <text>\s+\(required\) why/);
    expect(resume?.helpInformation()).not.toContain('(required) (required)');
    const attest = program.commands
      .find((c) => c.name() === 'condition')
      ?.commands.find((c) => c.name() === 'attest');
    expect(attest?.helpInformation()).not.toContain('(required)');
  });
});
