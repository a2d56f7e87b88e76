import { isKnownCharset } from './iana-names.js';
import { isIpfixElementName } from './ipfix-names.js';
import { isIso6392Code, isRfc5646Tag } from './language-codes.js';
import {
  binary,
  bool,
  dictOf,
  hashes,
  hex,
  int,
  listOf,
  oneOf,
  type PropCheck,
  ref,
  str,
  struct,
  timestamp,
  url,
  vocab,
} from './property-checks.js';
import {
  isCpe23,
  isEmailAddrSpec,
  isIpv4OrCidr,
  isIpv6OrCidr,
  isMacAddress,
  isMediaType,
  isUrl,
} from './stix-formats.js';
import { VOCABS } from './stix-vocabularies.js';
import { ruleAnyOf, ruleNotBoth, ruleRequires, ruleTimeOrder } from './type-rules.js';
import type { TypeSpec } from './type-spec.js';
import { SCO_EXTENSIONS } from './types-sco-extensions.js';
import { type IssueSink, quote } from './validation-sink.js';

function formatted(test: (s: string) => boolean, what: string): PropCheck {
  return (v, p, s) => {
    if (typeof v !== 'string') s.error(p, 'invalid-property-type', `${p}: ${quote(v)} is not a string`);
    else if (!test(v)) s.error(p, 'invalid-format', `${p}: ${quote(v)} is not ${what}`);
  };
}

function advised(test: (s: string) => boolean, what: string): PropCheck {
  return (v, p, s) => {
    if (typeof v !== 'string') s.error(p, 'invalid-property-type', `${p}: ${quote(v)} is not a string`);
    else if (!test(v)) s.warn(p, 'format-advice', `${p}: ${quote(v)} should be ${what}`);
  };
}

/**
 * section 6.14: each language MUST be an RFC 5646 code. ISO 639-2 codes (the STIX 2.0 rule, which
 * the reference validator still accepts for compatibility) are accepted too.
 */
const softwareLanguage: PropCheck = (v, p, s) => {
  if (typeof v !== 'string') return s.error(p, 'invalid-property-type', `${p}: ${quote(v)} is not a string`);
  if (!isRfc5646Tag(v) && !isIso6392Code(v))
    s.error(p, 'invalid-format', `${p}: ${quote(v)} is not an RFC 5646 language code like 'en' or 'pt-BR'`);
};

const mimeType = advised(isMediaType, "an IANA media type like 'text/plain'");

/**
 * section 6.12.1: each ipfix value MUST be an integer or a string; each key SHOULD be an IPFIX
 * Information Element name from the IANA registry.
 */
const ipfixEntries = dictOf();
const ipfix: PropCheck = (v, p, s) => {
  ipfixEntries(v, p, s);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
  for (const [k, value] of Object.entries(v)) {
    const kp = `${p}.${k}`;
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value)))
      s.error(kp, 'invalid-property-type', `${kp}: ${quote(value)} must be an integer or a string`);
    if (!isIpfixElementName(k))
      s.warn(kp, 'format-advice', `${kp}: ${quote(k)} should be an IPFIX element name like octetDeltaCount`);
  }
};
const charset = advised(isKnownCharset, "an IANA character set name like 'UTF-8'");
const nonNeg = int(0);
const refs = (...types: string[]) => listOf(ref({ types }));
const one = (...types: string[]) => ref({ types });
const urlValue = formatted(isUrl, 'a valid URL (RFC 3986); give an absolute URL with a scheme');

/** section 6.10 windows-registry-key: the hive MUST be spelled out, e.g. HKEY_LOCAL_MACHINE, not HKLM. */
const HIVE_ABBREVIATIONS = /^(hklm|hkcu|hkcr|hkcc|hku|hkpd)(\\|$)/i;
const registryKey: PropCheck = (v, p, s) => {
  if (typeof v !== 'string') return s.error(p, 'invalid-property-type', `${p}: ${quote(v)} is not a string`);
  if (HIVE_ABBREVIATIONS.test(v)) {
    s.error(
      p,
      'invalid-format',
      `${p}: ${quote(v)} abbreviates the hive; write it in full, e.g. HKEY_LOCAL_MACHINE`,
    );
  }
};

const REG_DATA_TYPES = [
  'REG_NONE',
  'REG_SZ',
  'REG_EXPAND_SZ',
  'REG_BINARY',
  'REG_DWORD',
  'REG_DWORD_BIG_ENDIAN',
  'REG_DWORD_LITTLE_ENDIAN',
  'REG_LINK',
  'REG_MULTI_SZ',
  'REG_RESOURCE_LIST',
  'REG_FULL_RESOURCE_DESCRIPTION',
  'REG_RESOURCE_REQUIREMENTS_LIST',
  'REG_QWORD',
  'REG_INVALID_TYPE',
];

const mimePart = struct({
  props: { body: str, body_raw_ref: one('artifact', 'file'), content_type: str, content_disposition: str },
  rules: [
    (o, p, s) => {
      if (o.body !== undefined && o.body_raw_ref !== undefined)
        s.error(p, 'co-constraint', `${p}: give body or body_raw_ref, not both`);
      if (o.body === undefined && o.body_raw_ref === undefined)
        s.error(p, 'co-constraint', `${p}: give one of body or body_raw_ref`);
    },
  ],
});

/** A structure with every property optional MUST still have one (sections 6.17.2 and 6.18.2). */
function atLeastOneOf(what: string): (o: Record<string, unknown>, p: string, s: IssueSink) => void {
  return (o, p, s) => {
    for (const _ in o) return;
    s.error(p, 'co-constraint', `${p}: ${what} must have at least one property; add one or remove it`);
  };
}

const x509v3 = struct({
  rules: [atLeastOneOf('x509_v3_extensions')],
  props: {
    basic_constraints: str,
    name_constraints: str,
    policy_constraints: str,
    key_usage: str,
    extended_key_usage: str,
    subject_key_identifier: str,
    authority_key_identifier: str,
    subject_alternative_name: str,
    issuer_alternative_name: str,
    subject_directory_attributes: str,
    crl_distribution_points: str,
    inhibit_any_policy: str,
    private_key_usage_period_not_before: timestamp,
    private_key_usage_period_not_after: timestamp,
    certificate_policies: str,
    policy_mappings: str,
  },
});

/*
 * Types whose properties are all optional (sections 6.16 and 6.18): the spec's "at least one"
 * rule is their property list, so the list is written once and the rule reads it.
 */
const USER_ACCOUNT_PROPS: Record<string, PropCheck> = {
  user_id: str,
  credential: str,
  account_login: str,
  account_type: vocab('account-type-ov', VOCABS['account-type-ov']),
  display_name: str,
  is_service_account: bool,
  is_privileged: bool,
  can_escalate_privs: bool,
  is_disabled: bool,
  account_created: timestamp,
  account_expires: timestamp,
  credential_last_changed: timestamp,
  account_first_login: timestamp,
  account_last_login: timestamp,
};
const X509_CERTIFICATE_PROPS: Record<string, PropCheck> = {
  is_self_signed: bool,
  hashes,
  version: str,
  serial_number: str,
  signature_algorithm: str,
  issuer: str,
  validity_not_before: timestamp,
  validity_not_after: timestamp,
  subject: str,
  subject_public_key_algorithm: str,
  subject_public_key_modulus: str,
  subject_public_key_exponent: nonNeg,
  x509_v3_extensions: x509v3,
};

const BASE_SPECS: readonly TypeSpec[] = [
  {
    type: 'artifact',
    category: 'sco',
    props: {
      mime_type: advised(isMediaType, "an IANA media type like 'application/zip'"),
      payload_bin: binary,
      url,
      hashes,
      encryption_algorithm: oneOf(['AES-256-GCM', 'ChaCha20-Poly1305', 'mime-type-indicated']),
      decryption_key: str,
    },
    rules: [
      ruleAnyOf(['payload_bin', 'url']),
      ruleNotBoth('payload_bin', 'url'),
      ruleRequires('url', 'hashes'),
      ruleRequires('decryption_key', 'encryption_algorithm'),
    ],
  },
  {
    type: 'autonomous-system',
    category: 'sco',
    props: { number: nonNeg, name: str, rir: str },
    required: ['number'],
  },
  {
    type: 'directory',
    category: 'sco',
    props: {
      path: str,
      path_enc: charset,
      ctime: timestamp,
      mtime: timestamp,
      atime: timestamp,
      contains_refs: refs('file', 'directory'),
    },
    required: ['path'],
  },
  {
    type: 'domain-name',
    category: 'sco',
    props: { value: str, resolves_to_refs: refs('ipv4-addr', 'ipv6-addr', 'domain-name') },
    required: ['value'],
  },
  {
    type: 'email-addr',
    category: 'sco',
    props: {
      value: formatted(
        isEmailAddrSpec,
        'a single email address without display name (put that in display_name)',
      ),
      display_name: str,
      belongs_to_ref: one('user-account'),
    },
    required: ['value'],
  },
  {
    type: 'email-message',
    category: 'sco',
    props: {
      is_multipart: bool,
      date: timestamp,
      content_type: str,
      from_ref: one('email-addr'),
      sender_ref: one('email-addr'),
      to_refs: refs('email-addr'),
      cc_refs: refs('email-addr'),
      bcc_refs: refs('email-addr'),
      message_id: str,
      subject: str,
      received_lines: listOf(str),
      additional_header_fields: dictOf(),
      body: str,
      body_multipart: listOf(mimePart),
      raw_email_ref: one('artifact'),
    },
    required: ['is_multipart'],
    rules: [
      (o, s) => {
        if (o.is_multipart === true && o.body !== undefined)
          s.error(
            'body',
            'co-constraint',
            'body: must not be present when is_multipart is true; use body_multipart',
          );
        if (o.is_multipart === false && o.body_multipart !== undefined)
          s.error(
            'body_multipart',
            'co-constraint',
            'body_multipart: must not be present when is_multipart is false; use body',
          );
      },
    ],
  },
  {
    type: 'file',
    category: 'sco',
    props: {
      hashes,
      size: nonNeg,
      name: str,
      name_enc: charset,
      magic_number_hex: hex,
      mime_type: mimeType,
      ctime: timestamp,
      mtime: timestamp,
      atime: timestamp,
      parent_directory_ref: one('directory'),
      contains_refs: listOf(ref({ categories: ['sco'] })),
      content_ref: one('artifact'),
    },
    rules: [ruleAnyOf(['hashes', 'name'])],
  },
  {
    type: 'ipv4-addr',
    category: 'sco',
    props: {
      value: formatted(isIpv4OrCidr, 'an IPv4 address or CIDR block'),
      resolves_to_refs: refs('mac-addr'),
      belongs_to_refs: refs('autonomous-system'),
    },
    required: ['value'],
  },
  {
    type: 'ipv6-addr',
    category: 'sco',
    props: {
      value: formatted(isIpv6OrCidr, 'an IPv6 address or CIDR block'),
      resolves_to_refs: refs('mac-addr'),
      belongs_to_refs: refs('autonomous-system'),
    },
    required: ['value'],
  },
  {
    type: 'mac-addr',
    category: 'sco',
    props: {
      value: formatted(isMacAddress, "a lowercase colon-delimited MAC address like 'd2:fb:49:24:37:18'"),
    },
    required: ['value'],
  },
  { type: 'mutex', category: 'sco', props: { name: str }, required: ['name'] },
  {
    type: 'network-traffic',
    category: 'sco',
    props: {
      start: timestamp,
      end: timestamp,
      is_active: bool,
      src_ref: one('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'),
      dst_ref: one('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'),
      src_port: int(0, 65535),
      dst_port: int(0, 65535),
      protocols: listOf(
        advised((v) => /^[a-z0-9][a-z0-9-]{0,14}$/.test(v), 'a lowercase IANA service or protocol name'),
      ),
      src_byte_count: nonNeg,
      dst_byte_count: nonNeg,
      src_packets: nonNeg,
      dst_packets: nonNeg,
      ipfix,
      src_payload_ref: one('artifact'),
      dst_payload_ref: one('artifact'),
      encapsulates_refs: refs('network-traffic'),
      encapsulated_by_ref: one('network-traffic'),
    },
    required: ['protocols'],
    rules: [
      ruleAnyOf(['src_ref', 'dst_ref']),
      ruleTimeOrder('start', 'end'),
      (o, s) => {
        if (o.is_active === true && o.end !== undefined)
          s.error('end', 'co-constraint', 'end: must not be present when is_active is true; remove one');
        // Best practice of the reference validator: a flow is identified by both ports.
        if (o.src_port === undefined || o.dst_port === undefined) {
          s.warn(
            o.src_port === undefined ? 'src_port' : 'dst_port',
            'should-be-present',
            'network-traffic should give both src_port and dst_port',
          );
        }
      },
    ],
  },
  {
    type: 'process',
    category: 'sco',
    props: {
      is_hidden: bool,
      pid: int(),
      created_time: timestamp,
      cwd: str,
      command_line: str,
      environment_variables: dictOf(),
      opened_connection_refs: refs('network-traffic'),
      creator_user_ref: one('user-account'),
      image_ref: one('file'),
      parent_ref: one('process'),
      child_refs: refs('process'),
    },
    rules: [
      (o, s) => {
        for (const k in o) if (k !== 'type' && k !== 'id' && k !== 'spec_version') return;
        s.error(
          '',
          'co-constraint',
          'a process must have at least one property besides type and id; add one',
        );
      },
    ],
  },
  {
    type: 'software',
    category: 'sco',
    props: {
      name: str,
      cpe: formatted(isCpe23, 'a CPE 2.3 string like cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*'),
      swid: str,
      languages: listOf(softwareLanguage),
      vendor: str,
      version: str,
    },
    required: ['name'],
  },
  { type: 'url', category: 'sco', props: { value: urlValue }, required: ['value'] },
  {
    type: 'user-account',
    category: 'sco',
    props: USER_ACCOUNT_PROPS,
    // section 6.16: every property is optional, so at least one (or an extension) MUST be given.
    rules: [ruleAnyOf(['extensions', ...Object.keys(USER_ACCOUNT_PROPS)])],
  },
  {
    type: 'windows-registry-key',
    category: 'sco',
    props: {
      key: registryKey,
      values: listOf(
        struct({
          props: { name: str, data: str, data_type: oneOf(REG_DATA_TYPES) },
          rules: [atLeastOneOf('a registry value')],
        }),
      ),
      modified_time: timestamp,
      creator_user_ref: one('user-account'),
      number_of_subkeys: nonNeg,
    },
    // section 6.17: every property is optional, so at least one MUST be given.
    rules: [ruleAnyOf(['key', 'values', 'modified_time', 'creator_user_ref', 'number_of_subkeys'])],
  },
  {
    type: 'x509-certificate',
    category: 'sco',
    props: X509_CERTIFICATE_PROPS,
    rules: [
      // section 6.18: at least one object-specific property (extensions do not count).
      ruleAnyOf(Object.keys(X509_CERTIFICATE_PROPS)),
      // The spec states no order for validity; an inverted window is only suspicious.
      ruleTimeOrder('validity_not_before', 'validity_not_after', false, true),
    ],
  },
];

export const SCO_SPECS: readonly TypeSpec[] = BASE_SPECS.map((spec) => {
  const extensions = SCO_EXTENSIONS[spec.type];
  return extensions ? { ...spec, extensions } : spec;
});
