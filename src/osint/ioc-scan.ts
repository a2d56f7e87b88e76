import {
  isDomain,
  isEmail,
  isIPv4,
  isIPv6,
  isMD5,
  isSHA1,
  isSHA256,
  isSHA512,
  isURL,
  refang,
} from 'ioc-extractor';
import ipaddr from 'ipaddr.js';
import type { IndicatorType } from './osint-types.js';

/** An indicator of compromise or a CVE id found in the text, with its span. */
export type IocHit =
  | { kind: 'indicator'; type: IndicatorType; value: string; defanged: boolean; start: number; end: number }
  | { kind: 'vulnerability'; cve: string; start: number; end: number };

export interface IocLists {
  /** Domains an article names for what they are (a subdomain of one is benign too). */
  benignDomains: ReadonlySet<string>;
  /** Public resolvers and connectivity checks (8.8.8.8): named for what they are. */
  benignAddresses: ReadonlySet<string>;
  /** TLDs that are mostly file extensions in prose (run.exe, update.ps1): only defanged counts. */
  fileExtensions: ReadonlySet<string>;
}

// RFC 2606 / 6761 names for documentation and tests: never anyone's infrastructure.
const DOC_TLDS = new Set(['example', 'test', 'invalid', 'localhost', 'local', 'internal', 'lan']);
const DOC_DOMAINS = ['example.com', 'example.net', 'example.org'];
const LEADING = /^[("'“‘<[{]+/;
const TRAILING = /[.,;:!?)"'’”>}]+$/;
const CVE = /\bCVE-(\d{4})-(\d{4,7})\b/gi;

function underAny(domain: string, list: Iterable<string>): boolean {
  for (const d of list) if (domain === d || domain.endsWith(`.${d}`)) return true;
  return false;
}

/** A public, routable address: private, loopback, link-local, reserved (documentation) ranges are not. */
export function isPublicAddress(ip: string): boolean {
  try {
    const parsed = ipaddr.parse(ip);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
      return isPublicAddress((parsed as ipaddr.IPv6).toIPv4Address().toString());
    return parsed.range() === 'unicast';
  } catch {
    return false;
  }
}

function isDocumentationDomain(domain: string): boolean {
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  return DOC_TLDS.has(tld) || underAny(domain, DOC_DOMAINS);
}

/** Why a domain is not an indicator, or undefined when it may be one. */
function benignDomain(domain: string, lists: IocLists, defanged: boolean): string | undefined {
  if (isDocumentationDomain(domain)) return 'documentation';
  if (underAny(domain, lists.benignDomains)) return 'benign';
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (!defanged && lists.fileExtensions.has(tld)) return 'file name';
  return undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

function classify(
  raw: string,
  lists: IocLists,
): Omit<Extract<IocHit, { kind: 'indicator' }>, 'start' | 'end'> | undefined {
  const value = refang(raw);
  const defanged = value !== raw;
  if (/^[0-9a-f]+$/i.test(value)) {
    const hex = value.toLowerCase();
    if (isSHA512(hex)) return { kind: 'indicator', type: 'sha512', value: hex, defanged };
    if (isSHA256(hex)) return { kind: 'indicator', type: 'sha256', value: hex, defanged };
    if (isSHA1(hex)) return { kind: 'indicator', type: 'sha1', value: hex, defanged };
    if (isMD5(hex)) return { kind: 'indicator', type: 'md5', value: hex, defanged };
  }
  if (isIPv4(value) && /^\d{1,3}(\.\d{1,3}){3}$/.test(value))
    return isPublicAddress(value) && !lists.benignAddresses.has(value)
      ? { kind: 'indicator', type: 'ipv4-addr', value, defanged }
      : undefined;
  if (
    value.includes(':') &&
    !value.includes('/') &&
    isIPv6(value) &&
    /[0-9a-f]{1,4}:[0-9a-f]{0,4}:/i.test(value)
  )
    return isPublicAddress(value) && !lists.benignAddresses.has(ipaddr.parse(value).toString())
      ? { kind: 'indicator', type: 'ipv6-addr', value: ipaddr.parse(value).toString(), defanged }
      : undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && isURL(value)) {
    const host = hostOf(value);
    if (!host) return undefined;
    if (/^[\d.]+$/.test(host) || host.includes(':')) {
      if (!isPublicAddress(host)) return undefined;
    } else if (benignDomain(host, lists, true)) return undefined;
    return { kind: 'indicator', type: 'url', value, defanged };
  }
  if (value.includes('@')) {
    if (!isEmail(value)) return undefined;
    const domain = value.slice(value.lastIndexOf('@') + 1).toLowerCase();
    return isDocumentationDomain(domain)
      ? undefined
      : { kind: 'indicator', type: 'email-addr', value, defanged };
  }
  // A domain in prose: lower-case (capitalised "Node.js", "St.Petersburg" are words), valid TLD.
  if (value === value.toLowerCase() && isDomain(value, { strict: true })) {
    const domain = value.replace(/\.$/, '');
    return benignDomain(domain, lists, defanged)
      ? undefined
      : { kind: 'indicator', type: 'domain-name', value: domain, defanged };
  }
  return undefined;
}

/**
 * Indicators and CVE ids with their offsets. Each white-space-separated run of the text is one
 * candidate (so a URL yields the URL, not also its domain), refanged (hxxp, [.], [@], (dot)...)
 * and classified by ioc-extractor's checks; public addresses, non-benign domains only.
 */
export function scanIocs(text: string, lists: IocLists): IocHit[] {
  const hits: IocHit[] = [];
  for (const m of text.matchAll(CVE)) {
    hits.push({
      kind: 'vulnerability',
      cve: `CVE-${m[1]}-${m[2]}`,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  for (const m of text.matchAll(/\S{4,2100}/g)) {
    let raw = m[0];
    let start = m.index;
    const lead = LEADING.exec(raw)?.[0].length ?? 0;
    // A defanged "[.]" may end a candidate's domain, never its last character: keep "]" then.
    raw = raw.slice(lead);
    start += lead;
    raw = raw.replace(TRAILING, '');
    if (raw.length < 4 || !/[.:@\]]/.test(raw) || /^CVE-/i.test(raw)) {
      if (!/^[0-9a-f]{32,128}$/i.test(raw)) continue;
    }
    const hit = classify(raw, lists);
    if (hit) hits.push({ ...hit, start, end: start + raw.length });
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** The STIX pattern for an indicator's value (quotes and backslashes escaped). */
export function patternOf(type: IndicatorType, value: string): string {
  const v = value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  switch (type) {
    case 'md5':
      return `[file:hashes.MD5 = '${v}']`;
    case 'sha1':
      return `[file:hashes.'SHA-1' = '${v}']`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = '${v}']`;
    case 'sha512':
      return `[file:hashes.'SHA-512' = '${v}']`;
    default:
      return `[${type}:value = '${v}']`;
  }
}
