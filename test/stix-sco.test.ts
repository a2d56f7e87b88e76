import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeScoId } from '../src/stix/sco-id.js';
import { SCO_TYPES } from '../src/stix/type-categories.js';
import type { JsonObject } from '../src/stix/types.js';
import { validateObject } from '../src/stix/validate.js';

const V4 = '0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061';

/** Gives an SCO its deterministic id (UUIDv5), or a UUIDv4 when it has no contributing property. */
function withId(o: JsonObject): JsonObject {
  return { ...o, id: computeScoId(o) ?? `${String(o.type)}--${V4}` };
}

const MD5 = { MD5: 'b365b9a80a06906fc9b400c06c33ff43' };

const VALID: Record<string, JsonObject> = {
  artifact: withId({ type: 'artifact', url: 'https://example.org/a.bin', hashes: MD5 }),
  'autonomous-system': withId({ type: 'autonomous-system', number: 15139 }),
  directory: withId({ type: 'directory', path: 'C:\\Windows', path_enc: 'UTF-8' }),
  'domain-name': withId({ type: 'domain-name', value: 'example.com' }),
  'email-addr': withId({ type: 'email-addr', value: 'jdoe@example.com', display_name: 'John Doe' }),
  'email-message': withId({ type: 'email-message', is_multipart: false, subject: 'hi', body: 'text' }),
  file: withId({
    type: 'file',
    name: 'a.pdf',
    hashes: MD5,
    extensions: { 'pdf-ext': { version: '1.7', document_info_dict: { Title: 'x' } } },
  }),
  'ipv4-addr': withId({ type: 'ipv4-addr', value: '198.51.100.0/24' }),
  'ipv6-addr': withId({ type: 'ipv6-addr', value: '2001:db8::1' }),
  'mac-addr': withId({ type: 'mac-addr', value: 'd2:fb:49:24:37:18' }),
  mutex: withId({ type: 'mutex', name: '__CLEANSWEEP__' }),
  'network-traffic': withId({
    type: 'network-traffic',
    src_ref: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd',
    src_port: 24678,
    dst_port: 80,
    protocols: ['ipv4', 'tcp', 'http'],
    extensions: {
      'http-request-ext': {
        request_method: 'get',
        request_value: '/',
        request_header: { Host: ['example.com'] },
      },
      'tcp-ext': { src_flags_hex: '00' },
    },
  }),
  process: withId({
    type: 'process',
    pid: 314,
    extensions: { 'windows-process-ext': { priority: 'HIGH_PRIORITY_CLASS' } },
  }),
  software: withId({ type: 'software', name: 'Word', cpe: 'cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*' }),
  url: withId({ type: 'url', value: 'https://example.org/path?q=1' }),
  'user-account': withId({
    type: 'user-account',
    user_id: '1001',
    account_type: 'unix',
    extensions: { 'unix-account-ext': { gid: 1001, shell: '/bin/bash' } },
  }),
  'windows-registry-key': withId({
    type: 'windows-registry-key',
    key: 'HKEY_LOCAL_MACHINE\\System\\Foo',
    values: [{ name: 'Foo', data: 'qwerty', data_type: 'REG_SZ' }],
  }),
  'x509-certificate': withId({
    type: 'x509-certificate',
    serial_number: '36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49',
  }),
};

describe('SCOs', () => {
  it('covers all 18 SCO types', () => expect(Object.keys(VALID).sort()).toEqual([...SCO_TYPES].sort()));

  it.each(Object.keys(VALID))('a minimal %s with its deterministic id is valid, even strictly', (type) => {
    const r = validateObject(VALID[type], { strict: true });
    expect(r.errors).toEqual([]);
  });

  it.each([
    ['artifact', { payload_bin: 'aGk=' }, 'url co-constraint'],
    ['artifact', { url: undefined, hashes: undefined }, ' co-constraint'],
    ['email-addr', { value: 'John <j@example.com>' }, 'value invalid-format'],
    ['ipv4-addr', { value: '192.168.0.1/33' }, 'value invalid-format'],
    ['ipv6-addr', { value: 'fe80::1/129' }, 'value invalid-format'],
    ['mac-addr', { value: 'D2-FB-49-24-37-18' }, 'value invalid-format'],
    ['url', { value: 'www.example.com' }, 'value invalid-format'],
    ['software', { cpe: 'invalid' }, 'cpe invalid-format'],
    ['windows-registry-key', { key: 'HKLM\\System' }, 'key invalid-format'],
    ['network-traffic', { is_active: true, end: '2016-12-21T19:00:00Z' }, 'end co-constraint'],
    ['network-traffic', { src_port: 70000 }, 'src_port out-of-range'],
    ['email-message', { is_multipart: true }, 'body co-constraint'],
    ['file', { name: undefined, hashes: undefined, extensions: undefined }, ' co-constraint'],
    ['process', { pid: undefined, extensions: undefined }, ' co-constraint'],
    // sections 6.16-6.18: objects and types whose properties are all optional need one of them.
    [
      'user-account',
      {
        user_id: undefined,
        account_login: undefined,
        display_name: undefined,
        account_type: undefined,
        extensions: undefined,
      },
      ' co-constraint',
    ],
    [
      'windows-registry-key',
      { key: undefined, values: undefined, modified_time: undefined },
      ' co-constraint',
    ],
    ['windows-registry-key', { values: [{}] }, 'values[0] co-constraint'],
    [
      'x509-certificate',
      {
        serial_number: undefined,
        hashes: undefined,
        issuer: undefined,
        subject: undefined,
        is_self_signed: undefined,
        version: undefined,
      },
      ' co-constraint',
    ],
    ['x509-certificate', { x509_v3_extensions: {} }, 'x509_v3_extensions co-constraint'],
    [
      'file',
      { extensions: { 'windows-pebinary-ext': { pe_type: 'exe', optional_header: {} } } },
      'extensions.windows-pebinary-ext.optional_header co-constraint',
    ],
    [
      'file',
      {
        extensions: {
          'windows-pebinary-ext': { pe_type: 'exe', time_date_stamp: '2016-01-22T12:31:12.000Z' },
        },
      },
      'extensions.windows-pebinary-ext.time_date_stamp invalid-timestamp',
    ],
    [
      'x509-certificate',
      { x509_v3_extensions: { private_key_usage_period_not_before: '2016-11-31T08:17:27Z' } },
      'x509_v3_extensions.private_key_usage_period_not_before invalid-timestamp',
    ],
  ] as const)('%s with %j fails with %s', (type, change, expected) => {
    const o: Record<string, unknown> = { ...VALID[type] };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete o[k];
      else o[k] = v;
    }
    const r = validateObject(o);
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toContain(expected);
  });

  it('windows-pebinary-ext optional_header sizes must not be negative (6.7.6)', () => {
    const sizes = [
      'size_of_code',
      'size_of_initialized_data',
      'size_of_uninitialized_data',
      'size_of_image',
      'size_of_headers',
      'size_of_stack_reserve',
      'size_of_stack_commit',
      'size_of_heap_reserve',
      'size_of_heap_commit',
    ];
    for (const name of sizes) {
      const pe = (n: number) =>
        validateObject({
          ...VALID.file,
          extensions: { 'windows-pebinary-ext': { pe_type: 'exe', optional_header: { [name]: n } } },
        });
      expect(pe(0).errors, name).toEqual([]);
      expect(pe(-1).errors.map((e) => `${e.path} ${e.code}`)).toEqual([
        `extensions.windows-pebinary-ext.optional_header.${name} out-of-range`,
      ]);
    }
  });

  it('any IPv4 address generated from four octets validates; a fifth octet does not (property-based)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 5 }), (octets) => {
        const o = withId({ type: 'ipv4-addr', value: octets.join('.') });
        expect(validateObject(o, { strict: true }).valid).toBe(octets.length === 4);
      }),
      { numRuns: 150 },
    );
  });

  it('network-traffic ipfix: values integers or strings (MUST), keys IANA IPFIX element names (SHOULD)', () => {
    const nt = (ipfix: unknown) => validateObject({ ...VALID['network-traffic'], ipfix });
    const good = nt({ minimumIpTotalLength: 32, octetDeltaCount: 2556, applicationName: 'http' });
    expect([...good.errors, ...good.warnings]).toEqual([]);
    const unknown = nt({ minimumIpTotalLength: 32, Foo: 'bar' });
    expect(unknown.valid).toBe(true);
    expect(unknown.warnings.map((w) => `${w.path} ${w.code}`)).toEqual(['ipfix.Foo format-advice']);
    expect(
      validateObject({ ...VALID['network-traffic'], ipfix: { Foo: 'bar' } }, { strict: true }).valid,
    ).toBe(false);
    const typed = nt({ octetDeltaCount: [1], packetDeltaCount: 1.5 });
    expect(typed.errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'ipfix.octetDeltaCount invalid-property-type',
      'ipfix.packetDeltaCount invalid-property-type',
    ]);
  });

  it('predefined extensions check their own properties; unknown ones in them warn', () => {
    const f = {
      ...VALID.file,
      extensions: { 'ntfs-ext': { alternate_data_streams: [{ size: 3 }], sid: 'x', colour: 'red' } },
    };
    const r = validateObject(f);
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'extensions.ntfs-ext.alternate_data_streams[0].name missing-required',
    ]);
    expect(r.warnings.map((e) => `${e.path} ${e.code}`)).toContain(
      'extensions.ntfs-ext.colour unknown-extension-property',
    );
  });
});
