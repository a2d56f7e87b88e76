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
 * resolver, the checks that need it are skipped (they are made at import time, where the
 * bundle and the store are known).
 */
export interface ValidationContext {
  /** SHOULD-level findings become errors. */
  strict?: boolean;
  /** True when a marking-definition with this id is known (same bundle, store, or standard TLP). */
  isKnownMarking?: (id: string) => boolean;
}
