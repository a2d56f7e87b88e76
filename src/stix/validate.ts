import type { ValidationContext, ValidationIssue, ValidationResult } from './validation-types.js';

const TYPE_RE = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,248}[a-z0-9]$/;
const ID_RE = /^([a-z0-9-]+)--([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * First layer of STIX 2.1 validation: common properties and identifiers.
 * The full per-type registry replaces this body (issue 3); the signature stays.
 */
export function validateObject(obj: unknown, ctx: ValidationContext = {}): ValidationResult {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    errors.push({ path: '', code: 'not-an-object', message: 'a STIX object must be a JSON object' });
    return { valid: false, errors, warnings };
  }
  const o = obj as Record<string, unknown>;
  if (typeof o.type !== 'string' || !TYPE_RE.test(o.type)) {
    errors.push({
      path: 'type',
      code: 'invalid-type',
      message: `type: ${JSON.stringify(o.type)} is not a valid STIX type name`,
    });
  }
  const m = typeof o.id === 'string' ? ID_RE.exec(o.id) : null;
  if (!m) {
    errors.push({
      path: 'id',
      code: 'invalid-id',
      message: `id: ${JSON.stringify(o.id)} is not of the form type--UUID`,
    });
  } else if (m[1] !== o.type) {
    errors.push({
      path: 'id',
      code: 'id-type-mismatch',
      message: `id: the prefix '${m[1]}' must equal type '${String(o.type)}'`,
    });
  }
  for (const prop of ['created', 'modified'] as const) {
    const v = o[prop];
    if (v !== undefined && (typeof v !== 'string' || !TS_RE.test(v) || Number.isNaN(Date.parse(v)))) {
      errors.push({
        path: prop,
        code: 'invalid-timestamp',
        message: `${prop}: ${JSON.stringify(v)} is not an RFC 3339 UTC timestamp`,
      });
    }
  }
  if (ctx.strict) errors.push(...warnings.splice(0));
  return { valid: errors.length === 0, errors, warnings };
}
