import { canonicalJson } from './ledger-canonical-json.js';
import { fail, type LedgerResult } from './ledger-result.js';

/** Largest canonical entry accepted: entries carry digests and reasons, never intel itself. */
export const MAX_ENTRY_BYTES = 64 * 1024;

export type FieldType = 'string' | 'strings' | 'count' | 'approvals' | 'time';

/**
 * Each kind declares its own fields (besides kind, time, actor and an optional free-form
 * `details` object). Adding a kind means adding a line here and a type below.
 */
export const ENTRY_FIELDS = {
  release: {
    release_id: 'string',
    partner: 'string',
    derived_id: 'string',
    original_id: 'string',
    original_version: 'string',
    agreement_version: 'string',
    reasons: 'strings',
    approvals: 'approvals',
    tearline_digest: 'string',
  },
  recall: { release_id: 'string', partner: 'string', reason: 'string' },
  approval: { release_id: 'string', partner: 'string', original_id: 'string', original_version: 'string' },
  denial: {
    release_id: 'string',
    partner: 'string',
    original_id: 'string',
    original_version: 'string',
    reason: 'string',
  },
  'agreement-change': { partner: 'string', agreement_version: 'string', change: 'string', digest: 'string' },
  'condition-change': { partner: 'string', condition: 'string', change: 'string', digest: 'string' },
  'partner-change': { partner: 'string', change: 'string', digest: 'string' },
  'user-change': { user: 'string', change: 'string', digest: 'string' },
  'ingest-batch': { source: 'string', count: 'count', digest: 'string' },
  // An analyst's decision on a partner submission: 'promoted' (details.promoted_id names the hub
  // object, whose own ingest-batch entry follows) or 'rejected' (details.reason says why).
  'submission-review': {
    partner: 'string',
    submitted_id: 'string',
    submitted_version: 'string',
    decision: 'string',
  },
  // An analyst's decision on a draft made from an open-source article: 'confirmed' (after
  // the ingest-batch entry of its report and objects; details.report_id names the report) or 'rejected'
  // (details.reason says why). `digest` is the SHA-256 of the article text the draft held.
  'draft-review': { draft_id: 'string', decision: 'string', digest: 'string' },
  'key-rotation': { key_name: 'string', old_key: 'string', new_key: 'string' },
  // The liaison relay (src/relay): digests of sealed envelopes only, never what they carry.
  // On a relay: an envelope taken into a mailbox, and first served to its recipient.
  'relay-envelope': { sender: 'string', recipient: 'string', sequence: 'count', digest: 'string' },
  'relay-delivery': { sender: 'string', recipient: 'string', sequence: 'count', digest: 'string' },
  // On a sender hub: an envelope sealed for a partner reached through a relay.
  'relay-sent': { partner: 'string', relay: 'string', sequence: 'count', digest: 'string' },
  // On a sender hub, before sealing: the bundle an envelope will carry (SHA-256 of its bytes
  // and how many objects), so one receipt proves every object the partner imports from it.
  'relay-bundle': { partner: 'string', sequence: 'count', count: 'count', digest: 'string' },
  // On a recipient hub: an envelope opened and imported.
  'relay-received': { sender: 'string', relay: 'string', sequence: 'count', digest: 'string' },
  // What one partner fetched over TAXII in one period: the (derived id, version) pairs are kept
  // beside the entry (ledger_deliveries); `digest` is the SHA-256 of their canonical list.
  delivery: { partner: 'string', period_start: 'time', period_end: 'time', count: 'count', digest: 'string' },
} as const satisfies Record<string, Record<string, FieldType>>;

export type EntryKind = keyof typeof ENTRY_FIELDS;
export const ENTRY_KINDS = Object.keys(ENTRY_FIELDS) as EntryKind[];

export interface Approval {
  approver: string;
  time: string;
}

type FieldValue<T extends FieldType> = T extends 'string' | 'time'
  ? string
  : T extends 'strings'
    ? string[]
    : T extends 'count'
      ? number
      : Approval[];

/** A JSON value that `details` may hold. */
export type DetailValue = string | number | boolean | null | DetailValue[] | { [key: string]: DetailValue };

/** Every entry has a kind, an RFC 3339 UTC time and an actor; the rest depends on the kind. */
export type LedgerEntry = {
  [K in EntryKind]: { kind: K; time: string; actor: string; details?: { [key: string]: DetailValue } } & {
    -readonly [F in keyof (typeof ENTRY_FIELDS)[K]]: FieldValue<(typeof ENTRY_FIELDS)[K][F] & FieldType>;
  };
}[EntryKind];

export type EntryOf<K extends EntryKind> = Extract<LedgerEntry, { kind: K }>;

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const MAX_TEXT = 4096;

const LONE_SURROGATE = /\p{Cs}/u;

/** Non-empty, bounded, well-formed Unicode (RFC 8785 cannot encode lone surrogates). */
export function isText(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT && !LONE_SURROGATE.test(v);
}

export function checkField(name: string, type: FieldType, v: unknown): string | undefined {
  switch (type) {
    case 'string':
      return isText(v) ? undefined : `${name} must be a non-empty string of at most ${MAX_TEXT} characters`;
    case 'time':
      return typeof v === 'string' && isTime(v) ? undefined : `${name} must be RFC 3339 UTC`;
    case 'strings':
      return Array.isArray(v) && v.every(isText)
        ? undefined
        : `${name} must be an array of non-empty strings`;
    case 'count':
      return Number.isSafeInteger(v) && (v as number) >= 0
        ? undefined
        : `${name} must be a whole number >= 0`;
    case 'approvals':
      return Array.isArray(v) &&
        v.every(
          (a) =>
            typeof a === 'object' &&
            a !== null &&
            Object.keys(a).length === 2 &&
            isText(a.approver) &&
            typeof a.time === 'string' &&
            isTime(a.time),
        )
        ? undefined
        : `${name} must be an array of {"approver": string, "time": RFC 3339 UTC}`;
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * RFC 3339 UTC that names a real instant (no 30 February, no hour 24, no leap second, which
 * JavaScript dates cannot hold). Plain arithmetic: this runs twice per appended entry.
 */
export function isTime(v: string): boolean {
  if (!TIME.test(v)) return false;
  const year = digitsAt(v, 0, 4);
  const month = digitsAt(v, 5, 2);
  const day = digitsAt(v, 8, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  return (
    days !== undefined &&
    day >= 1 &&
    day <= days &&
    digitsAt(v, 11, 2) <= 23 &&
    digitsAt(v, 14, 2) <= 59 &&
    digitsAt(v, 17, 2) <= 59
  );
}

/** The decimal number in v[at, at + length), known to be digits. */
function digitsAt(v: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) n = n * 10 + v.charCodeAt(i) - 48;
  return n;
}

const FIELD_LISTS = Object.fromEntries(
  ENTRY_KINDS.map((kind) => [kind, Object.entries(ENTRY_FIELDS[kind]) as [string, FieldType][]]),
) as Record<EntryKind, [string, FieldType][]>;
const ALLOWED_KEYS = Object.fromEntries(
  ENTRY_KINDS.map((kind) => [
    kind,
    new Set(['kind', 'time', 'actor', 'details', ...Object.keys(ENTRY_FIELDS[kind])]),
  ]),
) as Record<EntryKind, Set<string>>;

/** Checks an entry from any source (caller, database row, export file) field by field. */
export function checkEntry(value: unknown): LedgerResult<{ entry: LedgerEntry }> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('bad-entry', 'an entry must be a JSON object');
  }
  const obj = value as Record<string, unknown>;
  const kind = obj.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(ENTRY_FIELDS, kind)) {
    return fail(
      'bad-entry',
      `entry kind must be one of ${ENTRY_KINDS.join(', ')}; got ${JSON.stringify(kind)}`,
    );
  }
  if (typeof obj.time !== 'string' || !isTime(obj.time)) {
    return fail('bad-entry', `${kind} entry: time must be RFC 3339 UTC such as 2026-01-03T12:00:00Z`);
  }
  if (!isText(obj.actor)) return fail('bad-entry', `${kind} entry: actor must be a non-empty string`);
  for (const [name, type] of FIELD_LISTS[kind as EntryKind]) {
    const problem = checkField(name, type, obj[name]);
    if (problem) return fail('bad-entry', `${kind} entry: ${problem}`);
  }
  if (
    obj.details !== undefined &&
    (typeof obj.details !== 'object' || obj.details === null || Array.isArray(obj.details))
  ) {
    return fail('bad-entry', `${kind} entry: details must be a JSON object when present`);
  }
  const allowed = ALLOWED_KEYS[kind as EntryKind];
  for (const key in obj) {
    if (Object.hasOwn(obj, key) && !allowed.has(key)) {
      const unknown = Object.keys(obj).filter((k) => !allowed.has(k));
      return fail('bad-entry', `${kind} entry: unknown field(s) ${unknown.join(', ')}`);
    }
  }
  return { ok: true, entry: value as LedgerEntry };
}

// Member names of each kind in RFC 8785 order (UTF-16 code units, which is what sort() uses).
const SORTED_FIELDS = Object.fromEntries(
  ENTRY_KINDS.map((kind) => [
    kind,
    ['kind', 'time', 'actor', 'details', ...Object.keys(ENTRY_FIELDS[kind])].sort(),
  ]),
) as Record<EntryKind, string[]>;

/**
 * RFC 8785 for a checked entry. Without `details` every member is a string, a safe integer or
 * an array of those (or of {approver, time}), so canonical JSON is JSON.stringify of the
 * members inserted in sorted order: 3x faster than the generic canonicalize, which sets the
 * append rate. With free-form `details` (whose keys may look like integers, which JavaScript
 * objects would reorder) the canonicalize package does it all. A property test holds the
 * two equal.
 */
function serializeEntry(entry: LedgerEntry): string {
  return serializeMembers(entry as unknown as Record<string, unknown>, SORTED_FIELDS[entry.kind]);
}

/**
 * RFC 8785 of the members of `obj` named in `sortedNames` (already in RFC 8785 order), as
 * serializeEntry: the fast way unless a `details` member is present. Throws when `details`
 * holds something JSON cannot represent.
 */
export function serializeMembers(obj: Record<string, unknown>, sortedNames: readonly string[]): string {
  const ordered: Record<string, unknown> = {};
  for (const name of sortedNames) {
    const value = obj[name];
    if (value === undefined) continue;
    ordered[name] =
      name === 'approvals'
        ? (value as Approval[]).map((a) => ({ approver: a.approver, time: a.time }))
        : value;
  }
  if (ordered.details !== undefined) {
    const text = canonicalJson(ordered);
    if (text === undefined) throw new Error('details are not representable as JSON');
    return text;
  }
  return JSON.stringify(ordered);
}

/** The entry's bytes in the log: RFC 8785 canonical JSON, UTF-8. */
export function encodeEntry(entry: LedgerEntry): LedgerResult<{ bytes: Buffer }> {
  const checked = checkEntry(entry);
  if (!checked.ok) return checked;
  let text: string;
  try {
    text = serializeEntry(entry);
  } catch (err) {
    return fail('bad-entry', `${entry.kind} entry cannot be canonicalised: ${(err as Error).message}`);
  }
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_ENTRY_BYTES) {
    return fail('bad-entry', `${entry.kind} entry is ${bytes.length} bytes; the limit is ${MAX_ENTRY_BYTES}`);
  }
  return { ok: true, bytes };
}

/** Reads entry bytes back, insisting they are exactly the canonical form. */
export function decodeEntry(bytes: Uint8Array): LedgerResult<{ entry: LedgerEntry }> {
  if (bytes.length > MAX_ENTRY_BYTES)
    return fail('bad-entry', `entry is ${bytes.length} bytes; the limit is ${MAX_ENTRY_BYTES}`);
  const text = Buffer.from(bytes).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return fail('bad-entry', `entry is not JSON: ${(err as Error).message}`);
  }
  const checked = checkEntry(parsed);
  if (!checked.ok) return checked;
  let canonical: string;
  try {
    canonical = serializeEntry(checked.entry);
  } catch (err) {
    return fail('bad-entry', `entry cannot be canonicalised: ${(err as Error).message}`);
  }
  // The second test catches invalid UTF-8, which decoding replaced with U+FFFD.
  if (canonical !== text || !Buffer.from(text, 'utf8').equals(Buffer.from(bytes))) {
    return fail('bad-entry', 'entry bytes are not RFC 8785 canonical JSON');
  }
  return checked;
}

/** The release an entry concerns, for looking receipts up by release. */
export function releaseIdOf(entry: LedgerEntry): string | undefined {
  return 'release_id' in entry ? entry.release_id : undefined;
}
