import type { JsonValue } from '../stix/types.js';

export type AgreementChange =
  | { op: 'added'; path: string; value: JsonValue }
  | { op: 'removed'; path: string; value: JsonValue }
  | { op: 'changed'; path: string; from: JsonValue; to: JsonValue };

/**
 * Field-by-field changes from one agreement version to the next, in document order. Lists of
 * scalars (types, labels) are compared as sets so reordering is not reported as a change;
 * conditions are matched by id so editing one condition does not look like replacing all.
 */
export function diffAgreements(a: JsonValue, b: JsonValue, path = ''): AgreementChange[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (isRecord(a) && isRecord(b)) {
    const out: AgreementChange[] = [];
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const p = path ? `${path}.${key}` : key;
      const av = a[key];
      const bv = b[key];
      if (av === undefined && bv !== undefined) out.push({ op: 'added', path: p, value: bv });
      else if (bv === undefined && av !== undefined) out.push({ op: 'removed', path: p, value: av });
      else if (av !== undefined && bv !== undefined) out.push(...diffAgreements(av, bv, p));
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.every(isScalar) && b.every(isScalar)) {
      const as = new Set(a.map((v) => JSON.stringify(v)));
      const bs = new Set(b.map((v) => JSON.stringify(v)));
      return [
        ...b.filter((v) => !as.has(JSON.stringify(v))).map((v) => ({ op: 'added' as const, path, value: v })),
        ...a
          .filter((v) => !bs.has(JSON.stringify(v)))
          .map((v) => ({ op: 'removed' as const, path, value: v })),
      ];
    }
    if (a.every(hasId) && b.every(hasId)) {
      const out: AgreementChange[] = [];
      const byId = new Map(a.map((v) => [v.id, v]));
      const seen = new Set<string>();
      for (const bv of b) {
        const av = byId.get(bv.id);
        const p = `${path}[id=${bv.id}]`;
        seen.add(bv.id);
        if (av === undefined) out.push({ op: 'added', path: p, value: bv });
        else out.push(...diffAgreements(av, bv, p));
      }
      for (const av of a)
        if (!seen.has(av.id)) out.push({ op: 'removed', path: `${path}[id=${av.id}]`, value: av });
      return out;
    }
  }
  return [{ op: 'changed', path, from: a, to: b }];
}

function isRecord(v: JsonValue): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: JsonValue): boolean {
  return v === null || typeof v !== 'object';
}

function hasId(v: JsonValue): v is { id: string; [key: string]: JsonValue } {
  return isRecord(v) && typeof v.id === 'string';
}

export function formatAgreementChanges(changes: readonly AgreementChange[]): string {
  if (changes.length === 0) return 'no changes';
  return changes
    .map((c) => {
      if (c.op === 'changed') return `~ ${c.path}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`;
      return `${c.op === 'added' ? '+' : '-'} ${c.path}: ${JSON.stringify(c.value)}`;
    })
    .join('\n');
}
