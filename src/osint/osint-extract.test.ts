import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../app/osint-data-load.js';
import { extractArticle } from './article-extract.js';
import { articleTextOf, MAX_ARTICLE_BYTES } from './article-text.js';
import { scanIocs } from './ioc-scan.js';

const g = loadGazetteer();
const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/articles/${name}.txt`, import.meta.url), 'utf8');

describe('article text', () => {
  it('keeps what a reader sees of HTML: no script, style or markup survives', () => {
    const html = `<!doctype html><html><head><title>t</title><style>p{color:red}</style></head><body>
      <script>document.write('ISIS-K in Kabul')</script><p onclick="steal()">ISKP attacked <b>Jalalabad</b> &amp; Kabul.</p>
      <noscript>Hamas</noscript><img src=x onerror=alert(1)></body></html>`;
    const r = articleTextOf(html);
    if (!r.ok) throw new Error(r.message);
    expect(r.wasHtml).toBe(true);
    expect(r.text).toBe('ISKP attacked Jalalabad & Kabul.');
    const names = extractArticle(r.text, g).map((i) => i.name);
    expect(names).toContain('ISIS-K');
    expect(names).not.toContain('Hamas');
  });

  it('refuses empty, binary, non-UTF-8 and oversized input with a message naming the problem', () => {
    expect(articleTextOf('')).toMatchObject({ ok: false, code: 'empty' });
    expect(articleTextOf('<p>  </p>')).toMatchObject({ ok: false, code: 'empty' });
    expect(articleTextOf(new Uint8Array([1, 2, 0, 3]))).toMatchObject({ ok: false, code: 'binary' });
    expect(articleTextOf(Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 7) + 1)))).toMatchObject({
      ok: false,
      code: 'binary',
    });
    expect(articleTextOf(new Uint8Array([0xc3, 0x28]))).toMatchObject({ ok: false, code: 'not-utf8' });
    const big = Buffer.alloc(50 * 1024 * 1024, 'a');
    const r = articleTextOf(big, 'upload.txt');
    expect(r).toMatchObject({ ok: false, code: 'too-large' });
    if (!r.ok) expect(r.message).toContain(`upload.txt is ${big.length} bytes; at most ${MAX_ARTICLE_BYTES}`);
  });
});

describe('other scripts', () => {
  for (const name of ['19-russian-text', '20-arabic-text', '36-pashto-text']) {
    it(`${name}: no crash and no entity`, () => {
      expect(extractArticle(fixture(name), g)).toEqual([]);
    });
  }
});

describe('indicators', () => {
  it('refangs defanged forms and keeps their offsets', () => {
    const text =
      'C2 at hxxps://bad-cdn[.]net/x.php, 185.220.101[.]45 and ops[@]bad-cdn[.]net; also 45.9.148(.)99.';
    const hits = scanIocs(text, g);
    expect(hits.map((h) => (h.kind === 'indicator' ? [h.type, h.value, h.defanged] : h.cve))).toEqual([
      ['url', 'https://bad-cdn.net/x.php', true],
      ['ipv4-addr', '185.220.101.45', true],
      ['email-addr', 'ops@bad-cdn.net', true],
      ['ipv4-addr', '45.9.148.99', true],
    ]);
    expect(text.slice(hits[1]?.start, hits[1]?.end)).toBe('185.220.101[.]45');
  });

  it('drops private, documentation and resolver addresses, documentation and benign domains, file names', () => {
    const text =
      '10.0.0.1 192.168.5.5 127.0.0.1 192.0.2.10 198.51.100.7 203.0.113.5 8.8.8.8 fe80::1 2001:db8::5 ' +
      'example.com foo.test www.google.com github.com run.exe update.ps1 Node.js U.S. e.g. 3.14';
    expect(scanIocs(text, g)).toEqual([]);
  });

  it('property: a public address is found the same whether or not it is defanged', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 11, max: 99 }), octet, octet, fc.integer({ min: 1, max: 254 })),
        ([a, b, c, d]) => {
          const ip = `${a}.${b}.${c}.${d}`;
          const plain = scanIocs(`seen at ${ip} today`, g).map((h) =>
            h.kind === 'indicator' ? h.value : '',
          );
          const defanged = scanIocs(`seen at ${a}.${b}.${c}[.]${d} today`, g).map((h) =>
            h.kind === 'indicator' ? h.value : '',
          );
          expect(defanged).toEqual(plain);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('extraction', () => {
  it('property: never throws on any text, and every evidence lies inside the text and its sentence', () => {
    const words = fc.constantFrom(
      'ISIS-K',
      'Kabul',
      'attack',
      'killed',
      '130',
      'in',
      'the',
      '.',
      '\n',
      'hxxp://a[.]com',
      'Taliban',
      'on Friday',
      'Crocus City Hall',
      'Иран',
      'كابل',
      ',',
      'Moscow’s',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(words, fc.string({ maxLength: 12 })), { maxLength: 80 }), (parts) => {
        const text = parts.join(' ');
        for (const item of extractArticle(text, g, { published: new Date('2024-04-10') })) {
          for (const e of item.evidence) {
            expect(e.start).toBeGreaterThanOrEqual(0);
            expect(e.end).toBeLessThanOrEqual(text.length);
            expect(e.start).toBeLessThanOrEqual(e.end);
            expect(e.sentenceStart).toBeLessThanOrEqual(e.start);
            expect(e.sentenceEnd).toBeGreaterThanOrEqual(e.end);
            expect(e.confidence).toBeGreaterThan(0);
            expect(e.confidence).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('needs capitals and a place cue: common words and small towns without one are not names', () => {
    const names = extractArticle(
      'The turkey was good. Hope is a virtue. He met a reading group in a bath house.',
      g,
    ).map((i) => i.name);
    expect(names).toEqual([]);
  });

  it('says how sure it is and which rule matched', () => {
    const items = extractArticle(
      'Gunmen attacked a hotel in Kabul on 3 May 2024, killing at least 12 people. ISKP claimed the attack.',
      g,
    );
    const incident = items.find((i) => i.kind === 'incident');
    expect(incident?.data).toMatchObject({
      date: '2024-05-03',
      killed: { value: 12, approximate: true },
      place: 'location:kabul',
    });
    expect(incident?.evidence[0]?.rule).toBe('incident:casualties');
    expect(items.find((i) => i.kind === 'group')?.evidence[0]?.rule).toBe('gazetteer:misp-galaxy');
  });
});
