import { Parser } from 'htmlparser2';

/** Longest article text kept (characters, after HTML is reduced to text). */
export const MAX_ARTICLE_CHARS = 200_000;
/** Largest input read at all (bytes): anything bigger is refused before it is decoded. */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;

export type ArticleTextError =
  | { code: 'empty'; message: string }
  | { code: 'too-large'; message: string }
  | { code: 'binary'; message: string }
  | { code: 'not-utf8'; message: string };

export type ArticleTextResult =
  | { ok: true; text: string; wasHtml: boolean }
  | ({ ok: false } & ArticleTextError);

// Elements whose content is never text a reader sees: dropped with everything inside.
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'svg',
  'head',
  'title',
]);
const BLOCKS = new Set([
  'p',
  'div',
  'br',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'table',
  'section',
  'article',
  'header',
  'footer',
  'blockquote',
  'pre',
  'hr',
  'dd',
  'dt',
  'figcaption',
]);

/** Text as a reader sees it: markup, scripts and styles gone, blocks on lines of their own. */
export function htmlToText(html: string): string {
  const out: string[] = [];
  let skipping = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (SKIPPED.has(name)) skipping++;
        else if (BLOCKS.has(name)) out.push('\n');
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipping = Math.max(0, skipping - 1);
        else if (BLOCKS.has(name)) out.push('\n');
      },
      ontext(data) {
        if (skipping === 0) out.push(data);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return out.join('');
}

function looksLikeHtml(s: string): boolean {
  return /<(?:!doctype|html|body|p|div|script|article|span|a|br|h[1-6])\b[^>]*>/i.test(s.slice(0, 20_000));
}

/** C0 controls other than tab and line breaks, DEL, zero-width space and byte-order mark. */
function isDroppedControl(c: number): boolean {
  return (c < 32 && c !== 9 && c !== 10) || c === 0x7f || c === 0x200b || c === 0xfeff;
}

/** Tidies white space line by line and drops control characters (offsets are into the result). */
function tidy(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .split('')
    .filter((c) => !isDroppedControl(c.charCodeAt(0)))
    .join('')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The article's text from the bytes a caller sent: UTF-8 only, no NUL bytes (binary), HTML
 * reduced to its visible text (nothing of the markup is kept, so nothing of it can run later).
 */
export function articleTextOf(
  input: Uint8Array | string,
  where = 'the article',
  opts: { html?: boolean } = {},
): ArticleTextResult {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > MAX_ARTICLE_BYTES) {
    return {
      ok: false,
      code: 'too-large',
      message: `${where} is ${size} bytes; at most ${MAX_ARTICLE_BYTES} are read (send an excerpt)`,
    };
  }
  let raw: string;
  if (typeof input === 'string') raw = input;
  else {
    if (input.includes(0))
      return { ok: false, code: 'binary', message: `${where} holds NUL bytes: it is not text` };
    try {
      raw = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return { ok: false, code: 'not-utf8', message: `${where} is not UTF-8 text` };
    }
  }
  if (raw.includes('\u0000'))
    return { ok: false, code: 'binary', message: `${where} holds NUL bytes: it is not text` };
  let controls = 0;
  for (let i = 0; i < Math.min(raw.length, 10_000); i++) {
    const c = raw.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 12) controls++;
  }
  if (controls > 50)
    return { ok: false, code: 'binary', message: `${where} is full of control bytes: it is not text` };
  // Text taken out of a PDF is text, whatever it says.
  const wasHtml = opts.html !== false && looksLikeHtml(raw);
  const text = tidy(wasHtml ? htmlToText(raw) : raw);
  if (text === '') return { ok: false, code: 'empty', message: `${where} has no text` };
  if (text.length > MAX_ARTICLE_CHARS) {
    return {
      ok: false,
      code: 'too-large',
      message: `${where} has ${text.length} characters of text; at most ${MAX_ARTICLE_CHARS} are kept (send an excerpt)`,
    };
  }
  return { ok: true, text, wasHtml };
}
