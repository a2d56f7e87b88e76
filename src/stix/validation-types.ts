/** One finding of the validator. `path` is relative to the object, e.g. `external_references[3].url`. */
export interface ValidationIssue {
  path: string;
  code: string;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

/**
 * What the validator may ask about the world outside the object. All optional: without a
 * resolver, only the standard TLP marking definitions are known, so an object marked with any
 * other marking is rejected with `unresolved-marking` (fail closed); the importer retries it once
 * the rest of the bundle and the store are known.
 */
export interface ValidationContext {
  /** SHOULD-level findings become errors. */
  strict?: boolean;
  /** True when a marking-definition with this id is known (same bundle, store, or standard TLP). */
  isKnownMarking?: (id: string) => boolean;
  /** Finding codes to skip entirely (as the reference validator's --disable). */
  disabled?: ReadonlySet<string>;
}
