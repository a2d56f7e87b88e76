import { once } from 'node:events';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import type { Action } from '../access/access-roles.js';
import { checkpointScheduleOf, type HubConfig } from '../app/data-dir.js';
import { openHubAt } from '../app/hub-open.js';
import { selectDatabase } from '../app/hub-postgres.js';
import { loadLedgerSigner, verifierKeyOf } from '../app/ledger-key.js';
import { type WitnessTarget, witnessTargetsOf } from '../app/witness-config.js';
import { WitnessPusher } from '../app/witness-push.js';
import { formatOpenedLine } from '../ledger/ledger-export.js';
import type { NoteSigner } from '../ledger/ledger-note.js';
import { parseVerifierKey } from '../ledger/ledger-note.js';
import type { LedgerError } from '../ledger/ledger-result.js';
import type { CosignatureStore } from '../store/hub/cosignature-store.js';
import { LedgerStoreError } from '../store/ledger-rows.js';
import type { LedgerService } from '../store/ledger-service.js';
import { requireActor } from './cli-actor.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { registerVerifyReceipt } from './ledger-verify-receipt.js';

interface DataOption {
  data?: string;
  db?: string;
}

interface LedgerHub {
  ledger: LedgerService;
  cosignatures: CosignatureStore;
  witnesses: WitnessTarget[];
  config: HubConfig;
  /** Loaded on first use: an overseer verifying with --key needs no private key. */
  signer(): NoteSigner;
  close(): Promise<void>;
}

/**
 * The data dir's keys and config, and the ledger on the database --db / TEARLINE_DB selects; the
 * signed-in user must be allowed `action` (none: the public verifier key). Reading commands open
 * read-only: verify works from a read-only data dir or a full disk.
 */
async function openLedgerHub(
  opts: DataOption,
  action: Action | undefined,
  readOnly: boolean,
): Promise<LedgerHub> {
  const selected = selectDatabase(opts.db, process.env);
  if (!selected.ok) throw usageError(selected.message);
  const hub = await openHubAt({ ...opts, readOnly });
  let signer: NoteSigner | undefined;
  try {
    if (action) await requireActor(hub, opts, action);
  } catch (err) {
    await hub.close();
    throw err;
  }
  return {
    ledger: hub.ledgerService,
    cosignatures: hub.cosignatures,
    witnesses: witnessTargetsOf(hub.config),
    config: hub.config,
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
  readOnly = false,
): (opts: T) => Promise<void> {
  return async (opts) => {
    const hub = await openLedgerHub(opts, may, readOnly);
    try {
      await action(hub, opts);
    } catch (err) {
      if (err instanceof LedgerStoreError) {
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

/**
 * Pushes the latest checkpoint to every configured witness and says on stderr what each
 * answered; returns how many did not cosign. A command that signs does this before it prints,
 * so what it prints carries the cosignatures.
 */
async function pushToWitnesses(hub: LedgerHub): Promise<number> {
  if (hub.witnesses.length === 0) return 0;
  const pusher = new WitnessPusher({
    ledger: hub.ledger,
    cosignatures: hub.cosignatures,
    witnesses: hub.witnesses,
    now: () => new Date(),
  });
  const results = await pusher.pushAll();
  for (const r of results) {
    process.stderr.write(
      r.ok
        ? `witness ${r.witness}: cosigned checkpoint ${r.size}\n`
        : `witness ${r.witness}: no cosignature (${r.message})\n`,
    );
  }
  return results.filter((r) => !r.ok).length;
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

const NEWLINE = Buffer.from('\n');

/**
 * Every entry in order, one line each, in chunks (a million entries are a hundred writes):
 * exactly the leaf, or with `withPrivate` the leaf with its salt and private part.
 */
async function exportEntries(
  ledger: LedgerService,
  write: (chunk: Buffer) => Promise<void> | void,
  withPrivate: boolean,
): Promise<number> {
  const size = await ledger.size();
  for (let start = 0; start < size; ) {
    const rows = await ledger.readEntries(start, size);
    if (rows.length === 0 || rows[0]?.index !== start) {
      throw new CliError(`entry ${start} is missing from the ledger; run 'tearline ledger verify'`);
    }
    await write(
      Buffer.concat(
        rows.flatMap((row) => [
          withPrivate ? Buffer.from(formatOpenedLine(row.index, row.bytes, row.opening)) : row.bytes,
          NEWLINE,
        ]),
      ),
    );
    start += rows.length;
  }
  return size;
}

/** Writes beside the destination and renames into place: never half a file under its name. */
async function exportToFile(ledger: LedgerService, path: string, withPrivate: boolean): Promise<number> {
  if (existsSync(path)) throw new CliError(`${path} already exists; choose another --out path`);
  const tmp = `${path}.partial-${process.pid}`;
  // Openings name officers and internal ids: such an export is readable by its owner only.
  const fd = openSync(tmp, 'wx', withPrivate ? 0o600 : 0o644);
  try {
    const count = await exportEntries(
      ledger,
      (chunk) => {
        for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
      },
      withPrivate,
    );
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
async function exportToStdout(ledger: LedgerService, withPrivate: boolean): Promise<number> {
  let closed: Error | undefined;
  // Stays attached: a reader that quits early (`| head`) must not crash the process.
  process.stdout.on('error', (err) => {
    closed = err;
  });
  try {
    return await exportEntries(
      ledger,
      async (chunk) => {
        if (closed) throw closed;
        if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
      },
      withPrivate,
    );
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
  const dbOption = [
    '--db <url>',
    'postgres://… when the hub runs on PostgreSQL (default: the data dir, or $TEARLINE_DB)',
  ] as const;

  ledger
    .command('key')
    .description('print the verifier key partners and overseers use to check checkpoints')
    .option(...DATA_OPTION)
    .option(...dbOption)
    .action(withHub(undefined, (hub) => print(verifierKeyOf(hub.signer())), true));

  ledger
    .command('checkpoint')
    .description(
      'sign the checkpoint due (entries dated before the current step of ledger_checkpoint_seconds) and print the latest',
    )
    .option(...DATA_OPTION)
    .option(...dbOption)
    .option('--now', 'sign the whole tree at once, off the steps (its size then times the latest entries)')
    .action(
      withHub<DataOption & { now?: boolean }>('ledger.checkpoint', async (hub, opts) => {
        const now = new Date();
        const res = opts.now
          ? await hub.ledger.checkpoint(now, hub.signer())
          : await hub.ledger.checkpointIfDue(now, hub.signer(), checkpointScheduleOf(hub.config));
        if (!res.ok) return failWith(res);
        const size = await hub.ledger.size();
        if (size === 0) throw new CliError('the ledger has no entries yet: nothing to sign');
        const step = `checkpoints come in steps of ${hub.config.ledger_checkpoint_seconds} s; --now signs them at once`;
        if (!res.checkpoint) throw new CliError(`no checkpoint is due yet: ${step}`);
        await pushToWitnesses(hub);
        print((await hub.ledger.latestCosigned())?.note ?? res.checkpoint.note);
        const waiting = size - res.checkpoint.size;
        if (waiting > 0) process.stderr.write(`${waiting} newer entries wait for the next step (${step})\n`);
      }),
    );

  ledger
    .command('receipt')
    .description('print the receipt (inclusion proof under a signed checkpoint) of one entry')
    .option(...DATA_OPTION)
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
          const signed = await hub.ledger.checkpointIfDue(
            new Date(),
            hub.signer(),
            checkpointScheduleOf(hub.config),
          );
          if (!signed.ok) failWith(signed);
          else if ((signed.checkpoint?.size ?? 0) <= index)
            throw new CliError(
              `entry ${index} is not yet under a checkpoint: checkpoints are signed in steps of ${hub.config.ledger_checkpoint_seconds} s; ask again after the next, or run 'tearline ledger checkpoint --now'`,
            );
          await pushToWitnesses(hub);
        }
        const receipt = await hub.ledger.receipt(index);
        if (!receipt.ok) failWith(receipt);
        else print(receipt.json);
      }),
    );

  ledger
    .command('cosign')
    .description(
      'push the latest checkpoint to every configured witness now and print it with their cosignatures; exit 1 if any did not cosign',
    )
    .option(...DATA_OPTION)
    .option(...dbOption)
    .action(
      withHub('ledger.checkpoint', async (hub) => {
        if (hub.witnesses.length === 0)
          throw new CliError(
            'no witnesses are configured: add them to "witnesses" in the config (see README)',
          );
        const failed = await pushToWitnesses(hub);
        print((await hub.ledger.latestCosigned())?.note ?? '');
        if (failed > 0) throw new CliError(`${failed} of ${hub.witnesses.length} witnesses did not cosign`);
      }),
    );

  ledger
    .command('consistency')
    .description('print the consistency proof between two signed checkpoints, named by tree size')
    .option(...DATA_OPTION)
    .option(...dbOption)
    .requiredOption('--from <size>', 'tree size of the older checkpoint')
    .requiredOption('--to <size>', 'tree size of the newer checkpoint')
    .action(
      withHub<DataOption & { from: string; to: string }>(
        'ledger.audit',
        async (hub, opts) => {
          const res = await hub.ledger.consistency(
            parseCount(opts.from, '--from'),
            parseCount(opts.to, '--to'),
          );
          if (!res.ok) failWith(res);
          else print(res.json);
        },
        true,
      ),
    );

  ledger
    .command('export')
    .description("write every entry, one per line, each line exactly the entry's leaf bytes")
    .option(...DATA_OPTION)
    .option(...dbOption)
    .option('--out <file>', 'write to this new file instead of standard output')
    .option(
      '--with-private',
      'for overseers: each line a JSON object with the leaf, its salt and its private part (names officers and internal ids)',
    )
    .action(
      withHub<DataOption & { out?: string; withPrivate?: boolean }>(
        'ledger.audit',
        async (hub, opts) => {
          const withPrivate = opts.withPrivate === true;
          if (opts.out === undefined) await exportToStdout(hub.ledger, withPrivate);
          else
            process.stderr.write(
              `wrote ${await exportToFile(hub.ledger, opts.out, withPrivate)} entries to ${opts.out}\n`,
            );
        },
        true,
      ),
    );

  ledger
    .command('verify')
    .description(
      'recompute the tree from the entries, open every commitment, check every stored hash and checkpoint; exit 1 at the first problem',
    )
    .argument('[file]', 'not taken: a single receipt is checked with verify-receipt')
    .option(...DATA_OPTION)
    .option(...dbOption)
    .option('--key <verifier-key>', "check signatures with this verifier key instead of the hub's own")
    .action(async (file: string | undefined, opts: DataOption & { key?: string }) => {
      if (file !== undefined) {
        throw usageError(
          `ledger verify checks this hub's whole ledger; to check the receipt ${file} offline run: tearline ledger verify-receipt ${file} --key HUB-KEY [--witness KEY ...] [--quorum N]`,
        );
      }
      await withHub<DataOption & { key?: string }>(
        'ledger.audit',
        async (hub, o) => {
          const verifier = parseVerifierKey(o.key ?? verifierKeyOf(hub.signer()));
          if (!verifier.ok) throw usageError(`--key: ${verifier.message}`);
          const audit = await hub.ledger.audit(verifier.verifier);
          if (!audit.ok) throw new CliError(`ledger verify failed: ${audit.message}`);
          print(`ok: ${audit.entries} entries and ${audit.checkpoints} checkpoints verified`);
        },
        true,
      )(opts);
    });

  registerVerifyReceipt(ledger);
}
