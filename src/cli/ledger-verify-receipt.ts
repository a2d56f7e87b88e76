import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { parseVerifierKey } from '../ledger/ledger-note.js';
import { MAX_PROOF_DOCUMENT_BYTES, type VerifiedReceipt, verifyReceipt } from '../ledger/ledger-receipt.js';
import {
  parseWitnessPolicy,
  verifyWitnessedReceipt,
  type WitnessedReceipt,
} from '../ledger/ledger-receipt-witnessed.js';
import type { LedgerResult } from '../ledger/ledger-result.js';
import { CliError, usageError } from './cli-error.js';
import { readLimited } from './cli-input-file.js';
import { JSON_OPTION } from './cli-output.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A key given as its text, or as the path of a file holding it (keys contain '+', paths rarely). */
function keyArgument(value: string, flag: string): string {
  if (!value.includes('+') && existsSync(value)) return readLimited(value, 4096, `${flag} file`).trim();
  return value.trim();
}

const iso = (unix: number) => new Date(unix * 1000).toISOString().replace('.000Z', 'Z');

const withoutWitnesses = (r: LedgerResult<VerifiedReceipt>): LedgerResult<WitnessedReceipt> =>
  r.ok ? { ...r, cosignatures: [], quorum: 0 } : r;

function describe(r: WitnessedReceipt) {
  const e = r.entry as { kind: string; time: string };
  const lines = [
    `ok: entry ${r.index} (${e.kind}, ${e.time}) is in tree ${r.checkpoint.size} of ${r.checkpoint.origin}, signed by the hub's key`,
  ];
  if (r.quorum > 0) {
    const who = r.cosignatures.map((c) => `${c.name} at ${iso(c.timestamp)}`).join(', ');
    lines.push(`cosigned by ${r.cosignatures.length} trusted witness(es), quorum ${r.quorum}: ${who}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `tearline ledger verify-receipt`: one receipt, offline, against the hub's key and a witness quorum. */
export function registerVerifyReceipt(ledger: Command): void {
  ledger
    .command('verify-receipt')
    .description(
      'verify one receipt offline: inclusion, the hub signature, and at least --quorum cosignatures from the --witness keys',
    )
    .argument('<file>', "the receipt JSON ('-' for standard input)")
    .requiredOption('--key <verifier-key>', "the hub's verifier key (or a file holding it)")
    .option(
      '--witness <key>',
      'a trusted witness verifier key, or a file holding it (repeatable)',
      collect,
      [],
    )
    .option('--quorum <n>', 'how many of the --witness keys must have cosigned (default: all of them)')
    .option(...JSON_OPTION)
    .action((file: string, opts: { key: string; witness: string[]; quorum?: string; json?: boolean }) => {
      const witnesses = opts.witness.map((w) => keyArgument(w, '--witness'));
      if (opts.quorum !== undefined && !/^[1-9][0-9]{0,2}$/.test(opts.quorum))
        throw usageError(`--quorum must be a whole number >= 1, got ${JSON.stringify(opts.quorum)}`);
      if (opts.quorum !== undefined && witnesses.length === 0)
        throw usageError('--quorum needs the trusted witnesses: give each with --witness KEY');
      let quorum = Number(opts.quorum ?? 1);
      if (witnesses.length > 0) {
        const policy = parseWitnessPolicy({ witnesses, quorum });
        if (!policy.ok) throw usageError(`--witness/--quorum: ${policy.message}`);
        // By default every distinct witness given must have cosigned.
        if (opts.quorum === undefined) quorum = policy.verifiers.length;
      }
      const hubKey = keyArgument(opts.key, '--key');
      const hubKeyParsed = parseVerifierKey(hubKey);
      if (!hubKeyParsed.ok) throw usageError(`--key: ${hubKeyParsed.message}`);
      const receipt = readLimited(file, MAX_PROOF_DOCUMENT_BYTES, 'the receipt');
      const res: LedgerResult<WitnessedReceipt> =
        witnesses.length > 0
          ? verifyWitnessedReceipt(receipt, hubKey, { witnesses, quorum })
          : withoutWitnesses(verifyReceipt(receipt, hubKey));
      if (!res.ok) throw new CliError(`the receipt does not verify: ${res.message}`);
      const result = res;
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({
            ok: true,
            index: result.index,
            entry: result.entry,
            checkpoint: { origin: result.checkpoint.origin, size: result.checkpoint.size },
            cosignatures: result.cosignatures.map((c) => ({
              witness: c.name,
              key: c.key,
              time: iso(c.timestamp),
            })),
            quorum: result.quorum,
          })}\n`,
        );
      } else process.stdout.write(describe(result));
      if (witnesses.length === 0) {
        process.stderr.write(
          'note: no --witness keys given: this shows the entry is in the tree the hub signed, not that anyone else saw the same tree\n',
        );
      }
    });
}
