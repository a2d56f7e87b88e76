/**
 * The relationships STIX 2.1 defines (the "Relationships" table of each SDO section):
 * source type -> relationship_type -> target types. '@sco' stands for any SCO type.
 */
const TABLE: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'attack-pattern': {
    delivers: ['malware'],
    targets: ['identity', 'location', 'vulnerability'],
    uses: ['malware', 'tool'],
  },
  campaign: {
    'attributed-to': ['intrusion-set', 'threat-actor'],
    compromises: ['infrastructure'],
    'originates-from': ['location'],
    targets: ['identity', 'location', 'vulnerability'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
  },
  'course-of-action': {
    investigates: ['indicator'],
    mitigates: ['attack-pattern', 'indicator', 'malware', 'tool', 'vulnerability'],
    remediates: ['malware', 'vulnerability'],
  },
  identity: { 'located-at': ['location'] },
  'domain-name': { 'resolves-to': ['domain-name', 'ipv4-addr', 'ipv6-addr'] },
  'ipv4-addr': { 'resolves-to': ['mac-addr'], 'belongs-to': ['autonomous-system'] },
  'ipv6-addr': { 'resolves-to': ['mac-addr'], 'belongs-to': ['autonomous-system'] },
  indicator: {
    indicates: [
      'attack-pattern',
      'campaign',
      'infrastructure',
      'intrusion-set',
      'malware',
      'threat-actor',
      'tool',
    ],
    'based-on': ['observed-data'],
  },
  infrastructure: {
    'communicates-with': ['infrastructure', 'ipv4-addr', 'ipv6-addr', 'domain-name', 'url'],
    'consists-of': ['infrastructure', 'observed-data', '@sco'],
    controls: ['infrastructure', 'malware'],
    delivers: ['malware'],
    has: ['vulnerability'],
    hosts: ['tool', 'malware'],
    'located-at': ['location'],
    uses: ['infrastructure'],
  },
  'intrusion-set': {
    'attributed-to': ['threat-actor'],
    compromises: ['infrastructure'],
    hosts: ['infrastructure'],
    owns: ['infrastructure'],
    'originates-from': ['location'],
    targets: ['identity', 'location', 'vulnerability'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
  },
  malware: {
    'authored-by': ['threat-actor', 'intrusion-set'],
    'beacons-to': ['infrastructure'],
    'exfiltrates-to': ['infrastructure'],
    'communicates-with': ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url'],
    controls: ['malware'],
    downloads: ['malware', 'tool', 'file'],
    drops: ['malware', 'tool', 'file'],
    exploits: ['vulnerability'],
    'originates-from': ['location'],
    targets: ['identity', 'infrastructure', 'location', 'vulnerability'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
    'variant-of': ['malware'],
  },
  'malware-analysis': {
    characterizes: ['malware'],
    'analysis-of': ['malware'],
    'static-analysis-of': ['malware'],
    'dynamic-analysis-of': ['malware'],
  },
  'threat-actor': {
    'attributed-to': ['identity'],
    compromises: ['infrastructure'],
    hosts: ['infrastructure'],
    owns: ['infrastructure'],
    impersonates: ['identity'],
    'located-at': ['location'],
    targets: ['identity', 'location', 'vulnerability'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
  },
  tool: {
    delivers: ['malware'],
    drops: ['malware'],
    has: ['vulnerability'],
    targets: ['identity', 'infrastructure', 'location', 'vulnerability'],
    uses: ['infrastructure'],
  },
};

/** Relationship types valid between any two objects (section 5.1). */
const GENERIC = new Set(['derived-from', 'duplicate-of', 'related-to']);

const DEFINED = new Set<string>();
for (const byType of Object.values(TABLE)) for (const r of Object.keys(byType)) DEFINED.add(r);

/**
 * undefined when the triple is fine or outside what the spec defines (custom relationship types,
 * custom source or target types); otherwise the target types the spec lists.
 */
export function listedTargetsIfUnlisted(
  source: string,
  relationship: string,
  target: string,
  isSco: (t: string) => boolean,
  isSpecType: (t: string) => boolean,
): readonly string[] | undefined {
  if (GENERIC.has(relationship) || !DEFINED.has(relationship)) return undefined;
  if (!isSpecType(source) || !isSpecType(target)) return undefined;
  const bySource = Object.hasOwn(TABLE, source) ? TABLE[source] : undefined;
  const targets = bySource && Object.hasOwn(bySource, relationship) ? bySource[relationship] : undefined;
  if (targets === undefined) return [];
  if (targets.includes(target) || (targets.includes('@sco') && isSco(target))) return undefined;
  return targets;
}
