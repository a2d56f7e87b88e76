import { typeOfIdentifier, uuidVersionOf } from './stix-formats.js';
import { type JsonObject, versionOf } from './types.js';
import { markingDefinitionIdOf } from './types-meta.js';
import { validateObject } from './validate.js';
import { IssueSink, quote } from './validation-sink.js';
import type { ValidationContext, ValidationResult } from './validation-types.js';

export interface BundleObjectResult extends ValidationResult {
  /** Position in `objects`. */
  index: number;
  /** The object's id when it has a string one. */
  id: string | undefined;
}

/** The envelope's own findings (paths like `objects[3]`) and every object's result. */
export interface BundleValidationResult extends ValidationResult {
  objects: BundleObjectResult[];
}

const BUNDLE_PROPS = new Set(['type', 'id', 'objects']);

/**
 * Validates a bundle document (section 8): the envelope, then each object, with markings defined
 * in the same bundle counted as known. `valid` only when the envelope and every object are.
 */
export function validateBundle(doc: unknown, ctx: ValidationContext = {}): BundleValidationResult {
  const s = new IssueSink(ctx);
  const results: BundleObjectResult[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    s.error('', 'not-an-object', 'a bundle must be a JSON object');
    return { ...s.toResult(ctx.strict), objects: results };
  }
  const d = doc as Record<string, unknown>;
  checkEnvelope(d, s);
  const objects = d.objects;
  if (objects !== undefined && !Array.isArray(objects)) {
    s.error('objects', 'invalid-property-type', 'objects: must be a list of STIX objects');
  }
  const list = Array.isArray(objects) ? objects : [];
  if (Array.isArray(objects) && objects.length === 0)
    s.error('objects', 'empty-list', 'objects: must not be empty; omit it instead');

  const markings = new Set<string>();
  for (const o of list) {
    const id = markingDefinitionIdOf(o);
    if (id !== undefined) markings.add(id);
  }
  const outer = ctx.isKnownMarking;
  const objectCtx: ValidationContext = {
    ...ctx,
    isKnownMarking: (id) => markings.has(id) || outer?.(id) === true,
  };
  // id -> index of its first copy; (id, version) keys are built only for ids that repeat.
  const firstOfId = new Map<string, number>();
  const versions = new Map<string, number>();
  let allValid = true;
  for (let i = 0; i < list.length; i++) {
    const o = list[i];
    const r = validateObject(o, objectCtx);
    const id = typeof o === 'object' && o !== null ? (o as JsonObject).id : undefined;
    results.push({
      valid: r.valid,
      errors: r.errors,
      warnings: r.warnings,
      index: i,
      id: typeof id === 'string' ? id : undefined,
    });
    if (!r.valid) allValid = false;
    if (typeof id !== 'string') continue;
    const first = firstOfId.get(id);
    if (first === undefined) {
      firstOfId.set(id, i);
      continue;
    }
    const firstKey = `${id}|${versionOf(list[first] as JsonObject)}`;
    if (!versions.has(firstKey)) versions.set(firstKey, first);
    const key = `${id}|${versionOf(o as JsonObject)}`;
    const earlier = versions.get(key);
    if (earlier === undefined) versions.set(key, i);
    else {
      s.warn(
        `objects[${i}]`,
        'duplicate-object',
        `objects[${i}]: repeats ${id} of objects[${earlier}] with the same version; remove one copy`,
      );
    }
  }
  const envelope = s.toResult(ctx.strict);
  const valid = envelope.valid && allValid;
  return { valid, errors: envelope.errors, warnings: envelope.warnings, objects: results };
}

/** type, id and no other property than objects (section 8). */
function checkEnvelope(d: Readonly<Record<string, unknown>>, s: IssueSink): void {
  if (d.type !== 'bundle') s.error('type', 'invalid-type-name', `type: ${quote(d.type)} must be 'bundle'`);
  checkBundleId(d.id, s);
  for (const key in d) {
    if (BUNDLE_PROPS.has(key)) continue;
    s.error(
      key,
      'bundle-unknown-property',
      `${key}: is not a bundle property (a bundle has only type, id and objects); remove it`,
    );
  }
}

/**
 * The envelope of a bundle whose objects are checked one by one elsewhere (a streamed import):
 * the same findings validateBundle makes on the envelope. `envelope` holds every property but
 * `objects`; `objectCount` is how many the objects list held.
 */
export function validateBundleEnvelope(
  envelope: Readonly<Record<string, unknown>>,
  objectCount: number,
  ctx: ValidationContext = {},
): ValidationResult {
  const s = new IssueSink(ctx);
  checkEnvelope(envelope, s);
  if (objectCount === 0) s.error('objects', 'empty-list', 'objects: must not be empty; omit it instead');
  return s.toResult(ctx.strict);
}

function checkBundleId(id: unknown, s: IssueSink): void {
  if (id === undefined) {
    s.error('id', 'missing-required', 'id: is required for a bundle; add bundle--<UUIDv4>');
    return;
  }
  const type = typeof id === 'string' ? typeOfIdentifier(id) : undefined;
  if (type !== 'bundle') {
    s.error('id', 'invalid-id', `id: ${quote(id)} must be of the form bundle--UUID`);
    return;
  }
  const version = uuidVersionOf(id as string);
  if (version !== 4)
    s.warn('id', 'uuid-version', `id: bundle ids should use a UUIDv4, not a UUIDv${version}`);
}
