import type { Command } from 'commander';
import type { HubState } from '../app/hub-state.js';
import type { AssuranceSpec } from '../policy/agreement-types.js';
import type { ConditionState } from '../policy/condition-types.js';
import { loadPartnerFacts } from '../release/release-facts.js';
import type { AssuranceAttestation, ConditionEvent } from '../store/hub/condition-events.js';
import type { Partner } from '../store/hub/partner-store.js';
import { DATA_OPTION, type DataOption, parseTimeOption, requireReason, TIME_FORMS } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { partnerReadCommand, requirePartner, withHubState } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';
import { registerConditionHistory } from './condition-history-command.js';
import { registerConditionImpact } from './condition-impact-command.js';

interface AttestOptions extends DataOption {
  id?: string;
  issuer?: string;
  evidence?: string[];
  grade?: string;
  validFrom?: string;
  validUntil?: string;
  reviewDue?: string;
  note?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

async function requireAssurance(state: HubState, p: Partner, id: string | undefined): Promise<AssuranceSpec> {
  if (id === undefined) throw usageError('--id is required for an assurance, e.g. --id hr-1');
  const agreement = await state.agreements.latest(p.id);
  if (!agreement) throw new CliError(`partner ${p.name} has no agreement, so it has no assurances to attest`);
  const assurances = agreement.body.conditions.filter((c): c is AssuranceSpec => c.kind === 'assurance');
  const found = assurances.find((c) => c.id === id);
  if (!found) {
    throw new CliError(
      `--id ${id}: agreement v${agreement.version} of ${p.name} has no assurance with that id (assurances: ${assurances.map((c) => c.id).join(', ') || 'none'})`,
    );
  }
  return found;
}

function readAttestation(opts: AttestOptions): AssuranceAttestation {
  const from = parseTimeOption(opts.validFrom, '--valid-from');
  const until = parseTimeOption(opts.validUntil, '--valid-until');
  const review = parseTimeOption(opts.reviewDue, '--review-due');
  if (from && until && from >= until) throw usageError('--valid-until must be later than --valid-from');
  if (opts.grade !== undefined && !/^[A-F][1-6]$/.test(opts.grade)) {
    throw usageError(
      `--grade "${opts.grade}" must be an Admiralty grade: source A-F then information 1-6, e.g. B2`,
    );
  }
  for (const [name, v] of [
    ['--issuer', opts.issuer],
    ...(opts.evidence ?? []).map((e) => ['--evidence', e] as const),
  ] as const) {
    if (v !== undefined && (v.length === 0 || v.length > 1000))
      throw usageError(`${name} must be 1-1000 characters`);
  }
  return {
    ...(opts.issuer !== undefined && { issuer: opts.issuer }),
    ...(opts.evidence !== undefined && { evidence: opts.evidence }),
    ...(opts.grade !== undefined && { grade: opts.grade }),
    ...(from && { valid_from: from.toISOString() }),
    ...(until && { valid_until: until.toISOString() }),
    ...(review && { review_due: review.toISOString() }),
  };
}

export function formatConditionStates(states: readonly ConditionState[]): string {
  if (states.length === 0) return 'no conditions (the partner has no agreement)';
  return states
    .map(
      (c) =>
        `${c.id.padEnd(12)} ${c.status.padEnd(7)} ${c.changes_at ? `changes ${c.changes_at}  ` : ''}${c.reason}`,
    )
    .join('\n');
}

// A partner name in a suggested command, quoted for the shell when it has a space.
const shellArg = (name: string) => (/^[A-Za-z0-9._-]+$/.test(name) ? name : `'${name}'`);

/** One line of `condition history`: what happened, in words, then who and why. */
export function formatConditionEvent(e: ConditionEvent): string {
  const what = {
    attest: `attested assurance ${e.condition_id}${attestedTerms(e.detail)}`,
    revoke: `revoked assurance ${e.condition_id}`,
    review: 'reviewed the agreement',
    suspend: 'suspended releases',
    resume: 'resumed releases',
    open: `opened breach ${e.condition_id}`,
    close: `closed breach ${e.condition_id}`,
  }[e.action];
  return `${e.at}  ${what}  by ${e.actor}${e.reason ? `: ${e.reason}` : ''}`;
}

function attestedTerms(detail: ConditionEvent['detail']): string {
  const terms = [
    typeof detail.valid_from === 'string' && `from ${detail.valid_from}`,
    typeof detail.valid_until === 'string' && `until ${detail.valid_until}`,
    typeof detail.grade === 'string' && `grade ${detail.grade}`,
  ].filter((t): t is string => typeof t === 'string');
  return terms.length > 0 ? ` (${terms.join(', ')})` : '';
}

export function registerCondition(program: Command): void {
  const condition = program
    .command('condition')
    .description('the conditions releases to a partner depend on');

  condition
    .command('attest <partner> <kind>')
    .description('record an assurance (with evidence, grade and dates) or a review of the agreement')
    .option('--id <id>', "the assurance's id in the agreement, e.g. hr-1")
    .option('--issuer <text>', 'who gave the assurance')
    .option('--evidence <ref>', 'a reference to the evidence (repeatable)', collect)
    .option('--grade <grade>', 'Admiralty grade, e.g. B2')
    .option('--valid-from <time>', `when the assurance starts to hold: ${TIME_FORMS}`)
    .option('--valid-until <time>', `when it stops holding: ${TIME_FORMS}`)
    .option('--review-due <time>', `when it must be reviewed: ${TIME_FORMS}`)
    .option('--note <text>', 'a note kept with a review')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action((nameOrId: string, kind: string, opts: AttestOptions) =>
      withHubState(opts, 'condition.attest', async (state, actor) => {
        const p = await requirePartner(state, nameOrId);
        const events = state.conditions;
        const ctx = { actor: actor.name, now: new Date() };
        let seq: number;
        if (kind === 'assurance') {
          const spec = await requireAssurance(state, p, opts.id);
          seq = await events.attestAssurance(p.id, spec.id, readAttestation(opts), ctx);
        } else if (kind === 'review') {
          seq = await events.recordReview(p.id, opts.note, ctx);
        } else if (kind === 'reciprocity') {
          throw usageError(
            'reciprocity is measured from the feedback the partner sends; it cannot be attested',
          );
        } else if (kind === 'suspension' || kind === 'breach') {
          throw usageError(
            kind === 'suspension'
              ? `use: tearline condition suspend|resume ${shellArg(p.name)} --reason TEXT`
              : `use: tearline breach open ${shellArg(p.name)} --reason TEXT (close: breach close ${shellArg(p.name)} ID --reason TEXT)`,
          );
        } else {
          throw usageError(`KIND "${kind}" must be assurance or review`);
        }
        if (opts.json) printJson({ partner: p.name, kind, event: seq });
        else
          process.stdout.write(
            `recorded ${kind}${opts.id ? ` ${opts.id}` : ''} for ${p.name} (event ${seq})\n`,
          );
      }),
    );

  condition
    .command('revoke <partner> <id>')
    .description('revoke an assurance: it is unmet until attested again')
    .requiredOption('--reason <text>', 'why')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action((nameOrId: string, id: string, opts: DataOption & { reason: string; json?: boolean }) =>
      withHubState(opts, 'condition.attest', async (state, actor) => {
        const reason = requireReason(opts.reason, 'revoke it');
        const p = await requirePartner(state, nameOrId);
        const spec = await requireAssurance(state, p, id);
        const seq = await state.conditions.revokeAssurance(p.id, spec.id, reason, {
          actor: actor.name,
          now: new Date(),
        });
        if (opts.json) printJson({ partner: p.name, id: spec.id, revoked: true, event: seq });
        else process.stdout.write(`revoked ${spec.id} for ${p.name}\n`);
      }),
    );

  for (const [name, on] of [
    ['suspend', true],
    ['resume', false],
  ] as const) {
    condition
      .command(`${name} <partner>`)
      .description(
        on ? 'turn the suspension switch on: nothing is released' : 'turn the suspension switch off',
      )
      .requiredOption('--reason <text>', 'why')
      .option(...DATA_OPTION)
      .option(...JSON_OPTION)
      .action((nameOrId: string, opts: DataOption & { reason: string; json?: boolean }) =>
        withHubState(opts, 'condition.suspend', async (state, actor) => {
          const reason = requireReason(opts.reason, `${name} releases`);
          const p = await requirePartner(state, nameOrId);
          await state.conditions.setSuspension(p.id, on, reason, {
            actor: actor.name,
            now: new Date(),
          });
          if (opts.json) printJson({ partner: p.name, suspended: on });
          else process.stdout.write(`${p.name}: suspension ${on ? 'on' : 'off'}\n`);
        }),
      );
  }

  partnerReadCommand<{ at?: string }>(
    condition,
    'list',
    'each condition: met/unmet/unknown, why, and when that changes',
    async (state, p, opts) => {
      const at = parseTimeOption(opts.at, '--at') ?? new Date();
      const facts = await loadPartnerFacts(state, p, at.getTime());
      if (opts.json) {
        return printJson({
          partner: p.name,
          at: at.toISOString(),
          agreement_version: facts.agreement?.version ?? null,
          conditions: facts.conditions,
        });
      }
      process.stdout.write(`${formatConditionStates(facts.conditions)}\n`);
    },
  ).option('--at <time>', `evaluate at this time instead of now: ${TIME_FORMS}`);

  registerConditionImpact(condition);
  registerConditionHistory(condition);

  partnerReadCommand(
    condition,
    'history',
    'every attestation, revocation, review, suspension and breach event, in order',
    async (state, p, opts) => {
      const events = await state.conditions.list(p.id);
      if (opts.json) return printJson(events);
      for (const e of events) process.stdout.write(`${formatConditionEvent(e)}\n`);
    },
  );
}
