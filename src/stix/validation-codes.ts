/**
 * The one catalog of validator finding codes. Codes are stable: importers, the CLI's --json output
 * and tests match on them. Each entry says what the code means; the message of a finding names
 * the field and the fix.
 */
export const VALIDATION_CODES = {
  'not-an-object': 'a STIX object or bundle must be a JSON object',
  'invalid-type-name': 'type is not a valid STIX type name',
  'invalid-id': 'id (or an identifier value) is not of the form type--UUID',
  'id-type-mismatch': 'the type prefix of id differs from type',
  'uuid-version': 'the UUID version differs from the one the spec recommends for this kind of object',
  'sco-id-mismatch': 'an SCO id differs from the deterministic UUIDv5 of its contributing properties',
  'missing-required': 'a required property is absent',
  'invalid-property-type': 'a property value has the wrong JSON type',
  'invalid-timestamp': 'not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SS[.s+]Z)',
  'invalid-spec-version': 'spec_version is not 2.1',
  'empty-list': 'a list or dictionary is empty; omit the property instead',
  'out-of-range': 'a number is outside its allowed range',
  'not-in-enum': 'a value is not in a closed enumeration',
  'not-in-vocab': 'a value is not in an open vocabulary (allowed, but should be avoided)',
  'ref-wrong-type': 'a reference points to an object of a type the property does not allow',
  'created-by-ref-not-identity': 'created_by_ref names an object that is not an identity',
  'invalid-property-name': 'a property or dictionary key name breaks the STIX naming rules',
  'custom-property': 'a custom property outside a toplevel-property-extension (deprecated in 2.1)',
  'custom-object-without-extension':
    'a custom object type declared without a new-sdo/new-sco/new-sro extension',
  'reserved-property': 'a reserved property is used',
  deprecated: 'a deprecated property or construct is used',
  'timestamp-order': 'two timestamps are in the wrong order',
  'co-constraint': 'a combination of properties the spec forbids or requires',
  'should-be-present': 'a property the spec says should be present is absent',
  'invalid-url': 'not a valid absolute URL (RFC 3986)',
  'invalid-format': 'a string does not have the format the spec requires',
  'format-advice': 'a string does not have the format the spec recommends',
  'invalid-hash-value': 'a hash value does not fit its algorithm',
  'hash-algorithm-unknown': 'a hash algorithm name outside hash-algorithm-ov',
  'invalid-extension': 'an extension entry is malformed or not allowed here',
  'custom-extension-deprecated': 'a 2.0-style custom SCO extension instead of an extension-definition',
  'invalid-marking-ref': 'a marking reference is not a marking-definition id',
  'unresolved-marking': 'a marking definition referenced by the object is not known (fail closed)',
  'circular-marking': 'a marking definition marks itself',
  'invalid-granular-marking': 'a granular marking is malformed (marking_ref xor lang, selectors)',
  'unresolved-container-ref':
    "a reference inside observed-data's deprecated objects container names no key of that container",
  'unresolved-selector': 'a granular marking selector does not resolve to a property or list item',
  'invalid-tlp': 'a TLP marking definition differs from the standard one',
  'invalid-pattern': 'the STIX pattern does not parse or names invalid object types or hashes',
  'relationship-not-recommended':
    'a spec-defined relationship_type used between types the spec does not list',
  'bundle-not-an-object': 'a bundle was given where a STIX object is expected',
  'bundle-unknown-property': 'a bundle property the spec does not define',
  'duplicate-object': 'the same object version appears twice in a bundle',
  'unknown-extension-property':
    'a property inside a predefined extension or structure that the spec does not define',
} as const;

export type ValidationCode = keyof typeof VALIDATION_CODES;
