import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { parseVerifierKey } from '../ledger/ledger-note.js';
import { MAX_PROOF_DOCUMENT_BYTES } from '../ledger/ledger-receipt.js';
import { parseSealedEnvelope } from '../relay/relay-envelope.js';
import { checkRelayReceipt } from '../relay/relay-receipt-check.js';
import { CliError, usageError } from './cli-error.js';
import { readLimited } from './cli-input-file.js';
import { JSON_OPTION } from './cli-output.js';

/**
 * `tearline relay verify-receipt FILE --relay-key K [--envelope E]`: the sender's offline proof
 * of what it handed the relay (and that the relay delivered it), with only the relay's public
 * key: no network, no data dir, acting for no user (as `ledger verify-receipt`).
 */
export function registerRelayVerifyReceipt(relay: Command): void {
  relay
    .command('verify-receipt <file>')
    .description(
      "offline: check a relay's receipt for one envelope (taken, and delivered if it says so) with the relay's key",
    )
    .requiredOption(
      '--relay-key <key>',
      "the relay's ledger verifier key (GET /relay/key), or a file holding it",
    )
    .option(
      '--envelope <file>',
      'the sealed envelope itself (JSON): its digest must be the one the relay ledgered',
    )
    .option(...JSON_OPTION)
    .action((file: string, o: { relayKey: string; envelope?: string; json?: boolean }) => {
      const keyText =
        !o.relayKey.includes('+') && existsSync(o.relayKey)
          ? readLimited(o.relayKey, 4096, '--relay-key file').trim()
          : o.relayKey.trim();
      const key = parseVerifierKey(keyText);
      if (!key.ok) throw usageError(`--relay-key: ${key.message}`);
      let envelope: Parameters<typeof checkRelayReceipt>[2];
      if (o.envelope !== undefined) {
        let value: unknown;
        try {
          value = JSON.parse(readLimited(o.envelope, 16 * 1024 * 1024, '--envelope'));
        } catch (err) {
          if (err instanceof CliError) throw err;
          throw new CliError(`--envelope ${o.envelope}: not JSON`);
        }
        const parsed = parseSealedEnvelope(value, `--envelope ${o.envelope}`);
        if (!parsed.ok) throw new CliError(parsed.message);
        envelope = parsed.envelope;
      }
      const r = checkRelayReceipt(
        readLimited(file, MAX_PROOF_DOCUMENT_BYTES, 'the receipt'),
        key.verifier,
        envelope,
      );
      if (!r.ok) throw new CliError(`the relay receipt does not verify: ${r.message}`);
      const x = r.receipt;
      if (o.json) process.stdout.write(`${JSON.stringify({ ok: true, ...x })}\n`);
      else
        process.stdout.write(
          `ok: ${key.verifier.name} took envelope ${x.sequence} (${x.envelopeId}, digest ${x.digest}) at ${x.accepted.time}, entry ${x.accepted.index} of tree ${x.accepted.treeSize}\n` +
            (x.delivered
              ? `ok: and delivered it to its recipient at ${x.delivered.time}, entry ${x.delivered.index} of tree ${x.delivered.treeSize}\n`
              : 'not yet delivered (no delivery proof in this receipt)\n'),
        );
    });
}
