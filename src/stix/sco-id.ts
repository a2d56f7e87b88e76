import { canonicalJson } from './canonical-json.js';
import type { JsonObject, JsonValue } from './types.js';
import { uuidV5 } from './uuid.js';

/** STIX 2.1 section 2.9: the namespace of deterministic SCO identifiers. */
export const SCO_ID_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** The ID contributing properties of each SCO type (STIX 2.1, one list per SCO section). */
export const SCO_ID_CONTRIBUTING: Readonly<Record<string, readonly string[]>> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': [
    'start',
    'end',
    'src_ref',
    'dst_ref',
    'src_port',
    'dst_port',
    'protocols',
    'extensions',
  ],
  process: [],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

/** When `hashes` contributes, only one hash is used, in this order of preference (section 2.9). */
const HASH_PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

function chooseOneHash(hashes: JsonValue): JsonValue | undefined {
  if (typeof hashes !== 'object' || hashes === null || Array.isArray(hashes)) return undefined;
  for (const name of HASH_PREFERENCE) {
    const value = hashes[name];
    if (value !== undefined) return { [name]: value };
  }
  const first = Object.keys(hashes).sort()[0];
  return first === undefined ? undefined : { [first]: hashes[first] as JsonValue };
}

/**
 * The deterministic id an SCO should have, or undefined when its type has no contributing
 * properties (process, custom SCOs) or none is present, in which case a UUIDv4 is the rule.
 */
export function computeScoId(obj: JsonObject): string | undefined {
  const type = obj.type;
  if (typeof type !== 'string') return undefined;
  const props = Object.hasOwn(SCO_ID_CONTRIBUTING, type) ? SCO_ID_CONTRIBUTING[type] : undefined;
  if (!props || props.length === 0) return undefined;
  const contributing: JsonObject = {};
  for (const prop of props) {
    const value = obj[prop];
    if (value === undefined) continue;
    if (prop === 'hashes') {
      const one = chooseOneHash(value);
      if (one !== undefined) contributing[prop] = one;
    } else {
      contributing[prop] = value;
    }
  }
  if (Object.keys(contributing).length === 0) return undefined;
  const name = canonicalJson(contributing);
  return `${type}--${uuidV5(SCO_ID_NAMESPACE, name)}`;
}
