import { type CosignatureVerifier, parseCosignerVerifierKey } from '../ledger/ledger-cosignature.js';

/** One witness as config.json names it: where to push checkpoints and the key it cosigns with. */
export interface WitnessConfig {
  /** The witness's submission prefix: checkpoints go to `<url>/add-checkpoint`. */
  url: string;
  /** Its verifier key (vkey, type 0x04), as its operator publishes it. */
  key: string;
}

export interface WitnessTarget {
  url: string;
  name: string;
  key: string;
  verifier: CosignatureVerifier;
}

export const MAX_WITNESSES = 20;

export type WitnessConfigParse = { ok: true; witnesses: WitnessTarget[] } | { ok: false; message: string };

/** Checks the `witnesses` setting: a list of {url, key}, each key distinct, http(s) URLs only. */
export function parseWitnessConfig(value: unknown): WitnessConfigParse {
  if (value === undefined) return { ok: true, witnesses: [] };
  if (!Array.isArray(value)) return { ok: false, message: 'witnesses must be a list of {"url", "key"}' };
  if (value.length > MAX_WITNESSES)
    return { ok: false, message: `witnesses: at most ${MAX_WITNESSES}, got ${value.length}` };
  const witnesses: WitnessTarget[] = [];
  for (const [i, item] of value.entries()) {
    const where = `witnesses[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      return { ok: false, message: `${where} must be an object with "url" and "key"` };
    const extra = Object.keys(item).filter((k) => k !== 'url' && k !== 'key');
    if (extra.length > 0)
      return { ok: false, message: `${where}: unknown field ${JSON.stringify(extra[0])}` };
    const { url, key } = item as Record<string, unknown>;
    if (typeof url !== 'string' || url.length > 2000)
      return { ok: false, message: `${where}.url must be the witness's http(s) URL` };
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(url);
    } catch {
      return { ok: false, message: `${where}.url ${JSON.stringify(url.slice(0, 100))} is not a URL` };
    }
    if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:')
      return { ok: false, message: `${where}.url must start with http:// or https://` };
    if (parsedUrl.username || parsedUrl.password || parsedUrl.search || parsedUrl.hash)
      return { ok: false, message: `${where}.url must not carry credentials, a query or a fragment` };
    if (typeof key !== 'string')
      return { ok: false, message: `${where}.key must be the witness's verifier key` };
    const parsedKey = parseCosignerVerifierKey(key);
    if (!parsedKey.ok) return { ok: false, message: `${where}.key: ${parsedKey.message}` };
    const verifier = parsedKey.verifier;
    const publicKey = Buffer.from(verifier.publicKey);
    if (
      witnesses.some((w) => Buffer.from(w.verifier.publicKey).equals(publicKey) || w.name === verifier.name)
    )
      return { ok: false, message: `${where}: witness ${verifier.name} (or its key) is listed twice` };
    witnesses.push({ url: url.replace(/\/+$/, ''), name: verifier.name, key: verifier.key, verifier });
  }
  return { ok: true, witnesses };
}

/** The configured witnesses of a config readConfig has checked. */
export function witnessTargetsOf(config: { witnesses?: unknown }): WitnessTarget[] {
  const parsed = parseWitnessConfig(config.witnesses);
  if (!parsed.ok) throw new Error(`witnesses: ${parsed.message}`);
  return parsed.witnesses;
}
