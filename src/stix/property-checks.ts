import {
  isBase64,
  isHex,
  isIdentifierOfType,
  isPropertyName,
  isStixTimestamp,
  isUrl,
  typeOfIdentifier,
} from './stix-formats.js';
import { checkHashes } from './stix-hashes.js';
import { categoryOfType } from './type-categories.js';
import { type IssueSink, quote } from './validation-sink.js';

/** Checks one property value; `path` names it in findings. Checks never throw. */
export type PropCheck = (value: unknown, path: string, s: IssueSink) => void;

/** The properties a nested structure or extension defines, with the required ones. */
export interface StructSpec {
  readonly props: Readonly<Record<string, PropCheck>>;
  readonly required?: readonly string[];
  /** Unknown keys: 'warn' (custom content, section 11) or 'error'. */
  readonly unknown?: 'warn' | 'error';
  readonly rules?: readonly ((o: Record<string, unknown>, path: string, s: IssueSink) => void)[];
}

function typeError(path: string, s: IssueSink, what: string, value: unknown): void {
  s.error(path, 'invalid-property-type', `${path}: ${quote(value)} is not ${what}`);
}

export const str: PropCheck = (v, p, s) => {
  if (typeof v !== 'string') typeError(p, s, 'a string', v);
};

export const bool: PropCheck = (v, p, s) => {
  if (typeof v !== 'boolean') typeError(p, s, 'a boolean (true or false)', v);
};

export const timestamp: PropCheck = (v, p, s) => {
  if (typeof v !== 'string' || !isStixTimestamp(v)) {
    s.error(
      p,
      'invalid-timestamp',
      `${p}: ${quote(v)} is not an RFC 3339 UTC timestamp like 2016-05-12T08:17:27.000Z`,
    );
  }
};

const MILLIS_RE = /T\d{2}:\d{2}:\d{2}\.\d{3,}Z$/;

/** created and modified of SDOs, SROs and meta objects (section 3.2): at least millisecond precision. */
export const timestampMillis: PropCheck = (v, p, s) => {
  if (typeof v !== 'string' || !isStixTimestamp(v)) return timestamp(v, p, s);
  if (!MILLIS_RE.test(v)) {
    s.error(
      p,
      'invalid-timestamp',
      `${p}: ${quote(v)} must be precise to at least the millisecond (three digits after the seconds, like 2016-05-12T08:17:27.000Z)`,
    );
  }
};

export function int(min?: number, max?: number): PropCheck {
  return (v, p, s) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return typeError(p, s, 'an integer', v);
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
      s.error(p, 'out-of-range', `${p}: ${v} is out of range; use ${min ?? '-inf'}..${max ?? 'inf'}`);
    }
  };
}

export function num(min?: number, max?: number): PropCheck {
  return (v, p, s) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return typeError(p, s, 'a number', v);
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
      s.error(p, 'out-of-range', `${p}: ${v} is out of range; use ${min ?? '-inf'}..${max ?? 'inf'}`);
    }
  };
}

export const url: PropCheck = (v, p, s) => {
  if (typeof v !== 'string') return typeError(p, s, 'a string', v);
  if (!isUrl(v))
    s.error(p, 'invalid-url', `${p}: ${quote(v)} is not a valid URL; give an absolute URL with a scheme`);
};

export const hex: PropCheck = (v, p, s) => {
  if (typeof v !== 'string' || !isHex(v))
    s.error(p, 'invalid-format', `${p}: ${quote(v)} is not hex (pairs of 0-9a-f)`);
};

export const binary: PropCheck = (v, p, s) => {
  if (typeof v !== 'string' || !isBase64(v)) s.error(p, 'invalid-format', `${p}: ${quote(v)} is not base64`);
};

export const hashes: PropCheck = checkHashes;

/**
 * The value of a custom or extension property (sections 2.12, 3.1, 7.3.2; the JSON schemas'
 * properties.json): never null, never an empty list, and `_bin` / `_hex` names hold those types.
 */
export function checkCustomValue(key: string, value: unknown, s: IssueSink): void {
  const name = key.slice(key.lastIndexOf('.') + 1);
  if (value === null)
    s.error(key, 'invalid-property-type', `${key}: null is not a STIX value; omit the property instead`);
  else if (Array.isArray(value) && value.length === 0)
    s.error(key, 'empty-list', `${key}: an empty list is not allowed; omit the property instead`);
  else if (name.endsWith('_bin')) binary(value, key, s);
  else if (name.endsWith('_hex')) hex(value, key, s);
}

export const anyValue: PropCheck = () => {};

/** A closed enumeration: other values are errors. */
export function oneOf(values: readonly string[]): PropCheck {
  const set = new Set(values);
  return (v, p, s) => {
    if (typeof v !== 'string') return typeError(p, s, 'a string', v);
    if (!set.has(v))
      s.error(p, 'not-in-enum', `${p}: ${quote(v)} is not allowed; use one of ${values.join(', ')}`);
  };
}

/** An open vocabulary (section 10): other values are allowed but warned about. */
export function vocab(name: string, values: readonly string[]): PropCheck {
  const set = new Set(values);
  return (v, p, s) => {
    if (typeof v !== 'string') return typeError(p, s, 'a string', v);
    if (!set.has(v))
      s.warn(p, 'not-in-vocab', `${p}: ${quote(v)} is not in ${name}; prefer one of its values`);
  };
}

/** A list (section 2.8): a JSON array with at least one item, each item checked. */
export function listOf(item: PropCheck): PropCheck {
  return (v, p, s) => {
    if (!Array.isArray(v)) return typeError(p, s, 'a list', v);
    if (v.length === 0)
      s.error(p, 'empty-list', `${p}: an empty list is not allowed; omit the property instead`);
    for (let i = 0; i < v.length; i++) item(v[i], `${p}[${i}]`, s);
  };
}

/** What kind of object a reference may point to: exact types and/or categories of types. */
export interface RefTarget {
  readonly types?: readonly string[];
  readonly categories?: readonly ('sdo' | 'sco' | 'sro')[];
}

function describeTarget(t: RefTarget): string {
  const parts = [...(t.types ?? []), ...(t.categories ?? []).map((c) => `any ${c.toUpperCase()}`)];
  return parts.join(' or ');
}

/**
 * An identifier pointing to an allowed kind of object. A custom (unregistered) type satisfies a
 * category, since a custom object may be of that category; it never satisfies an exact type.
 */
export function ref(target: RefTarget): PropCheck {
  const typeList = target.types ?? [];
  const types = new Set(typeList);
  const categories = target.categories ?? [];
  const described = describeTarget(target);
  return (v, p, s) => {
    if (typeof v !== 'string') return typeError(p, s, 'an identifier string', v);
    // Fast path without slicing: the id is of one of the allowed types.
    for (const t of typeList) if (isIdentifierOfType(v, t)) return;
    const type = typeOfIdentifier(v);
    if (type === undefined) {
      s.error(p, 'invalid-id', `${p}: ${quote(v)} is not an identifier of the form type--UUID`);
      return;
    }
    if (types.has(type)) return;
    const category = categoryOfType(type);
    for (const c of categories) if (category === c || category === undefined) return;
    s.error(p, 'ref-wrong-type', `${p}: ${quote(v)} must reference ${described}, not ${type}`);
  };
}

const DICT_KEY_RE = /^[a-zA-Z0-9_-]{1,250}$/;

/**
 * A dictionary (section 2.6): at least one key; keys of 1-250 ASCII letters, digits, hyphens and
 * underscores; values checked when `value` is given.
 */
export function dictOf(value?: PropCheck): PropCheck {
  return (v, p, s) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return typeError(p, s, 'a dictionary', v);
    let count = 0;
    for (const k in v) {
      count++;
      if (!DICT_KEY_RE.test(k)) {
        s.error(
          `${p}.${k}`,
          'invalid-property-name',
          `${p}: key ${quote(k)} must be 1-250 characters of a-z, A-Z, 0-9, _ and -`,
        );
      }
      if (value) value((v as Record<string, unknown>)[k], `${p}.${k}`, s);
    }
    if (count === 0)
      s.error(p, 'empty-list', `${p}: an empty dictionary is not allowed; omit the property instead`);
  };
}

/** A nested structure with its own properties (external-reference, kill-chain-phase, ...). */
export function struct(spec: StructSpec): PropCheck {
  return (v, p, s) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return typeError(p, s, 'an object', v);
    checkStruct(v as Record<string, unknown>, spec, p, s);
  };
}

export function checkStruct(o: Record<string, unknown>, spec: StructSpec, p: string, s: IssueSink): void {
  for (const k in o) {
    const check = Object.hasOwn(spec.props, k) ? spec.props[k] : undefined;
    const kp = p === '' ? k : `${p}.${k}`;
    if (check) check(o[k], kp, s);
    else if (spec.unknown === 'error')
      s.error(kp, 'invalid-property-name', `${kp}: is not a property of this structure; remove it`);
    else if (!isPropertyName(k)) {
      s.error(
        kp,
        'invalid-property-name',
        `${kp}: custom property names must be 3-250 characters of a-z, 0-9, _`,
      );
    } else {
      s.warn(
        kp,
        'unknown-extension-property',
        `${kp}: is not defined here; define it in an extension-definition`,
      );
    }
  }
  if (spec.required) {
    for (const r of spec.required) {
      if (o[r] === undefined) {
        const rp = p === '' ? r : `${p}.${r}`;
        s.error(rp, 'missing-required', `${rp}: is required; add it`);
      }
    }
  }
  if (spec.rules) for (const rule of spec.rules) rule(o, p, s);
}
