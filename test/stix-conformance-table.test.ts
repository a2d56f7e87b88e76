import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VALIDATION_CODES } from '../src/stix/validation-codes.js';
import { RULE_CASES } from './stix-rule-cases.js';

const doc = readFileSync(new URL('../docs/stix-conformance.md', import.meta.url), 'utf8');
const catalog = new Set(Object.keys(VALIDATION_CODES));
const sections = doc.split('\n## ');
const mainTable = sections.find((sct) => sct.startsWith('Sections 2 to 7')) ?? '';
// Biome pads the table's columns: cells are read trimmed.
const tableRows = mainTable.split('\n').filter((l) => /^\| \d+ +\| /.test(l));
const cellsOf = (row: string) =>
  row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
/** Backticked kebab-case words in the rule columns of every table. */
const named = new Set(
  doc
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .flatMap((l) => [...l.matchAll(/`([a-z]+(?:-[a-z0-9]+)*)`/g)].map((m) => m[1] as string))
    .filter(
      (w) => catalog.has(w) || /^(not|invalid|missing|should|custom|unknown|bundle|duplicate)-/.test(w),
    ),
);

describe('docs/stix-conformance.md stays true to the validator', () => {
  it('has a row for every normative sentence of sections 2 to 7 (over 400)', () => {
    expect(tableRows.length).toBeGreaterThan(400);
  });

  it('names only rule codes the validator has', () => {
    expect([...named].filter((c) => !catalog.has(c))).toEqual([]);
  });

  it('names every rule code the validator has', () => {
    expect([...catalog].filter((c) => !named.has(c))).toEqual([]);
  });

  it('every row has a rule or says why it is not checked', () => {
    for (const row of tableRows) {
      const cells = cellsOf(row);
      const rule = cells[4] ?? '';
      const why = cells[5] ?? '';
      expect(rule === '—' ? why.length > 20 : /`[a-z-]+`/.test(rule), row).toBe(true);
    }
  });

  it('every rule code has a case that proves it (test/stix-rule-cases.ts)', () => {
    const proved = new Set<string>(RULE_CASES.map((c) => c.code));
    expect([...catalog].filter((c) => !proved.has(c))).toEqual([]);
  });
});
