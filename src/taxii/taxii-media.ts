/** TAXII 2.1 media types (section 1.6.8) and the negotiation the routes apply. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

interface MediaRange {
  type: string;
  subtype: string;
  params: Map<string, string>;
  q: number;
}

function parseMediaRange(text: string): MediaRange | undefined {
  const [essence, ...rawParams] = text.split(';');
  const m = /^\s*([a-z0-9!#$%&'*+.^_`|~-]+)\/([a-z0-9!#$%&'*+.^_`|~-]+)\s*$/i.exec(essence ?? '');
  if (!m) return undefined;
  const params = new Map<string, string>();
  let q = 1;
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    const value = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (key === 'q') q = Number(value);
    else params.set(key, value);
  }
  return { type: (m[1] as string).toLowerCase(), subtype: (m[2] as string).toLowerCase(), params, q };
}

/** True when the range names TAXII 2.1: no version parameter, or version=2.1. */
function isTaxii21(r: MediaRange): boolean {
  const v = r.params.get('version');
  return r.type === 'application' && r.subtype === 'taxii+json' && (v === undefined || v === '2.1');
}

/**
 * Whether a response in TAXII 2.1 may be sent for this Accept header. A missing header, `*\/*`
 * and `application/*` accept anything; `application/taxii+json` without a version means the
 * latest, which is 2.1. A range with q=0 refuses.
 */
export function acceptsTaxii(accept: string | undefined): boolean {
  // What every TAXII 2.1 client sends: answered without parsing, on every request.
  if (accept === undefined || accept === TAXII_MEDIA_TYPE || accept.trim() === '') return true;
  for (const part of accept.split(',')) {
    const r = parseMediaRange(part);
    if (!r || !(r.q > 0)) continue;
    if (r.type === '*' && r.subtype === '*') return true;
    if (r.type === 'application' && r.subtype === '*') return true;
    if (isTaxii21(r)) return true;
  }
  return false;
}

/** POST bodies must say exactly which TAXII version they are written in. */
export function isTaxiiContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const r = parseMediaRange(contentType);
  return r !== undefined && isTaxii21(r) && r.params.get('version') === '2.1';
}
