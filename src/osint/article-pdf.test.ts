import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../app/osint-data-load.js';
import { extractArticle } from './article-extract.js';
import { looksLikePdf, MAX_PDF_BYTES, pdfTextOf } from './article-pdf.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../test/fixtures/pdf/${name}`, import.meta.url)));

describe('PDF text', () => {
  it('extracts the seed article printed to PDF, paragraphs whole, and the extractor finds the case in it', async () => {
    const r = await pdfTextOf(fixture('seed-000.pdf'));
    if (!r.ok) throw new Error(r.message);
    expect(r.pages).toBe(2);
    // The page wrapped these sentences; the text joins them again.
    expect(r.text).toContain(
      'the Biden administration is deliberating over the prospect of enhancing collaboration with the Taliban regime in Kabul',
    );
    expect(r.text).toContain(
      'The deadly attack at Moscow’s Crocus City Hall concert venue, which claimed 130 lives',
    );
    const items = extractArticle(r.text, loadGazetteer(), { published: new Date('2024-04-10') });
    const names = new Set(items.map((i) => i.name));
    for (const n of ['ISIS-K', 'Taliban', 'Kabul', 'Doha', 'Moscow', 'Crocus City Hall', 'Iran', 'Europe'])
      expect(names, n).toContain(n);
    const attack = items.find((i) => i.kind === 'incident' && i.name.startsWith('Crocus City Hall'));
    expect(attack?.data).toMatchObject({ killed: { value: 130 } });
    // Offsets are into the extracted text.
    for (const i of items) for (const e of i.evidence) expect(e.end).toBeLessThanOrEqual(r.text.length);
  });

  it.each([
    ['seed-000-encrypted.pdf', 'encrypted', /encrypted with a password/],
    ['seed-000-truncated.pdf', 'corrupt', /not a readable PDF/],
    ['not-a-pdf.pdf', 'not-pdf', /is not a PDF \(it does not start with %PDF-\)/],
    ['seed-000-102-pages.pdf', 'too-large', /has 102 pages; at most 100/],
    ['no-text-layer.pdf', 'no-text', /has no text layer \(a scanned image\?\): paste the text instead/],
  ])('%s: refused as %s with a message', async (name, code, message) => {
    const r = await pdfTextOf(fixture(name), name);
    expect(r).toMatchObject({ ok: false, code });
    if (!r.ok) {
      expect(r.message).toMatch(message);
      expect(r.message.startsWith(name)).toBe(true);
    }
  });

  it('refuses more than the byte limit before parsing anything', async () => {
    const big = new Uint8Array(MAX_PDF_BYTES + 1).fill(0x20);
    big.set(new TextEncoder().encode('%PDF-1.7\n'));
    expect(await pdfTextOf(big)).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('a PDF is what starts with %PDF-, not text that mentions it', () => {
    expect(looksLikePdf(fixture('seed-000.pdf'))).toBe(true);
    expect(looksLikePdf(new TextEncoder().encode('Files named %PDF-1.7 were seen.'))).toBe(false);
  });
});
