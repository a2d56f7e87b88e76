/** The object types STIX 2.1 defines, by category (sections 4-8). */
export type TypeCategory = 'sdo' | 'sro' | 'sco' | 'meta' | 'bundle';

export const SDO_TYPES = [
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
] as const;

export const SRO_TYPES = ['relationship', 'sighting'] as const;

export const SCO_TYPES = [
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
] as const;

export const META_TYPES = ['marking-definition', 'language-content', 'extension-definition'] as const;

const categories = new Map<string, TypeCategory>();
for (const t of SDO_TYPES) categories.set(t, 'sdo');
for (const t of SRO_TYPES) categories.set(t, 'sro');
for (const t of SCO_TYPES) categories.set(t, 'sco');
for (const t of META_TYPES) categories.set(t, 'meta');
categories.set('bundle', 'bundle');

/** The category of a spec-defined type; undefined for custom or unknown types. */
export function categoryOfType(type: string): TypeCategory | undefined {
  return categories.get(type);
}
