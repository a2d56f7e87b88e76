/** Syntax of the STIX 2.1 primitive formats (spec section 2). Pure, allocation-free checks. */

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitsAt(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** RFC 3339 in UTC as STIX requires (section 2.14): YYYY-MM-DDTHH:MM:SS[.s+]Z with a real calendar date. */
export function isStixTimestamp(s: string): boolean {
  const len = s.length;
  if (len < 20 || s.charCodeAt(len - 1) !== 90 /* Z */) return false;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return false;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return false;
  if (minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
  if (day > maxDay) return false;
  if (len === 20) return true;
  if (s[19] !== '.' || len < 22) return false;
  for (let i = 20; i < len - 1; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Orders two valid STIX timestamps, fractions of any length compared exactly: <0, 0, >0. */
export function compareTimestamps(a: string, b: string): number {
  for (let i = 0; i < 19; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  const fa = a.length > 21 ? a.length - 21 : 0;
  const fb = b.length > 21 ? b.length - 21 : 0;
  const n = Math.max(fa, fb);
  for (let i = 0; i < n; i++) {
    const ca = i < fa ? a.charCodeAt(20 + i) : 48;
    const cb = i < fb ? b.charCodeAt(20 + i) : 48;
    if (ca !== cb) return ca - cb;
  }
  return 0;
}

const TYPE_NAME_RE = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** Type names (section 3.1): begin with a letter; a-z, 0-9 and single hyphens; 3 to 250 characters. */
export function isTypeName(s: string): boolean {
  return s.length >= 3 && s.length <= 250 && TYPE_NAME_RE.test(s) && !s.includes('--');
}

/** A hexadecimal digit's char code, either case. */
export function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * An RFC 4122 UUID (8-4-4-4-12 hex, version 1-5, variant 10xx) starting at `from`. Hex digits are
 * case-insensitive on input (RFC 4122 section 3). Char codes only: this runs for every identifier.
 */
function isUuidAt(s: string, from: number): boolean {
  if (s.length - from !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(from + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!isHexCode(c)) return false;
  }
  const version = s.charCodeAt(from + 14);
  if (version < 49 || version > 53) return false;
  const variant = s.charCodeAt(from + 19) | 0x20;
  return variant === 56 || variant === 57 || variant === 97 || variant === 98;
}

const knownTypeNames = new Set<string>();

/** isTypeName with a small memo: the same few type names recur on every object. */
export function isTypeNameCached(type: string): boolean {
  if (knownTypeNames.has(type)) return true;
  if (!isTypeName(type)) return false;
  if (knownTypeNames.size > 10_000) knownTypeNames.clear();
  knownTypeNames.add(type);
  return true;
}

/** The type of a syntactically valid identifier, or undefined (section 2.9: type--RFC 4122 UUID). */
export function typeOfIdentifier(s: string): string | undefined {
  const sep = s.length - 38;
  if (sep < 3 || s.charCodeAt(sep) !== 45 || s.charCodeAt(sep + 1) !== 45) return undefined;
  if (!isUuidAt(s, sep + 2)) return undefined;
  const type = s.slice(0, sep);
  return isTypeNameCached(type) ? type : undefined;
}

/** True when `id` is `type--UUID` for this (already valid) type: the common case, without slicing. */
export function isIdentifierOfType(id: string, type: string): boolean {
  const n = type.length;
  return (
    id.length === n + 38 &&
    id.charCodeAt(n) === 45 &&
    id.charCodeAt(n + 1) === 45 &&
    id.startsWith(type) &&
    isUuidAt(id, n + 2)
  );
}

/** The version nibble of the UUID part of a valid identifier. */
export function uuidVersionOf(id: string): number {
  return id.charCodeAt(id.length - 22) - 48;
}

const PROPERTY_NAME_RE = /^[a-z][a-z0-9_]{2,249}$/;

/** Property names (sections 3.1 and 7.3.2): begin with a letter; a-z, 0-9, underscore; 3 to 250 characters. */
export function isPropertyName(s: string): boolean {
  return PROPERTY_NAME_RE.test(s);
}

const URL_SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:./;

/** An absolute URI per RFC 3986: a scheme, a colon, and no whitespace or control characters. */
export function isUrl(s: string): boolean {
  if (!URL_SCHEME_RE.test(s)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})+$/;
export function isHex(s: string): boolean {
  return HEX_RE.test(s);
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export function isBase64(s: string): boolean {
  return BASE64_RE.test(s);
}

const IPV4_RE =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
export function isIpv4OrCidr(s: string): boolean {
  return IPV4_RE.test(s);
}

export function isIpv6OrCidr(s: string): boolean {
  const slash = s.indexOf('/');
  let addr = s;
  if (slash >= 0) {
    const prefix = s.slice(slash + 1);
    if (!/^(12[0-8]|1[01]\d|[1-9]?\d)$/.test(prefix)) return false;
    addr = s.slice(0, slash);
  }
  const dbl = addr.indexOf('::');
  if (dbl !== addr.lastIndexOf('::')) return false;
  let groups = addr.split(':');
  if (dbl >= 0) groups = groups.filter((g) => g !== '');
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] ?? '';
    if (i === groups.length - 1 && g.includes('.')) {
      if (!isIpv4OrCidr(g) || g.includes('/')) return false;
      count += 2;
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
      count += 1;
    }
  }
  return dbl >= 0 ? count < 8 : count === 8;
}

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
/** section 6.10: colon-delimited, lowercase, with leading zeros. */
export function isMacAddress(s: string): boolean {
  return MAC_RE.test(s);
}

const EMAIL_RE = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;
/** An addr-spec without display name (section 6.5). */
export function isEmailAddrSpec(s: string): boolean {
  return EMAIL_RE.test(s);
}

const MIME_RE =
  /^(application|audio|font|image|message|model|multipart|text|video|example)\/[A-Za-z0-9!#$&^_.+-]+(;.*)?$/;
/** The IANA media type form `type/subtype` with a registered top-level type. */
export function isMediaType(s: string): boolean {
  return MIME_RE.test(s);
}

const CPE23_RE = /^cpe:2\.3:[aho*-](?::(?:[^:\\\s]|\\.)+){10}$/;
/** CPE 2.3 formatted string binding: cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other */
export function isCpe23(s: string): boolean {
  return CPE23_RE.test(s);
}
