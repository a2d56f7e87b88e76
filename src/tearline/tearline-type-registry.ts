/**
 * What the sanitiser must know of each STIX 2.1 type: its kind, its required properties (a
 * removal that takes one away withholds the object instead of releasing invalid STIX) and its
 * specific properties (anything else that is not common is a custom property).
 * Each type declares its own rules here; shared code never branches on a type name.
 */
export type StixKind = 'sdo' | 'sro' | 'sco';

export interface TypeRules {
  kind: StixKind;
  required: readonly string[];
  properties: ReadonlySet<string>;
  /** Latitude/longitude are rounded by the profile (location only). */
  coordinates?: true;
}

export const SDO_COMMON = [
  'type',
  'spec_version',
  'id',
  'created_by_ref',
  'created',
  'modified',
  'revoked',
  'labels',
  'confidence',
  'lang',
  'external_references',
  'object_marking_refs',
  'granular_markings',
  'extensions',
];
export const SCO_COMMON = [
  'type',
  'spec_version',
  'id',
  'object_marking_refs',
  'granular_markings',
  'defanged',
  'extensions',
];
const SDO_REQUIRED = ['type', 'spec_version', 'id', 'created', 'modified'];
const SCO_REQUIRED = ['type', 'id'];

function sdo(kind: 'sdo' | 'sro', required: string[], specific: string[]): TypeRules {
  return {
    kind,
    required: [...SDO_REQUIRED, ...required],
    properties: new Set([...SDO_COMMON, ...specific]),
  };
}
function sco(required: string[], specific: string[]): TypeRules {
  return {
    kind: 'sco',
    required: [...SCO_REQUIRED, ...required],
    properties: new Set([...SCO_COMMON, ...specific]),
  };
}

const KILL_CHAIN = 'kill_chain_phases';
const SEEN = ['first_seen', 'last_seen'];
const MOTIVES = ['goals', 'resource_level', 'primary_motivation', 'secondary_motivations'];

export const TYPE_RULES: Readonly<Record<string, TypeRules>> = {
  'attack-pattern': sdo('sdo', ['name'], ['name', 'description', 'aliases', KILL_CHAIN]),
  campaign: sdo('sdo', ['name'], ['name', 'description', 'aliases', ...SEEN, 'objective']),
  'course-of-action': sdo('sdo', ['name'], ['name', 'description', 'action']),
  grouping: sdo('sdo', ['context', 'object_refs'], ['name', 'description', 'context', 'object_refs']),
  identity: sdo(
    'sdo',
    ['name'],
    ['name', 'description', 'roles', 'identity_class', 'sectors', 'contact_information'],
  ),
  incident: sdo('sdo', ['name'], ['name', 'description', KILL_CHAIN]),
  indicator: sdo(
    'sdo',
    ['pattern', 'pattern_type', 'valid_from'],
    [
      'name',
      'description',
      'indicator_types',
      'pattern',
      'pattern_type',
      'pattern_version',
      'valid_from',
      'valid_until',
      KILL_CHAIN,
    ],
  ),
  infrastructure: sdo(
    'sdo',
    ['name'],
    ['name', 'description', 'infrastructure_types', 'aliases', KILL_CHAIN, ...SEEN],
  ),
  'intrusion-set': sdo('sdo', ['name'], ['name', 'description', 'aliases', ...SEEN, ...MOTIVES]),
  location: {
    ...sdo(
      'sdo',
      [],
      [
        'name',
        'description',
        'latitude',
        'longitude',
        'precision',
        'region',
        'country',
        'administrative_area',
        'city',
        'street_address',
        'postal_code',
      ],
    ),
    coordinates: true,
  },
  malware: sdo(
    'sdo',
    ['is_family'],
    [
      'name',
      'description',
      'malware_types',
      'is_family',
      'aliases',
      KILL_CHAIN,
      ...SEEN,
      'operating_system_refs',
      'architecture_execution_envs',
      'implementation_languages',
      'capabilities',
      'sample_refs',
    ],
  ),
  'malware-analysis': sdo(
    'sdo',
    ['product'],
    [
      'product',
      'version',
      'host_vm_ref',
      'operating_system_ref',
      'installed_software_refs',
      'configuration_version',
      'modules',
      'analysis_engine_version',
      'analysis_definition_version',
      'submitted',
      'analysis_started',
      'analysis_ended',
      'result_name',
      'result',
      'analysis_sco_refs',
      'sample_ref',
    ],
  ),
  note: sdo('sdo', ['content', 'object_refs'], ['abstract', 'content', 'authors', 'object_refs']),
  'observed-data': sdo(
    'sdo',
    ['first_observed', 'last_observed', 'number_observed', 'object_refs'],
    ['first_observed', 'last_observed', 'number_observed', 'object_refs'],
  ),
  opinion: sdo('sdo', ['opinion', 'object_refs'], ['explanation', 'authors', 'opinion', 'object_refs']),
  report: sdo(
    'sdo',
    ['name', 'published', 'object_refs'],
    ['name', 'description', 'report_types', 'published', 'object_refs'],
  ),
  'threat-actor': sdo(
    'sdo',
    ['name'],
    [
      'name',
      'description',
      'threat_actor_types',
      'aliases',
      ...SEEN,
      'roles',
      'sophistication',
      'personal_motivations',
      ...MOTIVES,
    ],
  ),
  tool: sdo('sdo', ['name'], ['name', 'description', 'tool_types', 'aliases', KILL_CHAIN, 'tool_version']),
  vulnerability: sdo('sdo', ['name'], ['name', 'description']),
  relationship: sdo(
    'sro',
    ['relationship_type', 'source_ref', 'target_ref'],
    ['relationship_type', 'description', 'source_ref', 'target_ref', 'start_time', 'stop_time'],
  ),
  sighting: sdo(
    'sro',
    ['sighting_of_ref'],
    [
      'description',
      ...SEEN,
      'count',
      'sighting_of_ref',
      'observed_data_refs',
      'where_sighted_refs',
      'summary',
    ],
  ),
  artifact: sco([], ['mime_type', 'payload_bin', 'url', 'hashes', 'encryption_algorithm', 'decryption_key']),
  'autonomous-system': sco(['number'], ['number', 'name', 'rir']),
  directory: sco(['path'], ['path', 'path_enc', 'ctime', 'mtime', 'atime', 'contains_refs']),
  'domain-name': sco(['value'], ['value', 'resolves_to_refs']),
  'email-addr': sco(['value'], ['value', 'display_name', 'belongs_to_ref']),
  'email-message': sco(
    ['is_multipart'],
    [
      'is_multipart',
      'date',
      'content_type',
      'from_ref',
      'sender_ref',
      'to_refs',
      'cc_refs',
      'bcc_refs',
      'message_id',
      'subject',
      'received_lines',
      'additional_header_fields',
      'body',
      'body_multipart',
      'raw_email_ref',
    ],
  ),
  file: sco(
    [],
    [
      'hashes',
      'size',
      'name',
      'name_enc',
      'magic_number_hex',
      'mime_type',
      'ctime',
      'mtime',
      'atime',
      'parent_directory_ref',
      'contains_refs',
      'content_ref',
    ],
  ),
  'ipv4-addr': sco(['value'], ['value', 'resolves_to_refs', 'belongs_to_refs']),
  'ipv6-addr': sco(['value'], ['value', 'resolves_to_refs', 'belongs_to_refs']),
  'mac-addr': sco(['value'], ['value']),
  mutex: sco(['name'], ['name']),
  'network-traffic': sco(
    ['protocols'],
    [
      'start',
      'end',
      'is_active',
      'src_ref',
      'dst_ref',
      'src_port',
      'dst_port',
      'protocols',
      'src_byte_count',
      'dst_byte_count',
      'src_packets',
      'dst_packets',
      'ipfix',
      'src_payload_ref',
      'dst_payload_ref',
      'encapsulates_refs',
      'encapsulated_by_ref',
    ],
  ),
  process: sco(
    [],
    [
      'is_hidden',
      'pid',
      'created_time',
      'cwd',
      'command_line',
      'environment_variables',
      'opened_connection_refs',
      'creator_user_ref',
      'image_ref',
      'parent_ref',
      'child_refs',
    ],
  ),
  software: sco(['name'], ['name', 'cpe', 'swid', 'languages', 'vendor', 'version']),
  url: sco(['value'], ['value']),
  'user-account': sco(
    [],
    [
      'user_id',
      'credential',
      'account_login',
      'account_type',
      'display_name',
      'is_service_account',
      'is_privileged',
      'can_escalate_privs',
      'is_disabled',
      'account_created',
      'account_expires',
      'credential_last_changed',
      'account_first_login',
      'account_last_login',
    ],
  ),
  'windows-registry-key': sco(
    [],
    ['key', 'values', 'modified_time', 'creator_user_ref', 'number_of_subkeys'],
  ),
  'x509-certificate': sco(
    [],
    [
      'is_self_signed',
      'hashes',
      'version',
      'serial_number',
      'signature_algorithm',
      'issuer',
      'validity_not_before',
      'validity_not_after',
      'subject',
      'subject_public_key_algorithm',
      'subject_public_key_modulus',
      'subject_public_key_exponent',
      'x509_v3_extensions',
    ],
  ),
};

/** Extensions the STIX 2.1 spec defines for SCOs: part of the standard, never "custom". */
export const PREDEFINED_EXTENSIONS: ReadonlySet<string> = new Set([
  'archive-ext',
  'ntfs-ext',
  'pdf-ext',
  'raster-image-ext',
  'windows-pebinary-ext',
  'http-request-ext',
  'icmp-ext',
  'socket-ext',
  'tcp-ext',
  'windows-process-ext',
  'windows-service-ext',
  'unix-account-ext',
]);

/** Ends of validity or observation: coarsened upwards so that start <= end stays true. */
export const END_TIMESTAMPS: ReadonlySet<string> = new Set([
  'last_seen',
  'last_observed',
  'valid_until',
  'stop_time',
]);

/** Rules for an allowed custom type: SDO-like when it has `created`, else SCO-like; nothing specific required. */
const CUSTOM_SDO: TypeRules = { kind: 'sdo', required: SDO_REQUIRED, properties: new Set(SDO_COMMON) };
const CUSTOM_SCO: TypeRules = { kind: 'sco', required: SCO_REQUIRED, properties: new Set(SCO_COMMON) };
export function customTypeRules(hasCreated: boolean): TypeRules {
  return hasCreated ? CUSTOM_SDO : CUSTOM_SCO;
}
