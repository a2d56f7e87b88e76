import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  createWitnessKey,
  DEFAULT_WITNESS_DIR,
  loadWitnessKey,
  witnessPaths,
  witnessVerifierKey,
} from '../witness/witness-keys.js';
import { parseWitnessLogs } from '../witness/witness-logs.js';
import { createWitnessServer } from '../witness/witness-server.js';
import { WitnessState } from '../witness/witness-state.js';
import { CliError, usageError } from './cli-error.js';

interface WitnessDirOption {
  data?: string;
  key?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function pathsOf(opts: WitnessDirOption) {
  const paths = witnessPaths(resolve(opts.data ?? process.env.TEARLINE_WITNESS_DATA ?? DEFAULT_WITNESS_DIR));
  return { ...paths, key: opts.key === undefined ? paths.key : resolve(opts.key) };
}

function loadKey(path: string) {
  const loaded = loadWitnessKey(path);
  if (!loaded.ok) throw new CliError(loaded.message);
  return loaded.cosigner;
}

function readTls(cert: string | undefined, key: string | undefined) {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined)
    throw usageError('--tls-cert and --tls-key go together: give both, or neither for plain HTTP');
  for (const [flag, path] of [
    ['--tls-cert', cert],
    ['--tls-key', key],
  ] as const) {
    if (!existsSync(path)) throw usageError(`${flag} ${path}: no such file`);
  }
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

export function registerWitness(program: Command): void {
  const witness = program
    .command('witness')
    .description('run a C2SP tlog-witness: cosign the checkpoints of logs you follow, never a fork');
  const dataOption = [
    '--data <dir>',
    "the witness's directory: key and state (default ./tearline-witness or $TEARLINE_WITNESS_DATA)",
  ] as const;
  const keyOption = ['--key <file>', 'the witness private key (default <data>/witness.key)'] as const;

  witness
    .command('init')
    .description('create the witness key (Ed25519, c2sp.org/tlog-cosignature) and print its verifier key')
    .requiredOption('--name <name>', 'the witness name, a schema-less URL such as witness.example.org/w1')
    .option(...dataOption)
    .option(...keyOption)
    .action((opts: WitnessDirOption & { name: string }) => {
      const paths = pathsOf(opts);
      const made = createWitnessKey(paths.key, opts.name);
      if (!made.ok) throw new CliError(made.message);
      process.stderr.write(`created ${paths.key}; give this verifier key to the logs and verifiers:\n`);
      process.stdout.write(`${witnessVerifierKey(made.cosigner)}\n`);
    });

  witness
    .command('key')
    .description('print the verifier key of the witness (what logs and receipt verifiers are given)')
    .option(...dataOption)
    .option(...keyOption)
    .action((opts: WitnessDirOption) => {
      process.stdout.write(`${witnessVerifierKey(loadKey(pathsOf(opts).key))}\n`);
    });

  witness
    .command('evidence')
    .description(
      'print the refused checkpoints that carried a valid log signature (a fork or rollback), one JSON object a line',
    )
    .option(...dataOption)
    .option('--origin <origin>', 'only this log')
    .action((opts: WitnessDirOption & { origin?: string }) => {
      const paths = pathsOf(opts);
      if (!existsSync(paths.state)) throw new CliError(`no witness state at ${paths.state}`);
      const state = new WitnessState(paths.state);
      try {
        for (const e of state.evidence(opts.origin)) {
          // The request as received: the old size, the proof and the signed checkpoint, to hand on.
          process.stdout.write(
            `${JSON.stringify({ origin: e.origin, received_at: e.receivedAt, status: e.status, reason: e.reason, request: e.body })}\n`,
          );
        }
      } finally {
        state.close();
      }
    });

  witness
    .command('serve')
    .description('serve POST /add-checkpoint and GET /<origin hash>/checkpoint for the logs given')
    .option(...dataOption)
    .option(...keyOption)
    .option(
      '--log <origin=key>',
      'a log to follow: its origin and its verifier key (repeatable)',
      collect,
      [],
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '9500')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .action(
      async (
        opts: WitnessDirOption & {
          log: string[];
          host: string;
          port: string;
          tlsCert?: string;
          tlsKey?: string;
        },
      ) => {
        if (!/^\d{1,5}$/.test(opts.port) || Number(opts.port) > 65535)
          throw usageError(`--port "${opts.port}" must be an integer from 0 to 65535`);
        const logs = parseWitnessLogs(opts.log);
        if (!logs.ok) throw usageError(logs.message);
        const paths = pathsOf(opts);
        const cosigner = loadKey(paths.key);
        const https = readTls(opts.tlsCert, opts.tlsKey);
        const state = new WitnessState(paths.state);
        const server = createWitnessServer({
          state,
          cosigner,
          logs: logs.logs,
          now: () => new Date(),
          ...(https && { https }),
          log: (event) =>
            process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`),
        });
        try {
          await new Promise<void>((done, fail) => {
            server.once('error', fail);
            server.listen(Number(opts.port), opts.host, () => done());
          });
        } catch (err) {
          state.close();
          throw usageError(`cannot listen on ${opts.host}:${opts.port}: ${(err as Error).message}`);
        }
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : Number(opts.port);
        const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
        process.stderr.write(
          `tearline witness: ${witnessVerifierKey(cosigner)} at ${https ? 'https' : 'http'}://${host}:${port} ` +
            `for ${logs.logs.origins().join(', ')} (state ${paths.state})\n`,
        );
        const signal = await new Promise<string>((done) => {
          process.once('SIGTERM', () => done('SIGTERM'));
          process.once('SIGINT', () => done('SIGINT'));
        });
        process.stderr.write(`tearline witness: ${signal}: shutting down\n`);
        // Requests in flight finish (each is one short transaction); idle connections close now.
        server.closeIdleConnections();
        await new Promise<void>((done) => server.close(() => done()));
        state.close();
      },
    );
}
