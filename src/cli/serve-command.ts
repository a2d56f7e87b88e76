import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import { HubPolicySource } from '../app/hub-policy-watch.js';
import { selectDatabase } from '../app/hub-postgres.js';
import { type HubWorker, startHubWorker } from '../app/hub-worker.js';
import { watchLoopDelay } from '../app/loop-delay-watch.js';
import { buildServer, DEFAULT_LIMITS } from '../app/server.js';
import { closeServer } from '../app/server-drain.js';
import { witnessTargetsOf } from '../app/witness-config.js';
import { WitnessPusher } from '../app/witness-push.js';
import {
  describeStorageFault,
  refineStorageFault,
  type StorageFault,
  storageFaultOf,
  unwritableAt,
} from '../store/storage-fault.js';
import { DATA_OPTION } from './cli-arguments.js';
import { usageError } from './cli-error.js';

/** How long requests in flight may take to finish once shutdown begins. */
const DRAIN_MS = 10_000;

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
    .option(...DATA_OPTION)
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
      // A full or read-only disk does not stop the hub serving what it holds: it opens read-only,
      // answers reads, refuses writes with 507/503, and runs no release passes.
      let degraded: string | undefined;
      const engine = selectDatabase((opts as { db?: string }).db, process.env);
      const sqlite = engine.ok && engine.kind === 'sqlite';
      const readOnly = async (fault: StorageFault) => {
        const opened = await openHubAt({ ...opts, serving: true, readOnly: true });
        const where = opened.paths.database;
        degraded = describeStorageFault(refineStorageFault(fault, where), where);
        return opened;
      };
      let hub = await openHubAt({ ...opts, serving: true }).catch(async (err: unknown) => {
        const fault = storageFaultOf(err);
        if (!fault || !sqlite) throw err;
        return readOnly(fault);
      });
      // SQLite opens a file it may not write read-only without a word; it would fail only at the
      // first write (and at every release pass).
      const unwritable = sqlite && !degraded ? unwritableAt(hub.paths.database) : undefined;
      if (unwritable) {
        await hub.close();
        hub = await readOnly(unwritable);
      }
      let policy: HubPolicySource;
      try {
        policy = new HubPolicySource(hub.paths.dir);
      } catch (err) {
        await hub.close();
        throw err;
      }
      let worker: HubWorker | undefined;
      const app = buildServer(hub, {
        policy,
        passes: () => worker,
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
      if (degraded)
        process.stderr.write(
          `tearline: warning: serving read-only. ${degraded} Writes are refused (507 or 503) until serve is restarted on a writable disk.\n`,
        );
      const witnesses = witnessTargetsOf(hub.config);
      // Checkpoints go to the witnesses in the background: a slow or absent witness delays
      // only its own cosignatures, never a release or a TAXII page.
      const pusher =
        witnesses.length > 0 && !degraded
          ? new WitnessPusher({
              ledger: hub.ledgerService,
              cosignatures: hub.cosignatures,
              witnesses,
              now: () => hub.clock.now(),
              exclusive: (key, work) => hub.sql.runExclusive(key, work),
              onResult: (r) => {
                if (r.ok) return app.log.info({ witness: r.witness, size: r.size }, 'checkpoint cosigned');
                const fields = { witness: r.witness, code: r.code, err: r.message, retryInMs: r.retryInMs };
                // A witness holding a tree our checkpoint does not extend is evidence against this
                // hub's ledger (rolled back or forked), not a network problem.
                if (r.code === 'inconsistent' || r.code === 'witness-ahead')
                  return app.log.error(
                    fields,
                    'a witness refuses this ledger as not extending what it cosigned',
                  );
                return app.log.warn(fields, 'witness push failed');
              },
            })
          : undefined;
      pusher?.start();
      // A request waits as long as the loop is held: say when (and how long) it was.
      const stopLoopWatch = watchLoopDelay((w) =>
        app.log.warn({ p99Ms: Math.round(w.p99Ms), maxMs: Math.round(w.maxMs) }, 'event loop delayed'),
      );
      worker = degraded
        ? undefined
        : startHubWorker(hub, {
            intervalMs: 2000,
            policy,
            onError: (err) => app.log.error({ err: (err as Error).message }, 'release pipeline pass failed'),
            afterPass: () => pusher?.wake(),
            // Passes run in a child process with its own connection: requests never wait for one.
            passProcess: { data: hub.paths.dir, db: (opts as { db?: string }).db },
          });
      // Settings (untagged_tlp, operator policies, forbidden terms, profiles) are re-read when a
      // file changes or on SIGHUP; the next pass decides everything again by the new ones.
      policy.onChange((s) => {
        if (s.error) app.log.error({ err: s.error.message }, 'settings do not load; the previous ones stay');
        else app.log.info({ digest: s.digest, files: s.files }, 'settings re-read');
        worker
          ?.runOnce()
          .catch((err) => app.log.error({ err: (err as Error).message }, 'release pipeline pass failed'));
      });
      policy.watch();
      const onHup = () => {
        process.stderr.write('tearline: SIGHUP: re-reading settings\n');
        policy.reload();
      };
      process.on('SIGHUP', onHup);
      // Graceful shutdown: stop accepting, let requests in flight finish (bounded), stop the
      // worker and the witness pusher, and only then close the database that they use.
      const signal = await new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      process.stderr.write(`tearline: ${signal}: shutting down\n`);
      process.off('SIGHUP', onHup);
      stopLoopWatch();
      policy.close();
      try {
        const { abandoned } = await closeServer(app, DRAIN_MS);
        if (abandoned > 0)
          process.stderr.write(
            `tearline: ${abandoned} requests still running after ${DRAIN_MS / 1000} s were cut off\n`,
          );
        await worker?.stop();
        await pusher?.stop();
      } finally {
        await hub.close();
      }
    });
}
