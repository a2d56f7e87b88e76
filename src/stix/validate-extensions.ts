import { checkCustomValue, checkStruct, type StructSpec } from './property-checks.js';
import { isPropertyName, typeOfIdentifier, uuidVersionOf } from './stix-formats.js';
import type { ResolvedSpec } from './stix-registry.js';
import { type IssueSink, quote } from './validation-sink.js';

const EXTENSION_TYPES = new Set([
  'new-sdo',
  'new-sco',
  'new-sro',
  'property-extension',
  'toplevel-property-extension',
]);
const NEW_OBJECT = new Set(['new-sdo', 'new-sco', 'new-sro']);
const TOPLEVEL_ONLY: StructSpec = { props: { extension_type: () => {} } };

/** The extension_type values an object's `extensions` declares (used before the property loop). */
export function extensionTypesOf(ext: unknown): string[] {
  const out: string[] = [];
  if (typeof ext !== 'object' || ext === null || Array.isArray(ext)) return out;
  for (const k in ext) {
    const v = (ext as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const t = (v as Record<string, unknown>).extension_type;
      if (typeof t === 'string') out.push(t);
    }
  }
  return out;
}

/** section 7.3 and the predefined SCO extensions of section 6. */
export function checkExtensions(ext: unknown, resolved: ResolvedSpec, s: IssueSink): void {
  if (ext === undefined) return;
  if (typeof ext !== 'object' || ext === null || Array.isArray(ext)) {
    s.error(
      'extensions',
      'invalid-property-type',
      'extensions: must be a dictionary of extension name to extension',
    );
    return;
  }
  let count = 0;
  for (const key in ext) {
    count++;
    const p = `extensions.${key}`;
    const value = (ext as Record<string, unknown>)[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      s.error(p, 'invalid-extension', `${p}: an extension must be an object`);
      continue;
    }
    const v = value as Record<string, unknown>;
    if (key.startsWith('extension-definition--')) {
      checkDefinedExtension(key, v, p, resolved, s);
      continue;
    }
    const known = resolved.spec.extensions;
    const predefined = known && Object.hasOwn(known, key) ? known[key] : undefined;
    let size = 0;
    for (const _ in v) size++;
    if (size === 0) {
      // section 3.2: the value MUST contain the contents of the extension instance.
      s.error(
        p,
        'invalid-extension',
        `${p}: an extension must not be empty; remove it or give its properties`,
      );
      continue;
    }
    if (predefined) {
      checkStruct(v, predefined, p, s);
      continue;
    }
    // section 3.2: keys SHOULD be an extension-definition id or a predefined extension of this type.
    const names = Object.keys(resolved.spec.extensions ?? {});
    const hint = names.length > 0 ? `one of ${names.join(', ')} or ` : '';
    s.warn(
      p,
      'custom-extension-deprecated',
      `${p}: ${quote(key)} is not a predefined extension of ${resolved.spec.type}; key it by ${hint}an extension-definition id`,
    );
  }
  if (count === 0) s.error('extensions', 'empty-list', 'extensions: must not be empty; omit it instead');
}

function checkDefinedExtension(
  key: string,
  v: Record<string, unknown>,
  p: string,
  resolved: ResolvedSpec,
  s: IssueSink,
): void {
  if (typeOfIdentifier(key) !== 'extension-definition') {
    s.error(p, 'invalid-extension', `${p}: ${quote(key)} is not a valid extension-definition id`);
    return;
  }
  // section 2.9: STIX Meta Objects SHOULD use UUIDv4; the key is the id of the extension-definition.
  if (uuidVersionOf(key) !== 4) {
    s.warn(p, 'uuid-version', `${p}: extension-definition ids should be UUIDv4`);
  }
  const t = v.extension_type;
  if (t === undefined) {
    s.error(
      `${p}.extension_type`,
      'missing-required',
      `${p}.extension_type: is required; add one of ${[...EXTENSION_TYPES].join(', ')}`,
    );
    return;
  }
  if (typeof t !== 'string' || !EXTENSION_TYPES.has(t)) {
    s.error(
      `${p}.extension_type`,
      'not-in-enum',
      `${p}.extension_type: ${quote(t)} must be one of ${[...EXTENSION_TYPES].join(', ')}`,
    );
    return;
  }
  if (NEW_OBJECT.has(t) && !resolved.custom) {
    s.error(
      `${p}.extension_type`,
      'invalid-extension',
      `${p}.extension_type: '${t}' only fits a custom object type, not ${resolved.spec.type}`,
    );
  }
  if (t === 'toplevel-property-extension') {
    checkStruct(v, TOPLEVEL_ONLY, p, s);
    return;
  }
  // section 7.3.2: the extension's own properties follow the property-name and value rules.
  for (const name in v) {
    if (name === 'extension_type') continue;
    if (!isPropertyName(name)) {
      s.error(
        `${p}.${name}`,
        'invalid-property-name',
        `${p}.${name}: property names must begin with a letter and be 3-250 characters of a-z, 0-9 and _`,
      );
    } else checkCustomValue(`${p}.${name}`, v[name], s);
  }
}
