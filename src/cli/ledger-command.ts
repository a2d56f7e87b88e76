import { once } from 'node:events';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import type { Action } from '../access/access-roles.js';
import { openHubAt } from '../app/hub-open.js';
import { selectDatabase } from '../app/hub-postgres.js';
import { loadLedgerSigner, verifierKeyOf } from '../app/ledger-key.js';
import type { NoteSigner } from '../ledger/ledger-note.js';
import { parseVerifierKey } from '../ledger/ledger-note.js';
import type { LedgerError } from '../ledger/ledger-result.js';
import type { LedgerService } from '../store/ledger-service.js';
import { PgLedgerError } from '../store/postgres/pg-ledger.js';
import { LedgerStoreError } from '../store/sqlite/ledger-store.js';
import { requireActor } from './cli-actor.js';
import { CliError, usageError } from './cli-error.js';

interface DataOption {
  data?: string;
  db?: string;
}

interface LedgerHub {
  ledger: LedgerService;
  /** Loaded on first use: an overseer verifying with --key needs no private key. */
  signer(): NoteSigner;
  close(): Promise<void>;
}

/**
 * The data dir's keys and config, and the ledger on the database --db / TEARLINE_DB selects; the
 * signed-in user must be allowed `action` (none: the public verifier key).
 */
async function openLedgerHub(opts: DataOption, action: Action | undefined): Promise<LedgerHub> {
  const selected = selectDatabase(opts.db, process.env);
  if (!selected.ok) throw usageError(selected.message);
  const hub = await openHubAt(opts);
  let signer: NoteSigner | undefined;
  try {
    if (action) await requireActor(hub, opts, action);
  } catch (err) {
    await hub.close();
    throw err;
  }
  return {
    ledger: hub.ledgerService,
    signer: () => {
      if (signer) return signer;
      const loaded = loadLedgerSigner(hub.paths, hub.config.hub_name);
      if (!loaded.ok) throw new CliError(loaded.message);
      signer = loaded.signer;
      return signer;
    },
    close: async () => {
      await hub.close();
    },
  };
}

function withHub<T extends DataOption>(
  may: Action | undefined,
  action: (hub: LedgerHub, opts: T) => void | Promise<void>,
): (opts: T) => Promise<void> {
  return async (opts) => {
    const hub = await openLedgerHub(opts, may);
    try {
      await action(hub, opts);
    } catch (err) {
      if (err instanceof LedgerStoreError || err instanceof PgLedgerError) {
        throw new CliError(`the ledger store is damaged (${err.message}); run 'tearline ledger verify'`);
      }
      throw err;
    } finally {
      await hub.close();
    }
  };
}

const failWith = (err: LedgerError): never => {
  throw new CliError(err.message);
};

/** A tree size or index given on the command line: decimal digits only. */
function parseCount(text: string, flag: string): number {
  const n = Number(text);
  if (!/^[0-9]{1,16}$/.test(text) || !Number.isSafeInteger(n)) {
    throw usageError(`${flag} must be a whole number >= 0, got ${JSON.stringify(text)}`);
  }
  return n;
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

const NEWLINE = Buffer.from('\n');

/** Every entry in order, one line each, in chunks (a million entries are a hundred writes). */
async function exportEntries(
  ledger: LedgerService,
  write: (chunk: Buffer) => Promise<void> | void,
): Promise<number> {
  const size = await ledger.size();
  for (let start = 0; start < size; ) {
    const rows = await ledger.readEntries(start, size);
    if (rows.length === 0 || rows[0]?.index !== start) {
      throw new CliError(`entry ${start} is missing from the ledger; run 'tearline ledger verify'`);
    }
    await write(Buffer.concat(rows.flatMap((row) => [row.bytes, NEWLINE])));
    start += rows.length;
  }
  return size;
}

/** Writes beside the destination and renames into place: never half a file under its name. */
async function exportToFile(ledger: LedgerService, path: string): Promise<number> {
  if (existsSync(path)) throw new CliError(`${path} already exists; choose another --out path`);
  const tmp = `${path}.partial-${process.pid}`;
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    const count = await exportEntries(ledger, (chunk) => {
      for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
    });
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    return count;
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed after fsync; the temporary file is removed below either way
    }
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Standard output may be a pipe: wait for it to drain instead of buffering the whole log. */
async function exportToStdout(ledger: LedgerService): Promise<number> {
  let closed: Error | undefined;
  // Stays attached: a reader that quits early (`| head`) must not crash the process.
  process.stdout.on('error', (err) => {
    closed = err;
  });
  try {
    return await exportEntries(ledger, async (chunk) => {
      if (closed) throw closed;
      if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    throw new CliError('standard output was closed before the export finished');
  }
}

export function registerLedger(program: Command): void {
  const ledger = program
    .command('ledger')
    .description(
      'the disclosure ledger: verifier key, checkpoints, receipts, consistency proofs, export, verify',
    );
  const dataOption = ['--data <dir>', 'data directory (default ./tearline-data or $TEARLINE_DATA)'] as const;
  const dbOption = [
    '--db <url>',
    'postgres://… when the hub runs on PostgreSQL (default: the data dir, or $TEARLINE_DB)',
  ] as const;

  ledger
    .command('key')
    .description('print the verifier key partners and overseers use to check checkpoints')
    .option(...dataOption)
    .option(...dbOption)
    .action(withHub(undefined, (hub) => print(verifierKeyOf(hub.signer()))));

  ledger
    .command('checkpoint')
    .description('sign a checkpoint of the current tree if it grew, and print the latest signed checkpoint')
    .option(...dataOption)
    .option(...dbOption)
    .action(
      withHub('ledger.checkpoint', async (hub) => {
        const res = await hub.ledger.checkpoint(new Date(), hub.signer());
        if (!res.ok) failWith(res);
        else print(res.checkpoint.note);
      }),
    );

  ledger
    .command('receipt')
    .description('print the receipt (inclusion proof under a signed checkpoint) of one entry')
    .option(...dataOption)
    .option(...dbOption)
    .option('--release <id>', 'the release whose ledger entry to prove')
    .option('--index <n>', 'the ledger index of the entry to prove')
    .action(
      withHub<DataOption & { release?: string; index?: string }>('read', async (hub, opts) => {
        if ((opts.release === undefined) === (opts.index === undefined)) {
          throw usageError('give exactly one of --release ID or --index N');
        }
        let index: number;
        if (opts.index !== undefined) index = parseCount(opts.index, '--index');
        else {
          const found = await hub.ledger.findRelease(opts.release as string);
          if (found === undefined)
            throw new CliError(`no release entry for release ${JSON.stringify(opts.release)} in the ledger`);
          index = found;
        }
        const size = await hub.ledger.size();
        if (index >= size)
          throw new CliError(`there is no ledger entry ${index}: the ledger has ${size} entries`);
        const latest = await hub.ledger.latest();
        if (!latest || latest.size <= index) {
          const signed = await hub.ledger.checkpoint(new Date(), hub.signer());
          if (!signed.ok) failWith(signed);
        }
        const receipt = await hub.ledger.receipt(index);
        if (!receipt.ok) failWith(receipt);
        else print(receipt.json);
      }),
    );

  ledger
    .command('consistency')
    .description('print the consistency proof between two signed checkpoints, named by tree size')
    .option(...dataOption)
    .option(...dbOption)
    .requiredOption('--from <size>', 'tree size of the older checkpoint')
    .requiredOption('--to <size>', 'tree size of the newer checkpoint')
    .action(
      withHub<DataOption & { from: string; to: string }>('ledger.audit', async (hub, opts) => {
        const res = await hub.ledger.consistency(
          parseCount(opts.from, '--from'),
          parseCount(opts.to, '--to'),
        );
        if (!res.ok) failWith(res);
        else print(res.json);
      }),
    );

  ledger
    .command('export')
    .description("write every entry, one per line, each line exactly the entry's bytes")
    .option(...dataOption)
    .option(...dbOption)
    .option('--out <file>', 'write to this new file instead of standard output')
    .action(
      withHub<DataOption & { out?: string }>('ledger.audit', async (hub, opts) => {
        if (opts.out === undefined) await exportToStdout(hub.ledger);
        else
          process.stderr.write(`wrote ${await exportToFile(hub.ledger, opts.out)} entries to ${opts.out}\n`);
      }),
    );

  ledger
    .command('verify')
    .description(
      'recompute the tree from the entries and check every stored hash and checkpoint; exit 1 at the first problem',
    )
    .option(...dataOption)
    .option(...dbOption)
    .option('--key <verifier-key>', "check signatures with this verifier key instead of the hub's own")
    .action(
      withHub<DataOption & { key?: string }>('ledger.audit', async (hub, opts) => {
        const verifier = parseVerifierKey(opts.key ?? verifierKeyOf(hub.signer()));
        if (!verifier.ok) throw usageError(`--key: ${verifier.message}`);
        const audit = await hub.ledger.audit(verifier.verifier);
        if (!audit.ok) throw new CliError(`ledger verify failed: ${audit.message}`);
        print(`ok: ${audit.entries} entries and ${audit.checkpoints} checkpoints verified`);
      }),
    );
}
