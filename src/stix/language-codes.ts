import { iso6392 } from 'iso-639-2';
import { iso31661, iso31661Reserved } from 'iso-3166';
import { tags } from 'language-tags';

/**
 * Registry-backed checks of the language and country codes STIX 2.1 names: RFC 5646 language
 * tags against the IANA language subtag registry (language-tags), ISO 639-2 codes (iso-639-2) and
 * ISO 3166-1 alpha-2 codes (iso-3166). Pure lookups over data the packages ship.
 */

// RFC 5646 section 2.2.9: a tag with a deprecated subtag or a redundant suppress-script is still
// valid ("SHOULD NOT" be produced); only unknown subtags and malformed tags make it invalid.
const STILL_VALID = new Set([1, 10, 11]);
const PRIVATE_USE_RE = /^x(-[a-z0-9]{1,8})+$/i;
const PRIVATE_LANGUAGE_RE = /^q[a-t][a-z](-|$)/i;

const memo = new Map<string, boolean>();

function judge(tag: string): boolean {
  if (tag.length === 0 || tag.length > 256) return false;
  if (PRIVATE_USE_RE.test(tag)) return true;
  // qaa..qtz is a registered range of private-use primary language subtags the library does not expand.
  const probe = PRIVATE_LANGUAGE_RE.test(tag) ? `en${tag.slice(3)}` : tag;
  const errors = tags(probe).errors();
  return errors.every((e) => STILL_VALID.has(e.code));
}

/** A valid RFC 5646 language tag: well-formed, and every subtag in the IANA registry. */
export function isRfc5646Tag(tag: string): boolean {
  const known = memo.get(tag);
  if (known !== undefined) return known;
  const valid = judge(tag);
  if (memo.size > 10_000) memo.clear();
  memo.set(tag, valid);
  return valid;
}

const ISO_639_2 = new Set<string>();
for (const l of iso6392) {
  ISO_639_2.add(l.iso6392B);
  if (l.iso6392T) ISO_639_2.add(l.iso6392T);
}

/** An ISO 639-2 (bibliographic or terminological) three-letter language code, lowercase. */
export function isIso6392Code(code: string): boolean {
  return ISO_639_2.has(code);
}

const ALPHA_2 = new Set<string>([...iso31661, ...iso31661Reserved].map((c) => c.alpha2));

/** An ISO 3166-1 alpha-2 code, assigned or reserved, in either case. */
export function isIso31661Alpha2(code: string): boolean {
  return code.length === 2 && ALPHA_2.has(code.toUpperCase());
}
