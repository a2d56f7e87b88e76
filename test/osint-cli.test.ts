import { closeSync, openSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { as, initHub, REPO_ROOT, runTearline, tempDir } from './run-cli.js';

// The real binary, signed in by API key as the test analyst (officer and overseer where the role
// table says no): the seed article to a draft, reviewed, confirmed; another rejected; bad input.
const SEED = join(REPO_ROOT, 'test', 'fixtures', 'articles', 'seed-000.txt');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

let data: string;
let dir: string;

beforeAll(async () => {
  dir = tempDir('tearline-osint-cli-');
  data = join(dir, 'hub');
  const r = await initHub(data);
  expect(r.code, r.stderr).toBe(0);
});

const run = (args: string[], role: Parameters<typeof as>[1] = 'analyst', input?: string | Buffer) =>
  runTearline([...args, '--data', data], as(data, role, input === undefined ? {} : { input }));

describe('tearline ingest-article and drafts (issue 24)', () => {
  it('ingests the seed article, lists and shows the draft, rejects identities as a kind, confirms it', {
    timeout: 120_000,
  }, async () => {
    const made = await run([
      'ingest-article',
      SEED,
      '--title',
      'Cooperation with the Taliban against ISIS-K',
      '--source-url',
      'https://news.example.net/a',
      '--published',
      '2024-04-10',
      '--marking',
      'green',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const id = UUID.exec(made.stdout)?.[0] ?? '';
    expect(made.stdout).toMatch(
      new RegExp(`^draft ${id}: \\d+ items \\(see: tearline drafts show ${id}\\)\\n$`),
    );

    const list = await run(['drafts', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('open  Cooperation with the Taliban against ISIS-K');

    const shown = await run(['drafts', 'show', id]);
    expect(shown.code, shown.stderr).toBe(0);
    for (const line of [
      'marking: TLP:GREEN',
      'source: https://news.example.net/a',
      '] group ISIS-K',
      '] group Taliban',
      '] location Kabul',
      '] location Crocus City Hall',
      '] incident Crocus City Hall attack',
      '] event 2021 withdrawal',
    ])
      expect(shown.stdout).toContain(line);
    // Each item with its offsets, rule and the sentence supporting it.
    const doha =
      /\] location Doha \([\d.]+, 1x\) key=location:doha @(\d+)-(\d+) gazetteer:\S+ "While the U\.S\. has/.exec(
        shown.stdout,
      );
    expect(doha, shown.stdout).not.toBeNull();
    const json = JSON.parse((await run(['drafts', 'show', id, '--json'])).stdout) as {
      text: string;
      items: { kind: string; name: string; decision: string; evidence: { start: number; end: number }[] }[];
    };
    const kabul = json.items.find((i) => i.kind === 'location' && i.name === 'Kabul');
    const at = kabul?.evidence[0];
    expect(at && json.text.slice(at.start, at.end)).toBe('Kabul');
    expect(json.text.slice(Number(doha?.[1]), Number(doha?.[2]))).toBe('Doha');
    const identities = json.items.filter((i) => i.kind === 'identity').length;
    expect(identities).toBeGreaterThan(0);

    const edited = await run(['drafts', 'edit', id, '--reject-kind', 'identity']);
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout.match(/\[rejected\] identity /g)?.length).toBe(identities);
    expect(edited.stdout).not.toMatch(/\[(accepted|proposed)\] identity /);
    const badKind = await run(['drafts', 'edit', id, '--reject-kind', 'banana']);
    expect(badKind).toMatchObject({ code: 2 });
    expect(badKind.stderr).toContain('--reject-kind "banana" is not an item kind');
    const unknownKey = await run(['drafts', 'edit', id, '--accept', 'location:atlantis']);
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stderr).toContain('the draft has no item location:atlantis');

    // Only analysts change drafts; the overseer reads them.
    const officer = await run(['drafts', 'confirm', id], 'officer');
    expect(officer.code).toBe(3);
    expect((await run(['drafts', 'show', id], 'oversight')).code).toBe(0);

    const confirmed = await run(['drafts', 'confirm', id]);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toMatch(
      new RegExp(`^${id}: confirmed as report--${UUID.source} \\(\\d+ objects\\)\\n$`),
    );
    const again = await run(['drafts', 'confirm', id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`draft ${id} was confirmed by test-analyst`);
    expect((await run(['drafts', 'list', '--state', 'confirmed'])).stdout).toContain(
      `confirmed by test-analyst`,
    );
    expect((await run(['drafts', 'list'])).stdout).toBe('no open drafts\n');
  });

  it('rejects a draft read from standard input, only with a reason', async () => {
    const made = await run(
      ['ingest-article', '-', '--title', 'Market report'],
      'analyst',
      'ISKP claimed an attack in Jalalabad.',
    );
    expect(made.code, made.stderr).toBe(0);
    const id = UUID.exec(made.stdout)?.[0] ?? '';
    const noReason = await run(['drafts', 'reject', id, '--reason', '  ']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason is required');
    const rejected = await run(['drafts', 'reject', id, '--reason', 'duplicate of an earlier report']);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stdout).toBe(`${id}: rejected\n`);
    const shown = await run(['drafts', 'show', id]);
    expect(shown.stdout).toContain('rejected by test-analyst');
    expect(shown.stdout).toContain('reason: duplicate of an earlier report');
    expect((await run(['drafts', 'reject', id, '--reason', 'again'])).code).toBe(1);
    expect((await run(['drafts', 'show', 'not-a-draft'])).code).toBe(2);
  });

  it('ingests a PDF: its text extracted offline and kept with the draft; encrypted, damaged and false PDFs refused', {
    timeout: 120_000,
  }, async () => {
    const pdf = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'pdf', name);
    const made = await run(['ingest-article', pdf('seed-000.pdf'), '--published', '2024-04-10', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const { id } = JSON.parse(made.stdout) as { id: string };
    const shown = await run(['drafts', 'show', id, '--json']);
    const draft = JSON.parse(shown.stdout) as {
      title: string;
      text: string;
      items: { name: string; evidence: { start: number; end: number }[] }[];
    };
    expect(draft.title).toBe(
      'Biden Administration Considers Cooperation with Taliban to Counter ISIS-K Threat',
    );
    expect(draft.text).toContain('enhancing collaboration with the Taliban regime in Kabul');
    const hall = draft.items.find((i) => i.name === 'Crocus City Hall');
    const at = hall?.evidence[0];
    // Evidence offsets are into the text the draft keeps.
    expect(at && draft.text.slice(at.start, at.end)).toBe('Crocus City Hall');
    const count = async () =>
      (JSON.parse((await run(['drafts', 'list', '--state', 'all', '--json'])).stdout) as unknown[]).length;
    const before = await count();
    for (const [name, message] of <[string, string][]>[
      ['seed-000-encrypted.pdf', 'the PDF is encrypted with a password: send it decrypted'],
      ['seed-000-truncated.pdf', 'the PDF is not a readable PDF (damaged or truncated)'],
      ['not-a-pdf.pdf', 'the PDF is not a PDF (it does not start with %PDF-)'],
      ['seed-000-102-pages.pdf', 'the PDF has 102 pages; at most 100 are read'],
    ]) {
      const r = await run(['ingest-article', pdf(name)]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`${pdf(name)}: ${message}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await count()).toBe(before);
  });

  it('refuses empty, binary, missing and 50 MB input with the file named, and makes no draft', {
    timeout: 120_000,
  }, async () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const binary = join(dir, 'image.png');
    writeFileSync(
      binary,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]),
    );
    const huge = join(dir, 'huge.txt');
    // 50 MB of text, written in 1 MB blocks.
    const fd = openSync(huge, 'w');
    const block = Buffer.alloc(1024 * 1024, 'ISIS-K in Kabul. ');
    for (let i = 0; i < 50; i++) writeSync(fd, block);
    closeSync(fd);
    const count = async () =>
      (JSON.parse((await run(['drafts', 'list', '--state', 'all', '--json'])).stdout) as unknown[]).length;
    const before = await count();
    const cases: [string[], number, string][] = [
      [['ingest-article', empty], 1, `${empty}: the article has no text`],
      [['ingest-article', binary], 1, 'holds NUL bytes: it is not text'],
      [['ingest-article', join(dir, 'missing.txt')], 1, `${join(dir, 'missing.txt')}: no such file`],
      [['ingest-article', huge], 1, `${huge}: 52428800 bytes; at most 2097152 are read (send an excerpt)`],
      [['ingest-article', SEED, '--published', 'yesterday'], 1, 'must be a date'],
      [
        ['ingest-article', SEED, '--marking', 'secret'],
        1,
        'must be clear, green, amber, amber+strict or red',
      ],
    ];
    for (const [args, code, message] of cases) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const denied = await run(['ingest-article', SEED], 'officer');
    expect(denied.code).toBe(3);
    expect(await count()).toBe(before);
    // 50 MB less in the temporary directory.
    truncateSync(huge, 0);
  });
});
