import { checkCustomValue } from './property-checks.js';
import { computeScoId, SCO_ID_CONTRIBUTING } from './sco-id.js';
import {
  compareTimestamps,
  isIdentifierOfType,
  isPropertyName,
  isStixTimestamp,
  isTypeNameCached,
  typeOfIdentifier,
  uuidVersionOf,
} from './stix-formats.js';
import { customTypeSpec, lookupTypeSpec, type ResolvedSpec } from './stix-registry.js';
import type { JsonObject } from './types.js';
import { checkExtensions, extensionTypesOf } from './validate-extensions.js';
import { checkMarkings } from './validate-markings.js';
import { IssueSink, quote } from './validation-sink.js';
import type { ValidationContext, ValidationResult } from './validation-types.js';

const NO_CONTEXT: ValidationContext = {};

/** The declaration for a type not in the spec: its kind comes from its new-* extension (section 11.2). */
function resolveCustom(o: Record<string, unknown>, extTypes: readonly string[], s: IssueSink): ResolvedSpec {
  if (extTypes.includes('new-sco')) return customTypeSpec('sco');
  if (extTypes.includes('new-sro')) return customTypeSpec('sro');
  if (extTypes.includes('new-sdo')) return customTypeSpec('sdo');
  s.warn(
    'type',
    'custom-object-without-extension',
    `type: custom type '${String(o.type)}' should be declared by an extension-definition with extension_type new-sdo, new-sco or new-sro`,
  );
  return customTypeSpec(o.created === undefined && o.modified === undefined ? 'sco' : 'sdo');
}

function checkId(o: Record<string, unknown>, resolved: ResolvedSpec, s: IssueSink): void {
  const id = o.id;
  if (id === undefined) return;
  if (typeof id !== 'string') {
    s.error('id', 'invalid-id', `id: ${quote(id)} must be a string of the form type--UUID`);
    return;
  }
  const idType = isIdentifierOfType(id, o.type as string) ? (o.type as string) : typeOfIdentifier(id);
  if (idType === undefined) {
    s.error(
      'id',
      'invalid-id',
      `id: ${quote(id)} is not of the form type--UUID (an RFC 4122 UUID, 8-4-4-4-12 hex digits)`,
    );
    return;
  }
  if (idType !== o.type) {
    s.error('id', 'id-type-mismatch', `id: the prefix '${idType}' must equal type '${String(o.type)}'`);
    return;
  }
  const version = uuidVersionOf(id);
  const category = resolved.spec.category;
  if (category !== 'sco') {
    // section 2.9: SDOs, SROs, SMOs and bundles SHOULD use UUIDv4.
    if (version !== 4)
      s.warn('id', 'uuid-version', `id: ${o.type} ids should use a UUIDv4, not a UUIDv${version}`);
    return;
  }
  const type = o.type as string;
  const contributing = Object.hasOwn(SCO_ID_CONTRIBUTING, type) ? SCO_ID_CONTRIBUTING[type] : undefined;
  let hasContributing = false;
  if (contributing) for (const p of contributing) if (o[p] !== undefined) hasContributing = true;
  if (!hasContributing) {
    // section 2.9: without ID contributing properties, an SCO uses a UUIDv4.
    if (version !== 4 && contributing) {
      s.error('id', 'uuid-version', `id: an ${o.type} without ID contributing properties must use a UUIDv4`);
    }
    return;
  }
  if (version !== 5) {
    s.warn('id', 'uuid-version', `id: SCOs should use a deterministic UUIDv5 id, not a UUIDv${version}`);
    return;
  }
  const expected = computeScoId(o as JsonObject);
  if (expected !== undefined && expected !== id) {
    s.warn(
      'id',
      'sco-id-mismatch',
      `id: the deterministic id of this ${o.type} is ${expected}; use it so copies deduplicate`,
    );
  }
}

function checkUnknownProperty(
  key: string,
  value: unknown,
  resolved: ResolvedSpec,
  hasToplevelExtension: boolean,
  s: IssueSink,
): void {
  if (!isPropertyName(key)) {
    s.error(
      key,
      'invalid-property-name',
      `${key}: custom property names must be 3-250 characters of a-z, 0-9 and _`,
    );
    return;
  }
  checkCustomValue(key, value, s);
  if (resolved.custom || hasToplevelExtension) return;
  s.warn(
    key,
    'custom-property',
    `${key}: custom properties are deprecated in STIX 2.1; define it with a toplevel-property-extension`,
  );
}

/** Section 3.1: an `_enc` property (the encoding of another) MUST NOT be present without that property. */
function checkEncodings(o: Record<string, unknown>, s: IssueSink): void {
  for (const key in o) {
    if (key.length > 4 && key.endsWith('_enc') && o[key.slice(0, -4)] === undefined) {
      const base = key.slice(0, -4);
      s.error(
        key,
        'co-constraint',
        `${key}: must not be present without ${base}; add ${base} or remove ${key}`,
      );
    }
  }
}

/**
 * Validates one STIX 2.1 object against the rules its type declares in the registry.
 * MUST-level failures are errors, SHOULD-level ones warnings (errors under ctx.strict).
 */
export function validateObject(obj: unknown, ctx: ValidationContext = NO_CONTEXT): ValidationResult {
  const s = new IssueSink(ctx);
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    s.error('', 'not-an-object', 'a STIX object must be a JSON object');
    return s.toResult(ctx.strict);
  }
  const o = obj as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string' || !isTypeNameCached(type)) {
    const what =
      type === undefined
        ? 'is required'
        : `${quote(type)} is not a valid type name (3-250 chars of a-z, 0-9, single hyphens)`;
    s.error('type', type === undefined ? 'missing-required' : 'invalid-type-name', `type: ${what}`);
    return s.toResult(ctx.strict);
  }
  if (type === 'bundle') {
    // section 8: a bundle is a transport envelope, not a STIX object.
    s.error(
      'type',
      'bundle-not-an-object',
      'type: a bundle is not a STIX object; validate it as a bundle (validateBundle)',
    );
    return s.toResult(ctx.strict);
  }
  const extTypes = extensionTypesOf(o.extensions);
  const resolved = lookupTypeSpec(type) ?? resolveCustom(o, extTypes, s);
  const hasToplevel = extTypes.includes('toplevel-property-extension');
  const props = resolved.props;
  const reserved = resolved.reserved;

  for (const key in o) {
    const check = props[key];
    if (check !== undefined) check(o[key], key, s);
    else if (reserved.has(key))
      s.error(key, 'reserved-property', `${key}: is reserved by the spec and must not be used; remove it`);
    else checkUnknownProperty(key, o[key], resolved, hasToplevel, s);
  }
  for (const r of resolved.required) {
    if (o[r] === undefined) s.error(r, 'missing-required', `${r}: is required for ${type}; add it`);
  }
  const recommended = resolved.spec.recommended;
  if (recommended) {
    for (const r of recommended) {
      if (o[r] === undefined) s.warn(r, 'should-be-present', `${r}: should be present on ${type}; add it`);
    }
  }
  checkId(o, resolved, s);
  const created = o.created;
  const modified = o.modified;
  if (
    typeof created === 'string' &&
    typeof modified === 'string' &&
    isStixTimestamp(created) &&
    isStixTimestamp(modified)
  ) {
    if (compareTimestamps(modified, created) < 0) {
      s.error(
        'modified',
        'timestamp-order',
        `modified: '${modified}' must be equal to or later than created '${created}'`,
      );
    }
  }
  checkEncodings(o, s);
  const rules = resolved.spec.rules;
  if (rules) for (const rule of rules) rule(o, s);
  checkExtensions(o.extensions, resolved, s);
  if (o.object_marking_refs !== undefined || o.granular_markings !== undefined) checkMarkings(o, ctx, s);
  return s.toResult(ctx.strict);
}
