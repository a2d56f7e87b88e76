import { isTlpLevel, TLP_LEVELS } from '../stix/markings-tlp.js';
import {
  type Agreement,
  type AgreementScope,
  APPROVALS,
  type Approval,
  CONDITION_KINDS,
  type ConditionKind,
  type ConditionSpec,
  NEIGHBOURHOOD_ANCHOR_TYPES,
  type Neighbourhood,
  SUBMITTER_CONSENTS,
  type SubmitterConsent,
} from './agreement-types.js';
import { isZeroDuration, parseIsoDuration } from './duration-iso.js';

export type FieldPath = readonly (string | number)[];

/** A validation finding before it is given a line number: the path is kept as segments. */
export interface FieldIssue {
  code: 'agreement-missing-field' | 'agreement-unknown-field' | 'agreement-invalid-field';
  path: FieldPath;
  message: string;
}

export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

const STIX_TYPE_RE = /^[a-z0-9][a-z0-9-]{0,248}[a-z0-9]$/;
const STIX_ID_RE =
  /^([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const LABEL_MAX = 256;
const LIST_MAX = 1000;
const MAX_HOPS = 5;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads one object's fields, reporting each problem with its path; fields not read are unknown. */
class FieldReader {
  readonly #seen = new Set<string>();
  constructor(
    readonly obj: Obj,
    readonly path: FieldPath,
    readonly issues: FieldIssue[],
  ) {}

  at(key: string | number): FieldPath {
    return [...this.path, key];
  }

  invalid(key: string, message: string): void {
    this.issues.push({ code: 'agreement-invalid-field', path: this.at(key), message });
  }

  raw(key: string, required: boolean, hint: string): unknown {
    this.#seen.add(key);
    const v = this.obj[key];
    if (v === undefined && required) {
      this.issues.push({
        code: 'agreement-missing-field',
        path: this.at(key),
        message: `${formatFieldPath(this.at(key))} is required: ${hint}`,
      });
    }
    return v;
  }

  string(key: string, required: boolean, hint: string, test?: (s: string) => string | undefined) {
    const v = this.raw(key, required, hint);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0 || v.length > 4096) {
      this.invalid(key, `${formatFieldPath(this.at(key))} must be a non-empty string: ${hint}`);
      return undefined;
    }
    const problem = test?.(v);
    if (problem !== undefined) {
      this.invalid(key, `${formatFieldPath(this.at(key))} ${problem}`);
      return undefined;
    }
    return v;
  }

  integer(key: string, required: boolean, min: number, max: number, hint: string): number | undefined {
    const v = this.raw(key, required, hint);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.invalid(key, `${formatFieldPath(this.at(key))} must be an integer from ${min} to ${max}: ${hint}`);
      return undefined;
    }
    return v;
  }

  stringList(key: string, required: boolean, hint: string, test: (s: string) => string | undefined) {
    const v = this.raw(key, required, hint);
    if (v === undefined) return undefined;
    const where = formatFieldPath(this.at(key));
    if (!Array.isArray(v) || v.length > LIST_MAX) {
      this.invalid(key, `${where} must be a list of at most ${LIST_MAX} strings: ${hint}`);
      return undefined;
    }
    const out: string[] = [];
    v.forEach((item, i) => {
      const problem = typeof item === 'string' ? test(item) : 'must be a string';
      if (problem === undefined) out.push(item as string);
      else
        this.issues.push({
          code: 'agreement-invalid-field',
          path: this.at(key).concat(i),
          message: `${where}[${i}] ${problem}`,
        });
    });
    return out.length === v.length ? [...new Set(out)] : undefined;
  }

  object(key: string, required: boolean, hint: string): FieldReader | undefined {
    const v = this.raw(key, required, hint);
    if (v === undefined) return undefined;
    if (!isObj(v)) {
      this.invalid(key, `${formatFieldPath(this.at(key))} must be a mapping (object): ${hint}`);
      return undefined;
    }
    return new FieldReader(v, this.at(key), this.issues);
  }

  /** Call last: every field not read is a typo or a feature we lack, and either could widen release. */
  rejectUnknown(known: string): void {
    for (const key of Object.keys(this.obj)) {
      if (this.#seen.has(key)) continue;
      this.issues.push({
        code: 'agreement-unknown-field',
        path: this.at(key),
        message: `${formatFieldPath(this.at(key))} is not a known field (expected one of: ${known})`,
      });
    }
  }
}

const checkType = (s: string) =>
  STIX_TYPE_RE.test(s) ? undefined : 'must be a STIX type name, e.g. "indicator"';
const checkLabel = (s: string) =>
  s.length > 0 && s.length <= LABEL_MAX ? undefined : `must be 1-${LABEL_MAX} characters`;
const checkTimestamp = (s: string) =>
  TIMESTAMP_RE.test(s) && !Number.isNaN(Date.parse(s))
    ? undefined
    : 'must be an RFC 3339 UTC timestamp, e.g. "2026-01-01T00:00:00Z"';
const checkDuration = (s: string) => {
  const d = parseIsoDuration(s);
  return d && !isZeroDuration(d) ? undefined : 'must be a non-zero ISO 8601 duration, e.g. "PT24H" or "P30D"';
};
// A zero embargo ("PT0S", "P0D") is how people write "no embargo": it reads as none, so the
// decision, the console and a diff against an agreement without one all agree.
const checkEmbargo = (s: string) =>
  parseIsoDuration(s) ? undefined : 'must be an ISO 8601 duration, e.g. "PT24H" or "P30D" ("PT0S" for none)';
const isNoEmbargo = (s: string) => {
  const d = parseIsoDuration(s);
  return d !== undefined && isZeroDuration(d);
};
const checkName = (s: string) =>
  NAME_RE.test(s) ? undefined : 'must be 1-64 lowercase letters, digits, "-" or "_", e.g. "hr-1"';
function checkIdOfType(types: readonly string[]) {
  return (s: string) => {
    const m = STIX_ID_RE.exec(s);
    return m && types.includes(m[1] ?? '') ? undefined : `must be a STIX id of type ${types.join(' or ')}`;
  };
}

function readDates(r: FieldReader, hint: string): { valid_from?: string; valid_until?: string } {
  const from = r.string('valid_from', false, hint, checkTimestamp);
  const until = r.string('valid_until', false, hint, checkTimestamp);
  if (from !== undefined && until !== undefined && Date.parse(from) >= Date.parse(until)) {
    r.invalid(
      'valid_until',
      `${formatFieldPath(r.at('valid_until'))} must be later than valid_from (${from})`,
    );
  }
  return {
    ...(from !== undefined && { valid_from: from }),
    ...(until !== undefined && { valid_until: until }),
  };
}

function readNeighbourhood(r: FieldReader): Neighbourhood | undefined {
  const of = r.stringList(
    'of',
    true,
    'the threat actors, intrusion sets or campaigns whose neighbourhood may be released',
    checkIdOfType(NEIGHBOURHOOD_ANCHOR_TYPES),
  );
  const hops = r.integer('hops', true, 0, MAX_HOPS, 'how many relationship hops from those objects');
  r.rejectUnknown('of, hops');
  if (of !== undefined && of.length === 0)
    r.invalid('of', `${formatFieldPath(r.at('of'))} must not be empty`);
  return of !== undefined && of.length > 0 && hops !== undefined ? { of, hops } : undefined;
}

function readScope(r: FieldReader): AgreementScope | undefined {
  const types = r.stringList('types', true, 'list the STIX types this partner may receive', checkType);
  const typesDenied = r.stringList('types_denied', false, 'STIX types never released', checkType);
  const labels = r.stringList('labels', false, 'an object needs one of these labels', checkLabel);
  const labelsDenied = r.stringList(
    'labels_denied',
    false,
    'objects with these labels are withheld',
    checkLabel,
  );
  const nb = r.object('neighbourhood', false, '{ of: [intrusion-set--...], hops: 2 }');
  const neighbourhood = nb && readNeighbourhood(nb);
  const locations = r.stringList('locations', false, 'location ids', checkIdOfType(['location']));
  r.rejectUnknown('types, types_denied, labels, labels_denied, neighbourhood, locations');
  if (types === undefined || (nb && !neighbourhood)) return undefined;
  return {
    types,
    types_denied: typesDenied ?? [],
    ...(labels !== undefined && { labels }),
    labels_denied: labelsDenied ?? [],
    ...(neighbourhood !== undefined && { neighbourhood }),
    ...(locations !== undefined && { locations }),
  };
}

function readCondition(r: FieldReader): ConditionSpec | undefined {
  const kind = r.string('kind', true, `one of ${CONDITION_KINDS.join(', ')}`, (s) =>
    (CONDITION_KINDS as readonly string[]).includes(s)
      ? undefined
      : `must be one of ${CONDITION_KINDS.join(', ')}`,
  ) as ConditionKind | undefined;
  if (kind === undefined) return undefined;
  const id = r.string('id', kind === 'assurance', 'a short name such as "hr-1"', checkName) ?? kind;
  switch (kind) {
    case 'assurance': {
      const title = r.string('title', true, 'what is assured, e.g. "Human-rights assurance"');
      const issuer = r.string('issuer', false, 'who gave the assurance');
      const evidence = r.stringList('evidence', false, 'references to the evidence', checkLabel);
      const grade = r.string('grade', false, 'Admiralty grade', (s) =>
        /^[A-F][1-6]$/.test(s) ? undefined : 'must be an Admiralty grade: A-F then 1-6, e.g. "B2"',
      );
      const dates = readDates(r, 'when the assurance holds');
      const reviewDue = r.string('review_due', false, 'when it must be reviewed', checkTimestamp);
      r.rejectUnknown('kind, id, title, issuer, evidence, grade, valid_from, valid_until, review_due');
      if (title === undefined) return undefined;
      return {
        kind,
        id,
        title,
        ...(issuer !== undefined && { issuer }),
        evidence: evidence ?? [],
        ...(grade !== undefined && { grade }),
        ...dates,
        ...(reviewDue !== undefined && { review_due: reviewDue }),
      };
    }
    case 'reciprocity': {
      const min = r.integer('min_items', true, 1, 1_000_000, 'feedback items the partner must send');
      const window = r.string('window', true, 'the period counted, e.g. "P30D"', checkDuration);
      r.rejectUnknown('kind, id, min_items, window');
      return min === undefined || window === undefined ? undefined : { kind, id, min_items: min, window };
    }
    case 'review': {
      const days = r.integer(
        'days',
        true,
        1,
        3650,
        'the agreement must have been reviewed within this many days',
      );
      r.rejectUnknown('kind, id, days');
      return days === undefined ? undefined : { kind, id, days };
    }
    case 'suspension':
    case 'breach':
      r.rejectUnknown('kind, id');
      return { kind, id };
  }
}

/** Validates a parsed agreement document; every problem is reported, not only the first. */
export function validateAgreementValue(value: unknown): { agreement?: Agreement; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (!isObj(value)) {
    issues.push({
      code: 'agreement-invalid-field',
      path: [],
      message: 'the agreement must be a mapping (object)',
    });
    return { issues };
  }
  const r = new FieldReader(value, [], issues);
  const scopeReader = r.object('scope', true, 'what the partner may receive: { types: [...] }');
  const scope = scopeReader && readScope(scopeReader);
  const ceiling = r.string('tlp_ceiling', true, `one of ${TLP_LEVELS.join(', ')}`, (s) =>
    isTlpLevel(s) ? undefined : `must be one of ${TLP_LEVELS.join(', ')}`,
  );
  const embargoText = r.string(
    'embargo',
    false,
    'hold releases this long, e.g. "PT24H" ("PT0S" for none)',
    checkEmbargo,
  );
  const embargo = embargoText !== undefined && isNoEmbargo(embargoText) ? undefined : embargoText;
  const approval = r.string('approval', true, 'none, one or two officers', (s) =>
    (APPROVALS as readonly string[]).includes(s) ? undefined : 'must be one of none, one, two',
  ) as Approval | undefined;
  const sanitisation = r.string(
    'sanitisation',
    true,
    'the sanitisation profile name, e.g. "strict"',
    checkName,
  );
  const dates = readDates(r, 'when the agreement is in force');
  const conditions = readConditionList(r);
  const nationality = r.string(
    'nationality',
    false,
    'the partner\'s nationality, an ISO 3166-1 alpha-3 code such as "AFG"',
    (s) => (/^[A-Z]{3}$/.test(s) ? undefined : 'must be an ISO 3166-1 alpha-3 code in capitals, e.g. "AFG"'),
  );
  const communities = r.stringList(
    'communities',
    false,
    'communities a releasability marking may name, e.g. [FVEY]',
    (s) =>
      /^[A-Z][A-Z0-9-]{1,31}$/.test(s) && s !== 'ALL'
        ? undefined
        : 'must be 2-32 capitals, digits or hyphens, e.g. "FVEY" (not "ALL")',
  );
  const consent = r.string(
    'submitter_consent',
    false,
    "none, hub-only or named: whether the partner's promoted submissions go to other partners, and naming whom",
    (s) =>
      (SUBMITTER_CONSENTS as readonly string[]).includes(s)
        ? undefined
        : `must be one of ${SUBMITTER_CONSENTS.join(', ')}`,
  ) as SubmitterConsent | undefined;
  const tls = r.raw('tls', false, 'true when the partner is served only over TLS');
  if (tls !== undefined && typeof tls !== 'boolean')
    r.invalid('tls', `${formatFieldPath(r.at('tls'))} must be true or false`);
  r.rejectUnknown(
    'scope, tlp_ceiling, embargo, approval, sanitisation, valid_from, valid_until, conditions, nationality, communities, submitter_consent, tls',
  );
  if (issues.length > 0 || !scope || !isTlpLevel(ceiling) || !approval || !sanitisation || !conditions) {
    return { issues };
  }
  const agreement: Agreement = {
    scope,
    tlp_ceiling: ceiling,
    ...(embargo !== undefined && { embargo }),
    approval,
    sanitisation,
    ...dates,
    conditions,
    ...(nationality !== undefined && { nationality }),
    ...(communities !== undefined && communities.length > 0 && { communities }),
    ...(consent !== undefined && consent !== 'none' && { submitter_consent: consent }),
    ...(tls === true && { tls: true }),
  };
  return { agreement, issues };
}

function readConditionList(r: FieldReader): ConditionSpec[] | undefined {
  const list = r.raw('conditions', false, 'the conditions releases depend on');
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length > 100) {
    r.invalid('conditions', 'conditions must be a list of at most 100 conditions');
    return undefined;
  }
  const out: ConditionSpec[] = [];
  const ids = new Map<string, number>();
  list.forEach((item, i) => {
    const path = r.at('conditions').concat(i);
    if (!isObj(item)) {
      r.issues.push({ code: 'agreement-invalid-field', path, message: `conditions[${i}] must be a mapping` });
      return;
    }
    const spec = readCondition(new FieldReader(item, path, r.issues));
    if (!spec) return;
    const first = ids.get(spec.id);
    if (first !== undefined) {
      r.issues.push({
        code: 'agreement-invalid-field',
        path: path.concat('id'),
        message: `conditions[${i}].id "${spec.id}" repeats conditions[${first}]: give each condition its own id`,
      });
      return;
    }
    ids.set(spec.id, i);
    out.push(spec);
  });
  return out.length === list.length ? out : undefined;
}
