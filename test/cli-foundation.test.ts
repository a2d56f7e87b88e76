import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOpenedLine } from '../src/ledger/ledger-export.js';
import { versionKeyOf } from '../src/stix/timestamp.js';
import type { JsonObject } from '../src/stix/types.js';
import { validateBundle } from '../src/stix/validate-bundle.js';
import { fixturePath, MITRE_BUNDLES, readFixtureText } from './fixture-data.js';
import { as, initHub, runTearline, TEST_USERS, tempDir } from './run-cli.js';

const EXAMPLES = fixturePath('stix', 'examples');

/** The MITRE bundles, stored gzipped, written out as the JSON files a user would import. */
function mitreFiles(dir: string): string[] {
  return MITRE_BUNDLES.map((gz) => {
    const file = join(dir, gz.replace(/\.gz$/, ''));
    writeFileSync(file, readFixtureText('stix', gz));
    return file;
  });
}

/**
 * Objects of the shared data that STIX 2.1 rejects, and why: the model below counts them as
 * rejected. Found by reading the data; each is a finding the validator must make.
 */
const KNOWN_INVALID: Record<string, string> = {
  // interop-objectmarking-test.json: marked with a marking definition given nowhere (fail closed).
  'campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061': 'unresolved-marking',
  // CAPEC: external_references[].url starts with a space, not an RFC 3986 URL.
  'attack-pattern--c9b31907-c466-4325-af55-c418aea8b964': 'invalid-url',
  'attack-pattern--ea2e5cbd-8278-4f8a-b56b-3cfb955d2366': 'invalid-url',
};

/** An independent model of what importing these files in order must report. */
function expectedCounts(files: string[]) {
  const seen = new Map<string, string>();
  const latest = new Set<string>();
  return files.map((file) => {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as JsonObject & { objects?: JsonObject[] };
    const objects = doc.type === 'bundle' && doc.objects ? doc.objects : [doc];
    const c = { read: objects.length, added: 0, new_versions: 0, duplicates: 0, conflicts: 0, rejected: 0 };
    for (const o of objects) {
      if (KNOWN_INVALID[o.id as string]) {
        c.rejected++;
        continue;
      }
      const key = `${o.id}|${versionKeyOf(o)}`;
      const text = JSON.stringify(o);
      const prior = seen.get(key);
      if (prior === undefined) {
        seen.set(key, text);
        if (latest.has(o.id as string)) c.new_versions++;
        else c.added++;
        latest.add(o.id as string);
      } else if (prior === text) c.duplicates++;
      else c.conflicts++;
    }
    return c;
  });
}

describe('tearline CLI: foundation', () => {
  it('lists every command in --help and exits 2 on a usage error', async () => {
    const help = await runTearline(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['init', 'validate', 'import', 'export', 'stats']) expect(help.stdout).toContain(cmd);
    const bad = await runTearline(['import']);
    expect(bad.code).toBe(2);
    const unknown = await runTearline(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('init is idempotent and never overwrites the hub secret', async () => {
    const data = tempDir();
    expect((await initHub(data)).code).toBe(0);
    const secret = readFileSync(join(data, 'keys', 'hub-secret'), 'utf8');
    const again = await runTearline(['init', '--data', data, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).created).toEqual([]);
    expect(readFileSync(join(data, 'keys', 'hub-secret'), 'utf8')).toBe(secret);
  });

  it('refuses to work on a data dir that was never initialised', async () => {
    const r = await runTearline(['stats', '--data', join(tempDir(), 'nope')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("run 'tearline init");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('imports the official examples and the MITRE bundles with exact counts; export re-imports as duplicates', async () => {
    const data = tempDir();
    await initHub(data);
    const files = [
      ...readdirSync(EXAMPLES)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(EXAMPLES, f)),
      ...mitreFiles(tempDir()),
    ];
    const r = await runTearline(['import', '--data', data, '--json', ...files], as(data, 'analyst'));
    expect(r.stderr).toBe('');
    const got = (JSON.parse(r.stdout) as Record<string, number>[]).map(
      ({ read, added, new_versions, duplicates, conflicts, rejected }) => ({
        read,
        added,
        new_versions,
        duplicates,
        conflicts,
        rejected,
      }),
    );
    expect(got).toEqual(expectedCounts(files));
    expect(r.code).toBe(1);
    const rejectedIds = (JSON.parse(r.stdout) as { rejections: { id: string }[] }[]).flatMap((s) =>
      s.rejections.map((x) => x.id),
    );
    expect(rejectedIds.sort()).toEqual(Object.keys(KNOWN_INVALID).sort());

    const stats = JSON.parse(
      (await runTearline(['stats', '--data', data, '--json'], as(data, 'analyst'))).stdout,
    );
    const total = got.reduce((s, c) => s + (c.added ?? 0) + (c.new_versions ?? 0), 0);
    expect(stats.versions).toBe(total);

    const out = join(tempDir(), 'export.json');
    expect((await runTearline(['export', '--data', data, '--out', out], as(data, 'analyst'))).code).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8'));
    expect(exported.type).toBe('bundle');
    expect(exported.objects.length).toBe(stats.objects);
    const again = JSON.parse(
      (await runTearline(['import', '--data', data, '--json', out], as(data, 'analyst'))).stdout,
    );
    expect(again).toMatchObject({
      read: stats.objects,
      added: 0,
      new_versions: 0,
      duplicates: stats.objects,
      conflicts: 0,
      rejected: 0,
    });

    const valid = await runTearline(['validate', '--json', out]);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({ valid: true, errors: [] });

    const identities = JSON.parse(
      (await runTearline(['export', '--data', data, '--type', 'identity'], as(data, 'analyst'))).stdout,
    );
    expect(identities.objects.length).toBe(stats.byType.identity.objects);
    expect(identities.objects.every((o: JsonObject) => o.type === 'identity')).toBe(true);
  });

  it('keeps valid objects, quarantines bad ones with where and why, and exits 1', async () => {
    const data = tempDir();
    await initHub(data);
    const good = {
      type: 'identity',
      spec_version: '2.1',
      id: 'identity--0e5c3a9a-0bde-4b3b-8f9c-9b9a7d5d6a01',
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: 'A',
      identity_class: 'organization',
    };
    const wrongType = { ...good, id: 'identity--1e5c3a9a-0bde-4b3b-8f9c-9b9a7d5d6a01', created: 12 };
    const bundle = {
      type: 'bundle',
      id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
      objects: [good, 'text', wrongType, { ...good, name: 'changed' }],
    };
    const file = join(tempDir(), 'mixed.json');
    writeFileSync(file, JSON.stringify(bundle));
    const r = await runTearline(['import', '--data', data, '--json', file], as(data, 'analyst'));
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ read: 4, added: 1, conflicts: 1, rejected: 2 });
    expect(s.rejections.map((x: { location: string }) => x.location)).toEqual(['objects[1]', 'objects[2]']);
    expect(s.rejections[1].errors[0]).toMatchObject({ path: 'created' });
    const st = JSON.parse(
      (await runTearline(['stats', '--data', data, '--json'], as(data, 'analyst'))).stdout,
    );
    expect(st).toMatchObject({ objects: 1, quarantined: 2 });
  });

  it('handles truncated JSON, not-JSON, deep nesting, a 50 MB line and duplicate ids without crashing', async () => {
    const data = tempDir();
    await initHub(data);
    const dir = tempDir();
    const obj = (i: number, extra: JsonObject = {}) => ({
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: `ipv4-addr--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      value: `10.0.0.${i}`,
      ...extra,
    });
    const truncated = join(dir, 'truncated.json');
    writeFileSync(
      truncated,
      `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[${JSON.stringify(obj(1))},{"type":"ipv4-`,
    );
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, 'this is not JSON at all\n');
    const deep = join(dir, 'deep.jsonl');
    writeFileSync(
      deep,
      `${JSON.stringify(obj(2, { x_nested: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) }))}\n${JSON.stringify(obj(3))}\n`,
    );
    const huge = join(dir, 'huge.jsonl');
    writeFileSync(
      huge,
      `${JSON.stringify(obj(4, { x_blob: 'a'.repeat(50 * 1024 * 1024) }))}\n${JSON.stringify(obj(5))}\n`,
    );
    const dups = join(dir, 'dups.jsonl');
    writeFileSync(
      dups,
      `${JSON.stringify(obj(6))}\n${JSON.stringify(obj(6))}\n${JSON.stringify(obj(6, { value: '10.9.9.9' }))}\n`,
    );

    const r = await runTearline(
      ['import', '--data', data, '--json', truncated, notJson, deep, huge, dups],
      as(data, 'analyst'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const [t, n, d, h, u] = JSON.parse(r.stdout);
    expect(t).toMatchObject({ added: 1, rejected: 1 });
    expect(t.rejections[0].errors[0]).toMatchObject({ code: 'truncated' });
    expect(n).toMatchObject({ added: 0, rejected: 1 });
    expect(n.rejections[0].errors[0].code).toBe('not-json');
    expect(d).toMatchObject({ added: 1, rejected: 1 });
    expect(d.rejections[0]).toMatchObject({ location: 'line 1', errors: [{ code: 'too-deep' }] });
    expect(h).toMatchObject({ added: 1, rejected: 1 });
    expect(h.rejections[0].errors[0].message).toContain('max_object_bytes');
    expect(u).toMatchObject({ added: 1, duplicates: 1, conflicts: 1 });
    const st = JSON.parse(
      (await runTearline(['stats', '--data', data, '--json'], as(data, 'analyst'))).stdout,
    );
    expect(st).toMatchObject({ objects: 4, quarantined: 4 });
  });

  it('validate: exit 0 when valid, 1 when not, 2 for a missing argument; JSON report per file', async () => {
    const dir = tempDir();
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, readFileSync(join(EXAMPLES, 'indicator-for-c2-ip-address.json')));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
        objects: [{ type: 'indicator', id: 'malware--5d0092c5-5f74-4287-9642-33f4c354e56d' }],
      }),
    );
    expect((await runTearline(['validate', ok])).code).toBe(0);
    const r = await runTearline(['validate', '--json', ok, bad]);
    expect(r.code).toBe(1);
    const [a, b] = JSON.parse(r.stdout);
    expect(a.valid).toBe(true);
    expect(b.valid).toBe(false);
    expect(
      b.errors.some(
        (e: { path: string; location: string }) => e.path === 'id' && e.location === 'objects[0]',
      ),
    ).toBe(true);
    expect((await runTearline(['validate'])).code).toBe(2);
    expect((await runTearline(['validate', join(dir, 'missing.json')])).code).toBe(1);
  });

  it('validate checks the bundle envelope as validateBundle does: no id, extra properties, no objects (issue 19)', async () => {
    const dir = tempDir();
    const doc = JSON.parse(readFileSync(join(EXAMPLES, 'indicator-for-c2-ip-address.json'), 'utf8'));
    const cases: [string, Record<string, unknown>][] = [
      ['no-id', { type: 'bundle', objects: doc.objects }],
      ['extra', { type: 'bundle', id: doc.id, spec_version: '2.1', objects: doc.objects }],
      ['empty', { type: 'bundle', id: doc.id, objects: [] }],
      ['v5-id', { type: 'bundle', id: 'bundle--44af6c39-c09b-59c5-9de2-394224b04982', objects: doc.objects }],
    ];
    for (const [name, bundle] of cases) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(bundle));
      const lib = validateBundle(bundle, { strict: true });
      const r = await runTearline(['validate', '--strict', '--json', file]);
      const report = JSON.parse(r.stdout) as { valid: boolean; errors: { path: string; code: string }[] };
      // The CLI's verdict and envelope findings are the library's.
      expect(report.valid, name).toBe(false);
      expect(lib.valid, name).toBe(false);
      expect(report.errors.map((e) => `${e.path} ${e.code}`)).toEqual(
        lib.errors.map((e) => `${e.path} ${e.code}`),
      );
      expect(r.code).toBe(1);
    }
    // Standard input and a non-strict run: the missing id is a MUST, so still invalid.
    const noId = JSON.stringify({ type: 'bundle', objects: doc.objects });
    const r = await runTearline(['validate', '-'], { input: noId });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INVALID (the bundle envelope)');
    expect(r.stdout).toContain('id: is required for a bundle');
  });

  it('validate counts envelope findings in full and lists them within --max-listed, like the objects', async () => {
    const dir = tempDir();
    const doc = JSON.parse(readFileSync(join(EXAMPLES, 'indicator-for-c2-ip-address.json'), 'utf8'));
    // Three bundles as JSON Lines, none with an id: three refused envelopes, one listed.
    const lines = join(dir, 'three.jsonl');
    writeFileSync(
      lines,
      `${[1, 2, 3].map(() => JSON.stringify({ type: 'bundle', objects: doc.objects })).join('\n')}\n`,
    );
    const r = await runTearline(['validate', '--json', '--max-listed', '1', lines]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      valid: boolean;
      rejected: number;
      truncated: boolean;
      errors: { location: string; code: string }[];
    };
    expect(report).toMatchObject({ valid: false, rejected: 0, truncated: true });
    expect(report.errors.map((e) => `${e.location} ${e.code}`)).toEqual(['bundle missing-required']);
    const text = await runTearline(['validate', '--max-listed', '1', lines]);
    expect(text.stdout).toContain('… and 2 more refused envelopes (--max-listed)');
    // Envelope warnings count with the objects' (a version-5 bundle id is a SHOULD finding).
    const v5 = { type: 'bundle', id: 'bundle--44af6c39-c09b-59c5-9de2-394224b04982', objects: doc.objects };
    const file = join(dir, 'v5.json');
    writeFileSync(file, JSON.stringify(v5));
    const lib = validateBundle(v5, { strict: false });
    expect(lib.valid).toBe(true);
    expect(lib.warnings.length).toBeGreaterThan(0);
    const all = JSON.parse((await runTearline(['validate', '--json', file])).stdout);
    expect(all).toMatchObject({ valid: true, warning_count: lib.warnings.length, truncated: false });
    expect(all.warnings).toHaveLength(lib.warnings.length);
    const none = JSON.parse((await runTearline(['validate', '--json', '--max-listed', '0', file])).stdout);
    expect(none).toMatchObject({
      valid: true,
      warning_count: lib.warnings.length,
      truncated: true,
      warnings: [],
    });
  });

  it('imports from standard input', async () => {
    const data = tempDir();
    await initHub(data);
    const input = readFileSync(join(EXAMPLES, 'indicator-for-c2-ip-address.json'));
    const r = await runTearline(['import', '--data', data, '--json', '-'], as(data, 'analyst', { input }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'stdin', read: 1, added: 1 });
  });
});

describe('markings defined after the objects that use them', () => {
  it('holds objects back only until their marking arrives, then stores them', async () => {
    const data = tempDir();
    await initHub(data);
    const marking = 'marking-definition--3f2b7a1c-6d5e-4f80-9a1b-2c3d4e5f6a7b';
    const objects = Array.from({ length: 5 }, (_, i) => ({
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: `ipv4-addr--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      value: `10.1.0.${i}`,
      object_marking_refs: [marking],
    }));
    const definition = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: marking,
      created: '2024-01-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'Copyright 2024' },
    };
    const orphan = {
      ...objects[0],
      id: 'ipv4-addr--99999999-0000-4000-8000-000000000000',
      value: '10.9.9.9',
      object_marking_refs: ['marking-definition--00000000-0000-4000-8000-00000000000f'],
    };
    const file = join(tempDir(), 'later.json');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
        objects: [...objects, definition, orphan],
      }),
    );
    const r = await runTearline(['import', '--data', data, '--json', file], as(data, 'analyst'));
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ read: 7, added: 6, rejected: 1 });
    expect(s.rejections[0]).toMatchObject({ id: orphan.id, errors: [{ code: 'unresolved-marking' }] });
  });
});

describe('tearline user', () => {
  it('adds users with roles (password from stdin or generated once), lists, disables; bad input exits 2', async () => {
    const data = tempDir();
    await initHub(data);
    const a = await runTearline(
      ['user', 'add', 'olga', '--role', 'release-officer', '--password-stdin', '--data', data],
      as(data, 'admin', {
        input: 'a long enough password\n',
      }),
    );
    expect(a.code).toBe(0);
    const b = await runTearline(
      ['user', 'add', 'ivan', '--role', 'analyst', '--json', '--data', data],
      as(data, 'admin'),
    );
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout).password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(
      (await runTearline(['user', 'add', 'x', '--role', 'root', '--data', data], as(data, 'admin'))).code,
    ).toBe(2);
    const short = await runTearline(
      ['user', 'add', 'petr', '--role', 'admin', '--password-stdin', '--data', data],
      as(data, 'admin', { input: 'short\n' }),
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('12');
    expect((await runTearline(['user', 'disable', 'ivan', '--data', data], as(data, 'admin'))).code).toBe(0);
    const list = JSON.parse(
      (await runTearline(['user', 'list', '--json', '--data', data], as(data, 'admin'))).stdout,
    );
    expect(
      list.map((u: { name: string; role: string; enabled: boolean }) => [u.name, u.role, u.enabled]),
    ).toEqual([
      ['admin', 'admin', true],
      ['ivan', 'analyst', false],
      ['olga', 'release-officer', true],
      ...Object.entries(TEST_USERS)
        .filter(([role]) => role !== 'admin')
        .map(([role, name]) => [name, role.startsWith('officer') ? 'release-officer' : role, true])
        .sort(),
    ]);
    expect((await runTearline(['user', 'disable', 'nobody', '--data', data], as(data, 'admin'))).code).toBe(
      1,
    );
  });
});

describe('ingest and the ledger', () => {
  it('records every stored batch in the ledger (count and digest), signs a checkpoint, and verifies', async () => {
    const data = tempDir();
    await initHub(data);
    const file = join(EXAMPLES, 'poisonivy.json');
    const r = await runTearline(['import', '--data', data, '--json', file], as(data, 'analyst'));
    expect(r.code).toBe(0);
    const added = JSON.parse(r.stdout).added as number;
    const exported = join(tempDir(), 'ledger.jsonl');
    expect(
      (await runTearline(['ledger', 'export', '--data', data, '--out', exported], as(data, 'admin'))).code,
    ).toBe(0);
    const leaves = readFileSync(exported, 'utf8').trim().split('\n');
    // The leaves commit to who imported what from where; the openings (overseers) say it.
    expect(leaves.join('\n')).not.toContain('local-admin');
    expect(leaves.join('\n')).not.toContain(file);
    const opened = join(tempDir(), 'ledger-private.jsonl');
    const withPrivate = ['ledger', 'export', '--data', data, '--out', opened, '--with-private'];
    expect((await runTearline(withPrivate, as(data, 'oversight'))).code).toBe(0);
    const entries = readFileSync(opened, 'utf8')
      .trim()
      .split('\n')
      .map((l) => {
        const checked = checkOpenedLine(l);
        if (!checked.ok) throw new Error(checked.message);
        return checked.entry;
      });
    expect(entries).toHaveLength(leaves.length);
    const batches = entries.flatMap((e) => (e.kind === 'ingest-batch' ? [e] : []));
    expect(batches.reduce((s, e) => s + e.count, 0)).toBe(added);
    expect(batches[0]).toMatchObject({ actor: TEST_USERS.analyst, source: `file:${file}` });
    const verify = await runTearline(['ledger', 'verify', '--data', data], as(data, 'admin'));
    expect(verify.code).toBe(0);
    // Re-importing stores nothing new, so the ledger gains nothing.
    await runTearline(['import', '--data', data, file], as(data, 'analyst'));
    const again = join(tempDir(), 'ledger2.jsonl');
    await runTearline(['ledger', 'export', '--data', data, '--out', again], as(data, 'admin'));
    expect(readFileSync(again, 'utf8').trim().split('\n').length).toBe(entries.length);
  });
});
