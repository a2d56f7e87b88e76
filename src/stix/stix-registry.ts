import {
  META_COMMON,
  SCO_COMMON,
  SCO_REQUIRED,
  SDO_SRO_COMMON,
  SDO_SRO_REQUIRED,
} from './common-properties.js';
import type { PropCheck } from './property-checks.js';
import type { TypeSpec } from './type-spec.js';
import { META_SPECS } from './types-meta.js';
import { SCO_SPECS } from './types-sco.js';
import { SDO_SPECS } from './types-sdo.js';
import { SRO_SPECS } from './types-sro.js';

/** A type's declaration merged with its category's common properties: one lookup per property. */
export interface ResolvedSpec {
  readonly spec: TypeSpec;
  readonly props: Readonly<Record<string, PropCheck>>;
  readonly required: readonly string[];
  /** Property names that MUST NOT be used. */
  readonly reserved: ReadonlySet<string>;
  readonly custom: boolean;
}

/**
 * Section 3.8: reserved across all STIX objects (the spec lists phone_number, the JSON schemas
 * phone_numbers: both are refused).
 */
const RESERVED = ['severity', 'action', 'username', 'phone_number', 'phone_numbers'];
/** Section 3.2: defanged MUST NOT be used on any STIX object other than an SCO. */
const NOT_SCO_RESERVED = ['defanged'];

function commonOf(category: TypeSpec['category']): {
  props: Record<string, PropCheck>;
  required: readonly string[];
} {
  if (category === 'sco') return { props: SCO_COMMON, required: SCO_REQUIRED };
  if (category === 'meta') return { props: META_COMMON, required: [] };
  return { props: SDO_SRO_COMMON, required: SDO_SRO_REQUIRED };
}

function resolve(spec: TypeSpec, custom: boolean): ResolvedSpec {
  const common = commonOf(spec.category);
  // A null prototype: JSON keys such as __proto__ or constructor must not find Object.prototype members.
  const props: Record<string, PropCheck> = Object.assign(Object.create(null), common.props, spec.props);
  for (const omit of spec.omitCommon ?? []) delete props[omit];
  const required = [...new Set([...common.required, ...(spec.required ?? [])])];
  const categoryReserved = spec.category === 'sco' ? RESERVED : [...RESERVED, ...NOT_SCO_RESERVED];
  const reserved = new Set([...categoryReserved, ...(spec.reserved ?? [])]);
  return { spec, props, required, reserved, custom };
}

const REGISTRY = new Map<string, ResolvedSpec>();
for (const spec of [...SDO_SPECS, ...SRO_SPECS, ...SCO_SPECS, ...META_SPECS]) {
  REGISTRY.set(spec.type, resolve(spec, false));
}

const CUSTOM = {
  sdo: resolve({ type: '(custom sdo)', category: 'sdo', props: {} }, true),
  sro: resolve({ type: '(custom sro)', category: 'sro', props: {} }, true),
  sco: resolve({ type: '(custom sco)', category: 'sco', props: {} }, true),
} as const;

export function lookupTypeSpec(type: string): ResolvedSpec | undefined {
  return REGISTRY.get(type);
}

/** The generic declaration used for a custom object of the given kind (section 11). */
export function customTypeSpec(kind: 'sdo' | 'sro' | 'sco'): ResolvedSpec {
  return CUSTOM[kind];
}

export function registeredTypes(): string[] {
  return [...REGISTRY.keys()];
}
