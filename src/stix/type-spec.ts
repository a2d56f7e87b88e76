import type { PropCheck, StructSpec } from './property-checks.js';
import type { TypeCategory } from './type-categories.js';
import type { IssueSink } from './validation-sink.js';

/** A co-constraint over a whole object (section-specific MUSTs and SHOULDs). */
export type ObjectRule = (o: Readonly<Record<string, unknown>>, s: IssueSink) => void;

/** What one STIX type declares; the engine applies it without knowing the type. */
export interface TypeSpec {
  readonly type: string;
  readonly category: Exclude<TypeCategory, 'bundle'>;
  /** Type-specific properties; the category's common properties are added by the registry. */
  readonly props: Readonly<Record<string, PropCheck>>;
  readonly required?: readonly string[];
  /** Properties the spec says SHOULD be present. */
  readonly recommended?: readonly string[];
  /** Properties the spec reserves: MUST NOT be used. */
  readonly reserved?: readonly string[];
  /** Common properties of the category that this type does not have. */
  readonly omitCommon?: readonly string[];
  readonly rules?: readonly ObjectRule[];
  /** Predefined extensions by name (SCOs). */
  readonly extensions?: Readonly<Record<string, StructSpec>>;
}
