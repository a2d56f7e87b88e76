import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import { startHubWorker } from '../app/hub-worker.js';
import { buildServer, DEFAULT_LIMITS } from '../app/server.js';
import { usageError } from './cli-error.js';
import { readOperatorPolicies, readUntaggedTlp } from './decide-command.js';

interface ServeOptions {
  host: string;
  port: string;
  data?: string;
  tlsCert?: string;
  tlsKey?: string;
  maxPageSize: string;
  rate: string;
  logLevel: string;
  pageCache: string;
  deliveryPeriod: string;
}

function parseIntOption(value: string, option: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw usageError(`${option} "${value}" must be an integer from ${min} to ${max}`);
  }
  return Number(value);
}

function readTls(opts: ServeOptions): { cert: Buffer; key: Buffer } | undefined {
  if (opts.tlsCert === undefined && opts.tlsKey === undefined) return undefined;
  if (opts.tlsCert === undefined || opts.tlsKey === undefined) {
    throw usageError('--tls-cert and --tls-key go together: give both, or neither for plain HTTP');
  }
  for (const [option, path] of [
    ['--tls-cert', opts.tlsCert],
    ['--tls-key', opts.tlsKey],
  ] as const) {
    if (!existsSync(path)) throw usageError(`${option} ${path}: no such file`);
  }
  return { cert: readFileSync(opts.tlsCert), key: readFileSync(opts.tlsKey) };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve TAXII 2.1: each partner pulls its releases and pushes feedback')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '9400')
    .option('--data <dir>', 'data directory (default ./tearline-data or $TEARLINE_DATA)')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--max-page-size <n>', 'most objects per page', String(DEFAULT_LIMITS.maxPageSize))
    .option('--rate <n>', 'requests per second allowed to each credential', '200')
    .option('--page-cache <n>', 'rendered pages kept until the data changes (0: none)', '2000')
    .option('--log-level <level>', 'info (each request), warn (failed logins, errors) or error', 'info')
    .option(
      '--delivery-period <seconds>',
      'record what each partner fetched, one ledger entry per partner per period (0: record nothing)',
      '60',
    )
    .action(async (opts: ServeOptions) => {
      const port = parseIntOption(opts.port, '--port', 0, 65535);
      const maxPageSize = parseIntOption(opts.maxPageSize, '--max-page-size', 1, 10_000);
      const rate = parseIntOption(opts.rate, '--rate', 1, 1_000_000);
      const pageCache = parseIntOption(opts.pageCache, '--page-cache', 0, 1_000_000);
      const deliveryPeriod = parseIntOption(opts.deliveryPeriod, '--delivery-period', 0, 86_400);
      const https = readTls(opts);
      if (!['info', 'warn', 'error'].includes(opts.logLevel)) {
        throw usageError(`--log-level "${opts.logLevel}" must be info, warn or error`);
      }
      const hub = await openHubAt({ ...opts, serving: true });
      const app = buildServer(hub, {
        limits: { maxPageSize },
        pageCache: { maxEntries: pageCache, maxBytes: 128 * 1024 * 1024 },
        rate: { perSecond: rate, burst: rate * 2 },
        log: { stream: process.stdout, level: opts.logLevel },
        deliveries: { periodMs: deliveryPeriod * 1000 },
        ...(https && { https }),
      });
      try {
        await app.listen({ host: opts.host, port });
      } catch (err) {
        await hub.close();
        throw usageError(`cannot listen on ${opts.host}:${port}: ${(err as Error).message}`);
      }
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      const url = `${https ? 'https' : 'http'}://${host}:${bound}/taxii2/`;
      process.stderr.write(`tearline: serving TAXII 2.1 at ${url} (data ${hub.paths.dir})\n`);
      const untagged = readUntaggedTlp(hub.paths.dir);
      const worker = startHubWorker(hub, {
        intervalMs: 2000,
        operator: readOperatorPolicies(hub.paths.dir),
        ...(untagged && { untaggedTlp: untagged }),
        onError: (err) => app.log.error({ err: (err as Error).message }, 'release pipeline pass failed'),
      });
      // Graceful shutdown: stop accepting, let requests in flight finish, then close the database.
      const signal = await new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      process.stderr.write(`tearline: ${signal}: shutting down\n`);
      await worker.stop();
      try {
        await app.close();
      } finally {
        await hub.close();
      }
    });
}
