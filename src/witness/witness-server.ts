import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Cosigner } from '../ledger/ledger-cosignature.js';
import { MAX_ADD_CHECKPOINT_BYTES, TLOG_SIZE_MEDIA_TYPE } from '../ledger/ledger-witness-request.js';
import type { WitnessLogs } from './witness-logs.js';
import type { WitnessState } from './witness-state.js';

/*
 * The HTTP face of a C2SP tlog-witness: POST /add-checkpoint and the monitoring read
 * GET /<sha256 of origin, hex>/checkpoint. Plain node:http, so every limit is explicit: the body
 * is capped before it is read, slow clients are cut off, and nothing a client sends reaches a
 * log line except the status, the origin and the size.
 */

export interface WitnessLimits {
  maxBodyBytes: number;
  /** Whole request, headers and body. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_WITNESS_LIMITS: WitnessLimits = {
  maxBodyBytes: MAX_ADD_CHECKPOINT_BYTES,
  requestTimeoutMs: 10_000,
  headersTimeoutMs: 5_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 512,
};

export interface WitnessServerOptions {
  state: WitnessState;
  cosigner: Cosigner;
  logs: WitnessLogs;
  now: () => Date;
  limits?: Partial<WitnessLimits>;
  https?: { cert: Buffer; key: Buffer };
  /** One structured event per request; never a body or a header. */
  log?: (event: Record<string, unknown>) => void;
}

const TEXT = 'text/plain; charset=utf-8';

/** As the hub's answers (src/app/http-server.ts): a cosignature or a held size is never cached or sniffed. */
const HYGIENE = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } as const;

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = TEXT,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    ...HYGIENE,
    ...headers,
  });
  res.end(body);
}

type Body = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413; message: string };

/** Reads at most `max` bytes; more (announced or sent) is refused without reading the rest. */
function readBody(req: IncomingMessage, max: number): Promise<Body> {
  const announced = req.headers['content-length'];
  if (announced !== undefined && (!/^\d{1,12}$/.test(announced) || Number(announced) > max))
    return Promise.resolve({ ok: false, status: 413, message: `the body must be at most ${max} bytes` });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        resolve({ ok: false, status: 413, message: `the body must be at most ${max} bytes` });
        req.removeAllListeners('data');
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ ok: true, bytes: Buffer.concat(chunks) }));
    req.on('error', () => resolve({ ok: false, status: 400, message: 'the request body was cut off' }));
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function createWitnessServer(opts: WitnessServerOptions): http.Server | https.Server {
  const limits = { ...DEFAULT_WITNESS_LIMITS, ...opts.limits };
  const log = opts.log ?? (() => {});

  const addCheckpoint = async (req: IncomingMessage, res: ServerResponse, event: Record<string, unknown>) => {
    const body = await readBody(req, limits.maxBodyBytes);
    if (!body.ok) {
      event.status = body.status;
      // Close the connection: the rest of an oversized body is not read.
      return send(res, body.status, `${body.message}\n`, TEXT, { Connection: 'close' });
    }
    let text: string;
    try {
      text = utf8.decode(body.bytes);
    } catch {
      event.status = 400;
      return send(res, 400, 'the body must be UTF-8 text\n');
    }
    const outcome = opts.state.addCheckpoint(text, opts.logs.keysOf, opts.cosigner, opts.now());
    event.status = outcome.ok ? 200 : outcome.status;
    if (outcome.ok) {
      event.origin = outcome.origin;
      event.size = outcome.checkpoint.size;
      return send(res, 200, `${outcome.cosignature}\n`);
    }
    event.code = outcome.code;
    if (outcome.signedBy !== undefined) event.origin = outcome.signedBy;
    if (outcome.status === 409) return send(res, 409, `${outcome.heldSize}\n`, TLOG_SIZE_MEDIA_TYPE);
    return send(res, outcome.status, `${outcome.message}\n`);
  };

  const monitor = (hash: string, res: ServerResponse, event: Record<string, unknown>) => {
    const origin = opts.logs.originOfHash(hash);
    const held = origin === undefined ? undefined : opts.state.held(origin);
    event.status = held ? 200 : 404;
    if (!held) return send(res, 404, 'this witness has cosigned no checkpoint of that log\n');
    event.origin = origin;
    return send(res, 200, held.note);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const path = (req.url ?? '/').split('?')[0] as string;
    const event: Record<string, unknown> = { method: req.method, path: path.slice(0, 100) };
    try {
      if (path === '/add-checkpoint') {
        if (req.method !== 'POST') {
          event.status = 405;
          return send(res, 405, 'add-checkpoint takes POST\n', TEXT, { Allow: 'POST' });
        }
        return await addCheckpoint(req, res, event);
      }
      const m = /^\/([0-9a-f]{64})\/checkpoint$/.exec(path);
      if (m) {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          event.status = 405;
          return send(res, 405, 'the checkpoint is read with GET\n', TEXT, { Allow: 'GET, HEAD' });
        }
        return monitor(m[1] as string, res, event);
      }
      event.status = 404;
      return send(res, 404, 'no such resource: POST /add-checkpoint or GET /<origin hash>/checkpoint\n');
    } catch (err) {
      // A database that stays locked or a full disk: say so without detail, and log the cause.
      event.status = 503;
      event.error = (err as Error).message;
      if (!res.headersSent)
        send(res, 503, 'the witness cannot record checkpoints right now; try again later\n');
    } finally {
      event.ms = Date.now() - started;
      log(event);
    }
  };

  const serverOptions = {
    maxHeaderSize: 8 * 1024,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks request deadlines on this interval (30 s by default): a slow client would
    // otherwise hold its connection for up to that long past the deadline.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.requestTimeoutMs / 4))),
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res);
  };
  const server = opts.https
    ? https.createServer({ ...serverOptions, cert: opts.https.cert, key: opts.https.key }, listener)
    : http.createServer(serverOptions, listener);
  server.headersTimeout = limits.headersTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // Idle sockets (a client that opened and sent nothing) are closed too.
  server.setTimeout(limits.requestTimeoutMs + limits.keepAliveTimeoutMs);
  return server;
}
