import { isRfc5646Tag } from './language-codes.js';
import {
  bool,
  hashes,
  int,
  listOf,
  type PropCheck,
  str,
  struct,
  timestampMillis,
  url,
} from './property-checks.js';
import { isIdentifierOfType, isTypeName, typeOfIdentifier } from './stix-formats.js';
import { isVocabHashName } from './stix-hashes.js';
import { type IssueSink, quote } from './validation-sink.js';

const CVE_RE = /^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$/;
const CAPEC_RE = /^CAPEC-\d+$/;

function checkExternalReference(o: Record<string, unknown>, p: string, s: IssueSink): void {
  if (o.description === undefined && o.url === undefined && o.external_id === undefined) {
    s.error(
      p,
      'co-constraint',
      `${p}: besides source_name, give at least one of description, url or external_id`,
    );
  }
  // section 2.5.1: hashes SHOULD be provided when url is present (so the content can be checked).
  if (o.url !== undefined && o.hashes === undefined) {
    s.warn(
      `${p}.hashes`,
      'should-be-present',
      `${p}.hashes: should be given with url, so the content can be checked`,
    );
  }
  const name = o.source_name;
  const extId = o.external_id;
  if (typeof name !== 'string') return;
  const lower = name.toLowerCase();
  // section 2.5: CVE and CAPEC references use the lowercase source names and their id formats.
  if ((lower === 'cve' || lower === 'capec') && name !== lower) {
    s.error(`${p}.source_name`, 'invalid-format', `${p}.source_name: write '${lower}' in lowercase`);
  }
  if (lower === 'cve' && typeof extId === 'string' && !CVE_RE.test(extId)) {
    s.error(
      `${p}.external_id`,
      'invalid-format',
      `${p}.external_id: ${quote(extId)} is not a CVE id like CVE-2016-1234`,
    );
  }
  if (lower === 'capec' && typeof extId === 'string' && !CAPEC_RE.test(extId)) {
    s.error(
      `${p}.external_id`,
      'invalid-format',
      `${p}.external_id: ${quote(extId)} is not a CAPEC id like CAPEC-463`,
    );
  }
}

/** section 2.5.1: an external reference's hash names MUST come from hash-algorithm-ov. */
const externalHashes: PropCheck = (v, p, s) => {
  hashes(v, p, s);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
  for (const name in v) {
    if (!isVocabHashName(name)) {
      s.error(
        `${p}.${name}`,
        'not-in-enum',
        `${p}.${name}: an external reference's hashes must use hash-algorithm-ov names (MD5, SHA-1, SHA-256, ...)`,
      );
    }
  }
};

export const externalReference = struct({
  props: { source_name: str, description: str, url, hashes: externalHashes, external_id: str },
  required: ['source_name'],
  rules: [checkExternalReference],
});

const KCP_NAME_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const killChainPhase = struct({
  props: { kill_chain_name: str, phase_name: str },
  required: ['kill_chain_name', 'phase_name'],
  rules: [
    (o, p, s) => {
      for (const k of ['kill_chain_name', 'phase_name'] as const) {
        const v = o[k];
        if (typeof v === 'string' && !KCP_NAME_RE.test(v)) {
          s.warn(
            `${p}.${k}`,
            'format-advice',
            `${p}.${k}: ${quote(v)} should be lowercase words joined by hyphens`,
          );
        }
      }
    },
  ],
});

export const specVersion: PropCheck = (v, p, s) => {
  if (v !== '2.1')
    s.error(p, 'invalid-spec-version', `${p}: ${quote(v)} is not supported; this validator reads STIX '2.1'`);
};

export const lang: PropCheck = (v, p, s) => {
  if (typeof v !== 'string' || !isRfc5646Tag(v)) {
    s.error(p, 'invalid-format', `${p}: ${quote(v)} is not an RFC 5646 language tag like 'en' or 'fr-CA'`);
  }
};

/** section 3.2: the spec describes created_by_ref as the id of an identity without a MUST, so a warning. */
export const createdByRef: PropCheck = (v, p, s) => {
  if (typeof v !== 'string') {
    s.error(p, 'invalid-property-type', `${p}: ${quote(v)} is not an identifier string`);
    return;
  }
  if (isIdentifierOfType(v, 'identity')) return;
  const type = typeOfIdentifier(v);
  if (type === undefined)
    s.error(p, 'invalid-id', `${p}: ${quote(v)} is not an identifier of the form type--UUID`);
  else if (type !== 'identity') {
    s.warn(
      p,
      'created-by-ref-not-identity',
      `${p}: ${quote(v)} should be the id of an identity, not a ${type}`,
    );
  }
};

/** Handled by the engine (markings, extensions) after the property loop. */
export const engineHandled: PropCheck = () => {};

const typeProp: PropCheck = (v, p, s) => {
  if (typeof v !== 'string' || !isTypeName(v)) {
    s.error(
      p,
      'invalid-type-name',
      `${p}: ${quote(v)} is not a valid type name (3-250 chars of a-z, 0-9, single hyphens)`,
    );
  }
};

const shared = {
  type: typeProp,
  id: engineHandled,
  object_marking_refs: engineHandled,
  granular_markings: engineHandled,
  extensions: engineHandled,
};

/** section 3.2: common properties of SDOs and SROs. */
export const SDO_SRO_COMMON: Readonly<Record<string, PropCheck>> = {
  ...shared,
  spec_version: specVersion,
  created_by_ref: createdByRef,
  created: timestampMillis,
  modified: timestampMillis,
  revoked: bool,
  labels: listOf(str),
  confidence: int(0, 100),
  lang,
  external_references: listOf(externalReference),
};
export const SDO_SRO_REQUIRED = ['type', 'spec_version', 'id', 'created', 'modified'] as const;

/** section 6.1: common properties of SCOs. */
export const SCO_COMMON: Readonly<Record<string, PropCheck>> = {
  ...shared,
  spec_version: specVersion,
  defanged: bool,
};
export const SCO_REQUIRED = ['type', 'id'] as const;

/**
 * section 7: marking-definition, language-content and extension-definition have the same
 * common properties as SDOs and SROs (the spec lists them again; the checks are the same).
 */
export const META_COMMON: Readonly<Record<string, PropCheck>> = SDO_SRO_COMMON;
