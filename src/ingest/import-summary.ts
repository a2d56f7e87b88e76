import type { ValidationIssue } from '../stix/validation-types.js';

export interface RejectionReport {
  location: string;
  id?: string;
  errors: ValidationIssue[];
}

export interface ConflictReport {
  location: string;
  id: string;
  version: string;
}

/** What one import did. Lists are capped (`*_shown`); the counts are exact. */
export interface ImportSummary {
  source: string;
  read: number;
  added: number;
  new_versions: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
  warnings: number;
  rejections: RejectionReport[];
  conflict_list: ConflictReport[];
  /** The marking given at import, and how many stored object versions got it. */
  marking?: { id: string; marked: number };
}

export const MAX_LISTED = 100;

export function emptySummary(source: string): ImportSummary {
  return {
    source,
    read: 0,
    added: 0,
    new_versions: 0,
    duplicates: 0,
    conflicts: 0,
    rejected: 0,
    warnings: 0,
    rejections: [],
    conflict_list: [],
  };
}

export function formatRejection(r: RejectionReport): string {
  const who = r.id ? `${r.location} ${r.id}` : r.location;
  return r.errors.map((e) => `${who}: ${e.message}`).join('\n');
}

export function formatSummary(s: ImportSummary): string {
  const lines = [
    `${s.source}: ${s.read} read, ${s.added} added, ${s.new_versions} new versions, ${s.duplicates} duplicates, ` +
      `${s.conflicts} conflicts, ${s.rejected} rejected`,
  ];
  if (s.marking)
    lines.push(`  marking ${s.marking.id} given to ${s.marking.marked} stored object(s) that carried none`);
  for (const c of s.conflict_list) {
    lines.push(
      `  conflict ${c.location} ${c.id} (version ${c.version}): differs from the stored version, kept the stored one`,
    );
  }
  for (const r of s.rejections) {
    for (const line of formatRejection(r).split('\n')) lines.push(`  rejected ${line}`);
  }
  const unlisted = s.rejected - s.rejections.length;
  if (unlisted > 0) lines.push(`  … and ${unlisted} more rejected (see 'tearline quarantine list')`);
  return lines.join('\n');
}
