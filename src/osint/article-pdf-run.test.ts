import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pdfTextOf } from './article-pdf.js';
import { pdfTextOffThread } from './article-pdf-run.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../test/fixtures/pdf/${name}`, import.meta.url)));

describe('PDF text off the serving thread', () => {
  it('reads on a worker thread exactly what it reads in place, refusals included', async () => {
    for (const name of [
      'seed-000.pdf',
      'seed-000-encrypted.pdf',
      'seed-000-truncated.pdf',
      'not-a-pdf.pdf',
    ]) {
      expect(await pdfTextOffThread(fixture(name), name), name).toEqual(await pdfTextOf(fixture(name), name));
    }
  });

  it('gives a PDF up when it takes longer than its time limit, naming it, and the caller goes on', async () => {
    const r = await pdfTextOffThread(fixture('seed-000.pdf'), 'report.pdf', { timeoutMs: 1, maxHeapMb: 512 });
    expect(r).toEqual({
      ok: false,
      code: 'too-slow',
      message: 'report.pdf took longer than 0 s to read and was given up: paste its text instead',
    });
    // The next PDF gets a thread of its own.
    const again = await pdfTextOffThread(fixture('seed-000.pdf'));
    expect(again.ok).toBe(true);
  });
});
