import { decodeHash, encodeHash, type Hash } from './ledger-hash.js';

/*
 * The bodies of C2SP tlog-witness add-checkpoint: what the log sends and what the witness
 * answers. Pure text in, values out; the witness server and the hub's client both use them.
 */

/** The spec: a client MUST NOT send more than 63 consistency proof lines. */
export const MAX_PROOF_LINES = 63;
/** Largest add-checkpoint body a witness reads (a checkpoint of 100 signatures fits easily). */
export const MAX_ADD_CHECKPOINT_BYTES = 64 * 1024;
/** The media type of a 409 answer, whose body is the size the witness holds. */
export const TLOG_SIZE_MEDIA_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Hash[];
  /** The signed checkpoint, exactly as sent. */
  note: string;
}

export type RequestParse = { ok: true; request: AddCheckpointRequest } | { ok: false; message: string };

const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;

/** `old N`, the proof lines, a blank line, then the signed checkpoint. */
export function formatAddCheckpoint(oldSize: number, proof: readonly Hash[], note: string): string {
  return `old ${oldSize}\n${proof.map((h) => `${encodeHash(h)}\n`).join('')}\n${note}`;
}

/** Parses an add-checkpoint body; every refusal says which line is wrong. */
export function parseAddCheckpoint(body: string): RequestParse {
  const end = body.indexOf('\n\n');
  if (end < 0)
    return { ok: false, message: 'the body must be "old N", proof lines, a blank line, then the checkpoint' };
  const head = body.slice(0, end).split('\n');
  const oldLine = head[0] as string;
  const m = /^old (.*)$/.exec(oldLine);
  if (!m)
    return { ok: false, message: `line 1 must be "old <size>", got ${JSON.stringify(oldLine.slice(0, 60))}` };
  const sizeText = m[1] as string;
  if (!DECIMAL.test(sizeText) || !Number.isSafeInteger(Number(sizeText)))
    return {
      ok: false,
      message: `line 1: the old size must be a decimal number without leading zeroes, got ${JSON.stringify(sizeText.slice(0, 30))}`,
    };
  const proofLines = head.slice(1);
  if (proofLines.length > MAX_PROOF_LINES)
    return {
      ok: false,
      message: `at most ${MAX_PROOF_LINES} consistency proof lines, got ${proofLines.length}`,
    };
  const proof: Hash[] = [];
  for (const [i, line] of proofLines.entries()) {
    const hash = decodeHash(line);
    if (!hash)
      return { ok: false, message: `line ${i + 2}: a proof line must be the base64 of a 32-byte hash` };
    proof.push(hash);
  }
  const note = body.slice(end + 2);
  if (note.length === 0) return { ok: false, message: 'the checkpoint after the blank line is missing' };
  return { ok: true, request: { oldSize: Number(sizeText), proof, note } };
}

/** A 409 body: the size the witness holds, in decimal, and a newline. */
export function parseTlogSize(body: string): number | undefined {
  const m = /^(0|[1-9][0-9]{0,15})\n$/.exec(body);
  const n = m ? Number(m[1]) : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}
