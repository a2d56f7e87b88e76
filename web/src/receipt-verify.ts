/*
 * Verifies a ledger receipt in the browser, with WebCrypto only: the hub's Ed25519 signature on
 * the checkpoint (C2SP signed-note), each witness's Ed25519 cosignature (C2SP tlog-cosignature,
 * cosignature/v1) and the RFC 6962 inclusion proof, recomputed here. Nothing is asked of the
 * server: a receipt pasted in is checked the same way as one fetched.
 */

export type CheckState = 'good' | 'bad' | 'missing';

export interface ReceiptCheck {
  id: string;
  state: CheckState;
  label: string;
}

export interface ReceiptView {
  ok: boolean;
  /** Why the receipt cannot be read at all (then there are no checks). */
  error?: string;
  index?: number;
  origin?: string;
  size?: number;
  entry?: Record<string, unknown>;
  checks: ReceiptCheck[];
  cosigned: number;
}

/** Bytes over a plain ArrayBuffer: what WebCrypto takes. */
type Bytes = Uint8Array<ArrayBuffer>;

const enc = new TextEncoder();
const MAX_RECEIPT_CHARS = 1024 * 1024;

function fromBase64(text: string): Bytes | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

const concat = (...parts: Uint8Array[]): Bytes => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const sha256 = async (data: Bytes): Promise<Bytes> =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', data));
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const u32 = (b: Uint8Array) =>
  ((b[0] ?? 0) * 2 ** 24 + ((b[1] ?? 0) << 16) + ((b[2] ?? 0) << 8) + (b[3] ?? 0)) >>> 0;

interface Vkey {
  name: string;
  keyId: number;
  key: Awaited<ReturnType<typeof crypto.subtle.importKey>>;
  raw: Bytes;
}

/** A C2SP vkey `<name>+<hex id>+<base64(type || key)>` of the given signature type. */
export async function parseVkey(text: string, type: 0x01 | 0x04): Promise<Vkey | string> {
  const parts = text.trim().split('+');
  if (parts.length < 3) return 'a key looks like <name>+<8 hex digits>+<base64>';
  const [name, idHex] = parts as [string, string];
  const material = fromBase64(parts.slice(2).join('+'));
  if (!name || /\s/.test(name)) return 'the key name is empty or has spaces';
  if (!/^[0-9a-f]{8}$/.test(idHex)) return 'the key id must be 8 lowercase hex digits';
  if (material?.length !== 33) return 'the key must be base64 of a type byte and 32 bytes';
  if (material[0] !== type)
    return type === 0x01
      ? 'not a hub (checkpoint) key: its type is not 0x01'
      : 'not a witness key: its type is not 0x04';
  const keyId = u32(await sha256(concat(enc.encode(`${name}\n`), material)));
  if (keyId !== Number.parseInt(idHex, 16)) return 'the key id does not match the key';
  const raw = material.subarray(1);
  const key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  return { name, keyId, key, raw };
}

interface SigLine {
  name: string;
  keyId: number;
  sig: Bytes;
}

function splitNote(note: string): { text: string; lines: SigLine[] } | string {
  if (!note.endsWith('\n')) return 'the checkpoint does not end with a newline';
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return 'the checkpoint has no signatures';
  const lines: SigLine[] = [];
  for (const line of note
    .slice(split + 2, -1)
    .split('\n')
    .slice(0, 100)) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)$/u.exec(line);
    const raw = m ? fromBase64(m[2] as string) : undefined;
    if (!m || !raw || raw.length < 5) return `malformed signature line: ${line.slice(0, 60)}`;
    lines.push({ name: m[1] as string, keyId: u32(raw), sig: raw.subarray(4) });
  }
  return { text: note.slice(0, split + 1), lines };
}

const hashChildren = (l: Bytes, r: Bytes) => sha256(concat(new Uint8Array([1]), l, r));

/** RFC 9162 section 2.1.3.2, with arithmetic that stays exact up to 2^53. */
async function checkInclusion(index: number, size: number, leaf: Bytes, proof: Bytes[], root: Bytes) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  const half = (n: number) => Math.floor(n / 2);
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && same(r, root);
}

const iso = (unix: number) => new Date(unix * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Reads and checks a receipt `{index, entry, checkpoint, proof}` against the hub key and the
 * witness keys given. `ok` means: hub signature, inclusion, and a cosignature from every witness.
 */
export async function verifyReceiptInBrowser(
  receipt: string,
  hubKey: string,
  witnessKeys: readonly string[],
): Promise<ReceiptView> {
  const fail = (error: string): ReceiptView => ({ ok: false, error, checks: [], cosigned: 0 });
  if (typeof crypto === 'undefined' || !crypto.subtle)
    return fail(
      'this page is not a secure context (HTTPS or localhost): the browser offers no WebCrypto here',
    );
  if (receipt.length > MAX_RECEIPT_CHARS) return fail('the receipt is larger than 1 MiB');
  let doc: unknown;
  try {
    doc = JSON.parse(receipt);
  } catch {
    return fail('the receipt is not JSON');
  }
  const r = doc as { index?: unknown; entry?: unknown; checkpoint?: unknown; proof?: unknown };
  if (
    typeof r !== 'object' ||
    r === null ||
    !Number.isSafeInteger(r.index) ||
    (r.index as number) < 0 ||
    typeof r.entry !== 'string' ||
    typeof r.checkpoint !== 'string' ||
    !Array.isArray(r.proof) ||
    r.proof.length > 64
  )
    return fail('a receipt has {"index", "entry", "checkpoint", "proof"}');
  const index = r.index as number;
  const entryBytes = fromBase64(r.entry);
  const proof = (r.proof as unknown[]).map((p) => (typeof p === 'string' ? fromBase64(p) : undefined));
  if (!entryBytes) return fail('the entry is not base64');
  if (proof.some((p) => p?.length !== 32)) return fail('every proof element must be a base64 32-byte hash');
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(entryBytes)) as Record<
      string,
      unknown
    >;
  } catch {
    return fail('the entry is not JSON text');
  }
  const note = splitNote(r.checkpoint);
  if (typeof note === 'string') return fail(note);
  const [origin, sizeText, rootText] = note.text.split('\n');
  const root = rootText ? fromBase64(rootText) : undefined;
  if (!origin || !/^(0|[1-9][0-9]{0,15})$/.test(sizeText ?? '') || root?.length !== 32)
    return fail('the checkpoint is not origin, size and root hash');
  const size = Number(sizeText);
  const text: Bytes = enc.encode(note.text);
  const checks: ReceiptCheck[] = [];

  const hub = await parseVkey(hubKey, 0x01);
  if (typeof hub === 'string') checks.push({ id: 'hub-signature', state: 'bad', label: `Hub key: ${hub}` });
  else {
    const line = note.lines.find((l) => l.name === hub.name && l.keyId === hub.keyId);
    const good =
      line !== undefined &&
      origin === hub.name &&
      line.sig.length === 64 &&
      (await crypto.subtle.verify('Ed25519', hub.key, line.sig, text));
    checks.push({
      id: 'hub-signature',
      state: good ? 'good' : line ? 'bad' : 'missing',
      label: good
        ? `The checkpoint is signed by the hub key ${hub.name}+${hubKey.trim().split('+')[1]}`
        : line
          ? 'The hub signature on the checkpoint does not verify'
          : `The checkpoint carries no signature by ${hub.name}`,
    });
  }

  const leaf = await sha256(concat(new Uint8Array([0]), entryBytes));
  const included = await checkInclusion(index, size, leaf, proof as Bytes[], root);
  checks.push({
    id: 'inclusion',
    state: included ? 'good' : 'bad',
    label: included
      ? `Entry ${index} is in the tree of size ${size}: ${proof.length} proof hashes rebuild its root`
      : `The inclusion proof does not lead from entry ${index} to the root of tree size ${size}`,
  });

  let cosigned = 0;
  for (const keyText of witnessKeys) {
    const w = await parseVkey(keyText, 0x04);
    if (typeof w === 'string') {
      checks.push({ id: 'witness', state: 'bad', label: `Witness key ${keyText.split('+')[0]}: ${w}` });
      continue;
    }
    const line = note.lines.find((l) => l.name === w.name && l.keyId === w.keyId);
    if (!line) {
      checks.push({ id: 'witness', state: 'missing', label: `No cosignature from witness ${w.name}` });
      continue;
    }
    const hi = line.sig.length === 72 ? u32(line.sig) : 0;
    const timestamp = hi * 2 ** 32 + u32(line.sig.subarray(4));
    const message = concat(enc.encode(`cosignature/v1\ntime ${timestamp}\n`), text);
    const good =
      line.sig.length === 72 &&
      hi < 2 ** 21 &&
      (await crypto.subtle.verify('Ed25519', w.key, line.sig.subarray(8), message));
    if (good) cosigned++;
    checks.push({
      id: 'witness',
      state: good ? 'good' : 'bad',
      label: good
        ? `Cosigned by witness ${w.name} at ${iso(timestamp)}`
        : `The cosignature by witness ${w.name} does not verify`,
    });
  }
  const ok = checks.every((c) => c.state === 'good');
  return { ok, index, origin, size, entry, checks, cosigned };
}
