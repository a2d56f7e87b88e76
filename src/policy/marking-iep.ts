import type { TlpLevel } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';

/**
 * FIRST's Information Exchange Policy 2.0 as a STIX 2.1 marking definition: the OASIS
 * common-objects extension (cti-stix-common-objects, iep-marking-definition-762). IEP 1.0's
 * `definition_type: "iep"` was never part of STIX 2.1; such a definition is treated as an IEP
 * the hub cannot read (withheld from everyone).
 */
export const IEP_EXTENSION_ID = 'extension-definition--762e2e97-ee51-43e5-a9ea-165fbb862c4a';

export const IEP_PERMITTED_ACTIONS = [
  'none',
  'contact-for-instruction',
  'internally-visible-actions',
  'externally-visible-indirect-actions',
  'externally-visible-direct-actions',
] as const;
export type IepPermittedAction = (typeof IEP_PERMITTED_ACTIONS)[number];

/** The policy fields the hub acts on, normalised; the rest travels with the copy untouched. */
export interface IepTerms {
  /** "IEP <name or iep_id>": how a reason names the marking. */
  label: string;
  iep_id: string;
  encrypt_in_transit: 'must' | 'may';
  permitted_actions: IepPermittedAction;
  affected_party_notifications: 'may' | 'must-not';
  /** IEP's "white" is TLP 2.0's clear. */
  tlp: TlpLevel;
  provider_attribution: 'may' | 'must' | 'must-not';
  unmodified_resale: 'may' | 'must-not';
  /** Epoch ms; the IEP is in force from start to end (end exclusive). */
  start_ms: number;
  end_ms?: number;
  start_date: string;
  end_date?: string;
}

export type IepParse = { kind: 'iep'; terms: IepTerms } | { kind: 'unparsable'; why: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const IEP_TLP: Record<string, TlpLevel> = {
  white: 'clear',
  clear: 'clear',
  green: 'green',
  amber: 'amber',
  red: 'red',
};

/** The IEP a marking definition states; undefined when it states none. */
export function parseIep(def: JsonObject): IepParse | undefined {
  const exts = isObj(def.extensions) ? def.extensions : undefined;
  const ext = exts?.[IEP_EXTENSION_ID];
  if (ext === undefined) {
    if (typeof def.definition_type === 'string' && def.definition_type.toLowerCase() === 'iep')
      return {
        kind: 'unparsable',
        why: 'IEP marking: definition_type "iep" (IEP 1.0) is not the STIX 2.1 IEP 2.0 extension',
      };
    return undefined;
  }
  const bad = (why: string): IepParse => ({ kind: 'unparsable', why: `IEP marking: ${why}` });
  if (!isObj(ext)) return bad('the extension is not an object');
  if (ext.iep_version !== 2 && ext.iep_version !== '2.0') return bad('iep_version must be 2.0');
  const pick = <T extends string>(key: string, allowed: readonly T[]): T | string => {
    const v = ext[key];
    const s = typeof v === 'string' ? v.trim().toLowerCase() : undefined;
    return s !== undefined && (allowed as readonly string[]).includes(s)
      ? (s as T)
      : `${key} must be one of ${allowed.join(', ')}`;
  };
  const encrypt = pick('encrypt_in_transit', ['must', 'may'] as const);
  const actions = pick('permitted_actions', IEP_PERMITTED_ACTIONS);
  const notify = pick('affected_party_notifications', ['may', 'must-not'] as const);
  const tlpWord = pick('tlp', ['white', 'clear', 'green', 'amber', 'red'] as const);
  const attribution = pick('provider_attribution', ['may', 'must', 'must-not'] as const);
  const resale = pick('unmodified_resale', ['may', 'must-not'] as const);
  const fields = [encrypt, actions, notify, tlpWord, attribution, resale];
  const wrong = fields.find((f) => f.includes(' must be one of '));
  if (wrong !== undefined) return bad(wrong);
  const id = ext.iep_id;
  if (typeof id !== 'string' || !UUID.test(id)) return bad('iep_id must be a UUID (v4 or v5)');
  const start = readTime(ext.start_date);
  if (start === undefined) return bad('start_date must be a UTC timestamp, e.g. 2026-01-01T00:00:00Z');
  const end = ext.end_date === undefined ? undefined : readTime(ext.end_date);
  if (ext.end_date !== undefined && end === undefined)
    return bad('end_date must be a UTC timestamp, e.g. 2026-12-31T00:00:00Z');
  if (end !== undefined && end.ms <= start.ms) return bad('end_date must be after start_date');
  const name = typeof def.name === 'string' && def.name.trim() !== '' ? def.name.trim().slice(0, 80) : id;
  return {
    kind: 'iep',
    terms: {
      label: `IEP "${name}"`,
      iep_id: id.toLowerCase(),
      encrypt_in_transit: encrypt as IepTerms['encrypt_in_transit'],
      permitted_actions: actions as IepPermittedAction,
      affected_party_notifications: notify as IepTerms['affected_party_notifications'],
      tlp: IEP_TLP[tlpWord] as TlpLevel,
      provider_attribution: attribution as IepTerms['provider_attribution'],
      unmodified_resale: resale as IepTerms['unmodified_resale'],
      start_ms: start.ms,
      start_date: start.iso,
      ...(end !== undefined && { end_ms: end.ms, end_date: end.iso }),
    },
  };
}

/** Why the hub must not re-share under this IEP now (as the recipient passing it on), if it must not. */
export type IepBlock = { why: string; changes_at?: string };

/**
 * The IEP's terms, for the hub as a recipient re-sharing to a partner at `nowMs`:
 * - outside start_date..end_date the IEP is not in force, and nothing says the hub may share;
 * - permitted_actions none (internal informational use only) and contact-for-instruction (ask
 *   the provider first) rule out passing it on without the provider;
 * - provider_attribution must: every copy names the hub as its source, never the provider;
 * - encrypt_in_transit must: only to a partner whose agreement says it is served over TLS.
 * TLP is applied as the object's level by the projection; the rest (notifications, resale) binds
 * the partner, who gets the marking with the copy.
 */
export function iepBlocks(terms: IepTerms, nowMs: number, partnerTls: boolean): IepBlock[] {
  const out: IepBlock[] = [];
  if (nowMs < terms.start_ms)
    out.push({ why: `is in force only from ${terms.start_date}`, changes_at: terms.start_date });
  if (terms.end_ms !== undefined && nowMs >= terms.end_ms) out.push({ why: `ended on ${terms.end_date}` });
  if (terms.permitted_actions === 'none')
    out.push({ why: 'permits no action (permitted_actions: none): internal informational use only' });
  if (terms.permitted_actions === 'contact-for-instruction')
    out.push({
      why: 'requires contacting the provider before acting (permitted_actions: contact-for-instruction)',
    });
  if (terms.provider_attribution === 'must')
    out.push({
      why: 'requires attributing the provider (provider_attribution: must), and copies name the hub',
    });
  if (terms.encrypt_in_transit === 'must' && !partnerTls)
    out.push({
      why: 'must be encrypted in transit and the agreement does not say the partner is served over TLS (tls: true)',
    });
  return out;
}

function readTime(v: unknown): { ms: number; iso: string } | undefined {
  if (typeof v !== 'string' || !TIMESTAMP.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : { ms, iso: new Date(ms).toISOString() };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
