import { getDocumentProxy } from 'unpdf';

/** Largest PDF read at all (bytes). */
export const MAX_PDF_BYTES = 4 * 1024 * 1024;
/** Most pages read: a report, a filing or a statement, not a book. */
export const MAX_PDF_PAGES = 100;

export type PdfTextResult =
  | { ok: true; text: string; pages: number }
  | { ok: false; code: 'not-pdf' | 'too-large' | 'encrypted' | 'corrupt' | 'no-text'; message: string };

const MAGIC = '%PDF-';

/** The bytes say they are a PDF: they start with "%PDF-" (an article that mentions it is no PDF). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 64)).toString('latin1').trimStart().startsWith(MAGIC);
}

interface Piece {
  str: string;
  hasEOL: boolean;
  /** Baseline y and the glyph height, in the page's units. */
  y: number;
  height: number;
}

/**
 * A page's words as a reader sees them: lines of one paragraph joined with a space, a new line
 * where the gap between two baselines is clearly larger than the line spacing (a paragraph or
 * a heading), so that sentences are not cut where the page wrapped them.
 */
function pageText(pieces: readonly Piece[]): string {
  const lines: { text: string; y: number; height: number }[] = [];
  let cur = '';
  let y: number | undefined;
  let height = 0;
  for (const p of pieces) {
    if (y === undefined && p.str !== '') y = p.y;
    cur += p.str;
    height = Math.max(height, p.height);
    if (p.hasEOL) {
      lines.push({ text: cur, y: y ?? p.y, height });
      cur = '';
      y = undefined;
      height = 0;
    }
  }
  if (cur.trim() !== '') lines.push({ text: cur, y: y ?? 0, height });
  const gaps = lines.slice(1).map((l, i) => Math.abs((lines[i] as { y: number }).y - l.y));
  const sorted = gaps.filter((g) => g > 0).sort((a, b) => a - b);
  const usual = sorted[Math.floor(sorted.length / 2)] ?? 0;
  let out = '';
  lines.forEach((l, i) => {
    const text = l.text.replace(/\s+$/, '');
    if (i === 0) {
      out = text;
      return;
    }
    const gap = gaps[i - 1] ?? 0;
    const prev = lines[i - 1] as { height: number };
    const newParagraph = usual === 0 || gap > usual * 1.3 || Math.abs(l.height - prev.height) > 0.5;
    if (newParagraph) out += `\n${text}`;
    // "counter-" at a line's end and "terrorism" on the next: one word.
    else if (/\p{L}-$/u.test(out) && /^\p{Ll}/u.test(text)) out += text;
    else out += ` ${text.replace(/^\s+/, '')}`;
  });
  return out;
}

/**
 * The text of a PDF, offline (PDF.js through unpdf, its data inside the package): pages in
 * order, paragraphs on lines of their own. Refuses what is not a PDF, what is too big or too
 * long, what is encrypted, what is broken, and a PDF with no text layer (a scan), each with a
 * message that names `where` and the problem.
 */
export async function pdfTextOf(bytes: Uint8Array, where = 'the PDF'): Promise<PdfTextResult> {
  if (bytes.byteLength > MAX_PDF_BYTES)
    return {
      ok: false,
      code: 'too-large',
      message: `${where} is ${bytes.byteLength} bytes; at most ${MAX_PDF_BYTES} are read (send an excerpt)`,
    };
  if (!looksLikePdf(bytes))
    return { ok: false, code: 'not-pdf', message: `${where} is not a PDF (it does not start with ${MAGIC})` };
  // PDF.js may take ownership of the buffer it is given: hand it a copy.
  const data = new Uint8Array(bytes);
  let doc: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    doc = await getDocumentProxy(data, {
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
      stopAtErrors: true,
      verbosity: 0,
    });
    if (doc.numPages > MAX_PDF_PAGES)
      return {
        ok: false,
        code: 'too-large',
        message: `${where} has ${doc.numPages} pages; at most ${MAX_PDF_PAGES} are read (send an excerpt)`,
      };
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const pieces: Piece[] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        pieces.push({
          str: item.str,
          hasEOL: item.hasEOL,
          y: Number(item.transform[5]) || 0,
          height: item.height,
        });
      }
      pages.push(pageText(pieces));
      page.cleanup();
    }
    // A paragraph the page break cut ("with diplomatic" | "and ethical considerations") is one.
    const text = pages
      .reduce(
        (all, p) =>
          all === '' ? p : `${all}${/[^.!?:"”]$/u.test(all) && /^\p{Ll}/u.test(p) ? ' ' : '\n'}${p}`,
        '',
      )
      .trim();
    if (text === '')
      return {
        ok: false,
        code: 'no-text',
        message: `${where} has no text layer (a scanned image?): paste the text instead`,
      };
    return { ok: true, text, pages: doc.numPages };
  } catch (err) {
    const name = (err as { name?: unknown }).name;
    if (name === 'PasswordException')
      return {
        ok: false,
        code: 'encrypted',
        message: `${where} is encrypted with a password: send it decrypted`,
      };
    return { ok: false, code: 'corrupt', message: `${where} is not a readable PDF (damaged or truncated)` };
  } finally {
    await doc?.destroy();
  }
}
