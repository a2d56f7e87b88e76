import type { ValidationCode } from '../src/stix/validation-codes.js';

/**
 * One case per rule of docs/stix-conformance.md: a document that breaks the clause (the validator
 * must report `code` at `level`) and the same document put right (no finding with that code).
 * test/stix-conformance-rules.test.ts runs them; test/stix-conformance-table.test.ts checks that
 * every rule code has at least one.
 */
export interface RuleCase {
  clause: string;
  code: ValidationCode;
  level: 'error' | 'warning';
  bad: unknown;
  good: unknown;
  /** Validate as a bundle (validateBundle) rather than one object. */
  bundle?: boolean;
}

type Obj = Record<string, unknown>;

const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const IDENTITY = 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c';
const TS = '2016-04-06T20:03:48.000Z';
const TLP_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const EXT_DEF = 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e';

const indicator: Obj = {
  type: 'indicator',
  spec_version: '2.1',
  id: ID,
  created: TS,
  modified: TS,
  name: 'Poison Ivy',
  description: 'A file hash of Poison Ivy',
  indicator_types: ['malicious-activity'],
  pattern_type: 'stix',
  pattern: "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
  valid_from: TS,
};
const tool: Obj = {
  type: 'tool',
  spec_version: '2.1',
  id: 'tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: TS,
  modified: TS,
  name: 'VNC',
};
const file: Obj = {
  type: 'file',
  spec_version: '2.1',
  id: 'file--41582d78-96c3-56dc-875e-e5227324267b',
  name: 'foo.dll',
};
const software: Obj = {
  type: 'software',
  spec_version: '2.1',
  id: 'software--a1827f6d-ca53-5605-9e93-4316cd22a00a',
  name: 'Word',
};
const location: Obj = {
  type: 'location',
  spec_version: '2.1',
  id: 'location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64',
  created: TS,
  modified: TS,
  country: 'af',
};
const extensionDefinition: Obj = {
  type: 'extension-definition',
  spec_version: '2.1',
  id: EXT_DEF,
  created: TS,
  modified: TS,
  created_by_ref: IDENTITY,
  name: 'Ranks',
  description: 'Adds a rank to objects',
  schema: 'https://example.com/schema.json',
  version: '1.0.0',
  extension_types: ['property-extension'],
};
const statement: Obj = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: 'marking-definition--3f9b6c0a-3d4a-4a0c-9f6b-1c2d3e4f5a6b',
  created: TS,
  definition_type: 'statement',
  definition: { statement: 'Copyright 2016' },
};
const bundle = (objects: unknown[], extra: Obj = {}): Obj => ({
  type: 'bundle',
  id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
  objects,
  ...extra,
});

const withOut = (o: Obj, ...keys: string[]): Obj => {
  const c = { ...o };
  for (const k of keys) delete c[k];
  return c;
};

export const RULE_CASES: readonly RuleCase[] = [
  { clause: '3.2 type', code: 'not-an-object', level: 'error', bad: ['indicator'], good: indicator },
  {
    clause: '3.1 type names begin with a letter',
    code: 'invalid-type-name',
    level: 'error',
    bad: { ...tool, type: '1tool' },
    good: tool,
  },
  {
    clause: '2.9 identifier form',
    code: 'invalid-id',
    level: 'error',
    bad: { ...tool, id: 'tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3' },
    good: tool,
  },
  {
    clause: '2.9 identifier type prefix',
    code: 'id-type-mismatch',
    level: 'error',
    bad: { ...tool, id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' },
    good: tool,
  },
  {
    clause: '2.9 SDOs SHOULD use UUIDv4',
    code: 'uuid-version',
    level: 'warning',
    bad: { ...tool, id: 'tool--8e2e2d2b-17d4-5cbf-938f-98ee46b3cd3f' },
    good: tool,
  },
  {
    clause: '2.9 an SCO without contributing properties MUST use UUIDv4',
    code: 'uuid-version',
    level: 'error',
    bad: { type: 'process', id: 'process--ff1e0780-358c-5808-a8c7-d0fca4ef6ef4', pid: 314 },
    good: { type: 'process', id: 'process--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4', pid: 314 },
  },
  {
    clause: '2.9 SCO deterministic id',
    code: 'sco-id-mismatch',
    level: 'warning',
    bad: { ...file, id: 'file--5a27d487-c542-5f97-a131-a8866b477b47' },
    good: file,
  },
  {
    clause: '3.1 required properties',
    code: 'missing-required',
    level: 'error',
    bad: withOut(tool, 'name'),
    good: tool,
  },
  {
    clause: '2.2 boolean',
    code: 'invalid-property-type',
    level: 'error',
    bad: { ...tool, revoked: 'yes' },
    good: { ...tool, revoked: false },
  },
  {
    clause: '3.2 created and modified precise to the millisecond',
    code: 'invalid-timestamp',
    level: 'error',
    bad: { ...tool, created: '2016-04-06T20:03:48Z' },
    good: tool,
  },
  {
    clause: '2.16 timestamp',
    code: 'invalid-timestamp',
    level: 'error',
    bad: { ...indicator, valid_from: '2016-02-30T20:03:48Z' },
    good: indicator,
  },
  {
    clause: '3.2 spec_version',
    code: 'invalid-spec-version',
    level: 'error',
    bad: { ...tool, spec_version: '2.0' },
    good: tool,
  },
  {
    clause: '2.12 no empty lists',
    code: 'empty-list',
    level: 'error',
    bad: { ...tool, labels: [] },
    good: { ...tool, labels: ['remote-access'] },
  },
  {
    clause: '3.2 confidence 0-100',
    code: 'out-of-range',
    level: 'error',
    bad: { ...tool, confidence: 101 },
    good: { ...tool, confidence: 100 },
  },
  {
    clause: '2.4 enumerations are closed',
    code: 'not-in-enum',
    level: 'error',
    bad: {
      type: 'opinion',
      spec_version: '2.1',
      id: 'opinion--b01efc25-77b4-4003-b18b-f6e24b5cd9f7',
      created: TS,
      modified: TS,
      opinion: 'unsure',
      object_refs: [ID],
    },
    good: {
      type: 'opinion',
      spec_version: '2.1',
      id: 'opinion--b01efc25-77b4-4003-b18b-f6e24b5cd9f7',
      created: TS,
      modified: TS,
      opinion: 'agree',
      object_refs: [ID],
    },
  },
  {
    clause: '2.14 open vocabularies: a value outside SHOULD not be used (warning only)',
    code: 'not-in-vocab',
    level: 'warning',
    bad: { ...tool, tool_types: ['x-custom-tool'] },
    good: { ...tool, tool_types: ['remote-access'] },
  },
  {
    clause: '4.13 object_refs of observed-data',
    code: 'ref-wrong-type',
    level: 'error',
    bad: {
      type: 'sighting',
      spec_version: '2.1',
      id: 'sighting--ee20065d-2555-424f-ad9e-0f8fd8ca5b0a',
      created: TS,
      modified: TS,
      sighting_of_ref: ID,
      where_sighted_refs: [ID],
    },
    good: {
      type: 'sighting',
      spec_version: '2.1',
      id: 'sighting--ee20065d-2555-424f-ad9e-0f8fd8ca5b0a',
      created: TS,
      modified: TS,
      sighting_of_ref: ID,
      where_sighted_refs: [IDENTITY],
    },
  },
  {
    clause: '3.2 created_by_ref names an identity',
    code: 'created-by-ref-not-identity',
    level: 'warning',
    bad: { ...tool, created_by_ref: ID },
    good: { ...tool, created_by_ref: IDENTITY },
  },
  {
    clause: '3.1 property names begin with a letter',
    code: 'invalid-property-name',
    level: 'error',
    bad: { ...tool, _private: 1 },
    good: { ...tool, x_private: 1 },
  },
  {
    clause: '7.3.2 extension property names',
    code: 'invalid-property-name',
    level: 'error',
    bad: { ...tool, extensions: { [EXT_DEF]: { extension_type: 'property-extension', Rank: 5 } } },
    good: { ...tool, extensions: { [EXT_DEF]: { extension_type: 'property-extension', rank: 5 } } },
  },
  {
    clause: '11.1 custom properties outside an extension are deprecated',
    code: 'custom-property',
    level: 'warning',
    bad: { ...tool, x_acme_rank: 5 },
    good: tool,
  },
  {
    clause: '11.2 custom objects outside an extension are deprecated',
    code: 'custom-object-without-extension',
    level: 'warning',
    bad: { ...tool, type: 'x-acme-tool', id: 'x-acme-tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' },
    good: {
      ...tool,
      type: 'x-acme-tool',
      id: 'x-acme-tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      extensions: { [EXT_DEF]: { extension_type: 'new-sdo' } },
    },
  },
  {
    clause: '3.8 reserved names (every object, SCOs too)',
    code: 'reserved-property',
    level: 'error',
    bad: { ...file, severity: 'high' },
    good: file,
  },
  {
    clause: '3.2 defanged only on SCOs',
    code: 'reserved-property',
    level: 'error',
    bad: { ...tool, defanged: true },
    good: tool,
  },
  {
    clause: '2.13 observable container deprecated',
    code: 'deprecated',
    level: 'warning',
    bad: {
      type: 'observed-data',
      spec_version: '2.1',
      id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
      created: TS,
      modified: TS,
      first_observed: TS,
      last_observed: TS,
      number_observed: 1,
      objects: { '0': { type: 'domain-name', value: 'example.com' } },
    },
    good: {
      type: 'observed-data',
      spec_version: '2.1',
      id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
      created: TS,
      modified: TS,
      first_observed: TS,
      last_observed: TS,
      number_observed: 1,
      object_refs: ['domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5'],
    },
  },
  {
    clause: '3.2 modified not earlier than created',
    code: 'timestamp-order',
    level: 'error',
    bad: { ...tool, modified: '2016-04-06T20:03:47.000Z' },
    good: tool,
  },
  {
    clause: '2.5.2 external reference needs description, url or external_id',
    code: 'co-constraint',
    level: 'error',
    bad: { ...tool, external_references: [{ source_name: 'acme' }] },
    good: { ...tool, external_references: [{ source_name: 'acme', description: 'internal' }] },
  },
  {
    clause: '3.1 an _enc property needs the property it encodes',
    code: 'co-constraint',
    level: 'error',
    bad: { ...withOut(file, 'name'), hashes: { MD5: 'b365b9a80a06906fc9b400c06c33ff43' }, name_enc: 'UTF-8' },
    good: { ...file, name_enc: 'UTF-8' },
  },
  {
    clause: '4.7 indicator SHOULD have name and description',
    code: 'should-be-present',
    level: 'warning',
    bad: withOut(indicator, 'description'),
    good: indicator,
  },
  {
    clause: '2.5.1 hashes SHOULD accompany a url',
    code: 'should-be-present',
    level: 'warning',
    bad: { ...tool, external_references: [{ source_name: 'acme', url: 'https://example.com/vnc' }] },
    good: {
      ...tool,
      external_references: [
        { source_name: 'acme', url: 'https://example.com/vnc', hashes: { 'SHA-256': 'a'.repeat(64) } },
      ],
    },
  },
  {
    clause: '7.3.1 toplevel-property-extension SHOULD list extension_properties',
    code: 'should-be-present',
    level: 'warning',
    bad: { ...extensionDefinition, extension_types: ['toplevel-property-extension'] },
    good: {
      ...extensionDefinition,
      extension_types: ['toplevel-property-extension'],
      extension_properties: ['rank'],
    },
  },
  {
    clause: '7.3.1 extension-definition description SHOULD be populated',
    code: 'should-be-present',
    level: 'warning',
    bad: withOut(extensionDefinition, 'description'),
    good: extensionDefinition,
  },
  {
    clause: '2.5 url',
    code: 'invalid-url',
    level: 'error',
    bad: { ...tool, external_references: [{ source_name: 'acme', url: ' not a url' }] },
    good: { ...tool, external_references: [{ source_name: 'acme', external_id: 'A-1' }] },
  },
  {
    clause: '3.2 lang is a valid RFC 5646 code (registry, not just shape)',
    code: 'invalid-format',
    level: 'error',
    bad: { ...tool, lang: 'zz' },
    good: { ...tool, lang: 'pt-BR' },
  },
  {
    clause: '6.14 software.languages are RFC 5646 codes',
    code: 'invalid-format',
    level: 'error',
    bad: { ...software, languages: ['english'] },
    good: { ...software, languages: ['en', 'fra'] },
  },
  {
    clause: '7.2.3 granular marking lang is an RFC 5646 code',
    code: 'invalid-format',
    level: 'error',
    bad: { ...tool, granular_markings: [{ lang: 'xx-YY', selectors: ['name'] }] },
    good: { ...tool, granular_markings: [{ lang: 'fr', selectors: ['name'] }] },
  },
  {
    clause: '2.8 hexadecimal',
    code: 'invalid-format',
    level: 'error',
    bad: { ...file, magic_number_hex: 'ZZ' },
    good: { ...file, magic_number_hex: '4d5a' },
  },
  {
    clause: '4.10 country SHOULD be ISO 3166-1 alpha-2',
    code: 'format-advice',
    level: 'warning',
    bad: { ...location, country: 'qq' },
    good: location,
  },
  {
    clause: '2.7 hash values fit their algorithm',
    code: 'invalid-hash-value',
    level: 'error',
    bad: { ...file, hashes: { MD5: 'abc' } },
    good: { ...file, hashes: { MD5: 'b365b9a80a06906fc9b400c06c33ff43' } },
  },
  {
    clause: '2.7 hash names SHOULD come from hash-algorithm-ov (x_ names are declared custom)',
    code: 'hash-algorithm-unknown',
    level: 'warning',
    bad: { ...file, hashes: { FOO256: 'abc' } },
    good: { ...file, hashes: { x_foo256: 'abc' } },
  },
  {
    clause: '3.2 an extension value holds the extension',
    code: 'invalid-extension',
    level: 'error',
    bad: { ...file, extensions: { 'ntfs-ext': {} } },
    good: { ...file, extensions: { 'ntfs-ext': { sid: 'S-1-5-18' } } },
  },
  {
    clause: '3.2 extension keys SHOULD be predefined names or extension-definition ids',
    code: 'custom-extension-deprecated',
    level: 'warning',
    bad: { ...file, extensions: { 'x-acme-ext': { rank: 5 } } },
    good: { ...file, extensions: { [EXT_DEF]: { extension_type: 'property-extension', rank: 5 } } },
  },
  {
    clause: '7.2.2 object_marking_refs name marking definitions',
    code: 'invalid-marking-ref',
    level: 'error',
    bad: { ...tool, object_marking_refs: [IDENTITY] },
    good: { ...tool, object_marking_refs: [TLP_RED] },
  },
  {
    clause: 'Tearline: a marking must be known (fail closed)',
    code: 'unresolved-marking',
    level: 'error',
    bad: { ...tool, object_marking_refs: [statement.id] },
    good: bundle([{ ...tool, object_marking_refs: [statement.id] }, statement]),
  },
  {
    clause: '3.2 a marking definition does not mark itself',
    code: 'circular-marking',
    level: 'error',
    bad: { ...statement, object_marking_refs: [statement.id] },
    good: { ...statement, object_marking_refs: [TLP_RED] },
  },
  {
    clause: '7.2.3 one of marking_ref or lang',
    code: 'invalid-granular-marking',
    level: 'error',
    bad: { ...tool, granular_markings: [{ marking_ref: TLP_RED, lang: 'en', selectors: ['name'] }] },
    good: { ...tool, granular_markings: [{ marking_ref: TLP_RED, selectors: ['name'] }] },
  },
  {
    clause: '7.2.3.1 selectors refer to what is present',
    code: 'unresolved-selector',
    level: 'error',
    bad: { ...tool, granular_markings: [{ marking_ref: TLP_RED, selectors: ['description'] }] },
    good: { ...tool, granular_markings: [{ marking_ref: TLP_RED, selectors: ['name'] }] },
  },
  {
    clause: '7.2.1.4 only the standard TLP definitions',
    code: 'invalid-tlp',
    level: 'error',
    bad: { ...statement, definition_type: 'tlp', definition: { tlp: 'red' } },
    good: statement,
  },
  {
    clause: '9 STIX patterning',
    code: 'invalid-pattern',
    level: 'error',
    bad: { ...indicator, pattern: "[file:name = 'a' AND]" },
    good: indicator,
  },
  {
    clause: '4.x relationship tables (SHOULD use the listed relationships)',
    code: 'relationship-not-recommended',
    level: 'warning',
    bad: {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--57b56a43-b8b0-4cba-9deb-34e3e1faed9e',
      created: TS,
      modified: TS,
      relationship_type: 'indicates',
      source_ref: ID,
      target_ref: IDENTITY,
    },
    good: {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--57b56a43-b8b0-4cba-9deb-34e3e1faed9e',
      created: TS,
      modified: TS,
      relationship_type: 'indicates',
      source_ref: ID,
      target_ref: tool.id,
    },
  },
  {
    clause: '8 a bundle is not an object',
    code: 'bundle-not-an-object',
    level: 'error',
    bad: bundle([tool]),
    good: tool,
  },
  {
    clause: '8 bundle properties',
    code: 'bundle-unknown-property',
    level: 'error',
    bad: bundle([tool], { spec_version: '2.1' }),
    good: bundle([tool]),
    bundle: true,
  },
  {
    clause: '3.6 one version, one representation',
    code: 'duplicate-object',
    level: 'warning',
    bad: bundle([tool, tool]),
    good: bundle([tool, { ...tool, modified: '2016-04-07T20:03:48.000Z' }]),
    bundle: true,
  },
  {
    clause: '6 properties of predefined extensions and structures',
    code: 'unknown-extension-property',
    level: 'warning',
    bad: { ...file, extensions: { 'ntfs-ext': { sid: 'S-1-5-18', x_rank: 5 } } },
    good: { ...file, extensions: { 'ntfs-ext': { sid: 'S-1-5-18' } } },
  },
];
