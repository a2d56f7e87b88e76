import { parseTlogSize, TLOG_SIZE_MEDIA_TYPE } from '../ledger/ledger-witness-request.js';

/** What a witness answered to add-checkpoint, or why it could not be asked. */
export type WitnessReply =
  | { kind: 'cosigned'; body: string }
  | { kind: 'conflict'; size: number }
  | { kind: 'refused'; status: number; message: string }
  | { kind: 'unreachable'; message: string };

export interface WitnessPostOptions {
  timeoutMs: number;
  /** Aborts the request (the hub is shutting down). */
  signal?: AbortSignal;
  /** A witness's answer is a few signature lines: more is refused unread. */
  maxResponseBytes?: number;
}

export type PostAddCheckpoint = (
  prefix: string,
  body: string,
  opts: WitnessPostOptions,
) => Promise<WitnessReply>;

async function readCapped(res: Response, max: number): Promise<string | undefined> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A short, printable excerpt of what a witness said, for the hub's log. */
const excerpt = (text: string) =>
  text
    .replace(/\p{Cc}+/gu, ' ')
    .trim()
    .slice(0, 200);

/**
 * POSTs an add-checkpoint body to `<prefix>/add-checkpoint` (C2SP tlog-witness). Redirects are
 * not followed: a witness is configured at the address its operator gave.
 */
export const postAddCheckpoint: PostAddCheckpoint = async (prefix, body, opts) => {
  const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])];
  let res: Response;
  try {
    res = await fetch(`${prefix}/add-checkpoint`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      redirect: 'error',
      signal: AbortSignal.any(signals),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why =
      e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { kind: 'unreachable', message: `${prefix}: ${why}` };
  }
  let text: string | undefined;
  try {
    text = await readCapped(res, opts.maxResponseBytes ?? 16 * 1024);
  } catch (err) {
    return { kind: 'unreachable', message: `${prefix}: the answer was cut off (${(err as Error).message})` };
  }
  if (text === undefined) return { kind: 'refused', status: res.status, message: 'the answer is too large' };
  if (res.status === 200) return { kind: 'cosigned', body: text };
  if (res.status === 409) {
    const type = res.headers.get('content-type')?.split(';')[0]?.trim();
    const size = parseTlogSize(text);
    if (type === TLOG_SIZE_MEDIA_TYPE && size !== undefined) return { kind: 'conflict', size };
    return {
      kind: 'refused',
      status: 409,
      message: `a 409 without a ${TLOG_SIZE_MEDIA_TYPE} size: ${excerpt(text)}`,
    };
  }
  return { kind: 'refused', status: res.status, message: excerpt(text) || `HTTP ${res.status}` };
};
