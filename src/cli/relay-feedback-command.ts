import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { MAX_FEEDBACK_BYTES, parseFeedback, sendFeedback } from '../app/relay-feedback.js';
import { parseSealingPublicKey } from '../relay/relay-keys.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { JSON_OPTION } from './cli-output.js';
import { type DataOpts, print, relayBase, withHub } from './relay-cli-shared.js';

function readFeedbackFile(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CliError(`${file}: not a file; give a STIX bundle of sightings`);
    size = st.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${file}: cannot read the file (does it exist?)`);
  }
  if (size > MAX_FEEDBACK_BYTES)
    throw new CliError(
      `${file}: ${size} bytes is larger than the ${MAX_FEEDBACK_BYTES}-byte limit for feedback`,
    );
  return readFileSync(file, 'utf8');
}

/** `tearline relay feedback`: a recipient hub's sightings back to the hub that released to it. */
export function registerRelayFeedback(relay: Command): void {
  relay
    .command('feedback <hub> <file>')
    .description(
      'on a recipient hub: send sightings of what HUB released to us back to it through the relay, sealed to its key',
    )
    .requiredOption('--relay <url>', 'the relay both hubs use')
    .requiredOption('--token <token>', "this hub's relay token")
    .requiredOption('--recipient-key <key>', "HUB's sealing public key (its 'tearline relay keygen')")
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(
      async (
        to: string,
        file: string,
        o: DataOpts & { relay: string; token: string; recipientKey: string },
      ) => {
        const url = relayBase(o.relay);
        const key = parseSealingPublicKey(o.recipientKey);
        if (!key.ok) throw usageError(`--recipient-key: ${key.message}`);
        if (key.publicKey.name !== to)
          throw usageError(`--recipient-key belongs to ${key.publicKey.name}, not ${to}`);
        const parsed = parseFeedback(readFeedbackFile(file), file);
        if (!parsed.ok) throw new CliError(parsed.message);
        await withHub(o, 'release.run', async (hub) => {
          const r = await sendFeedback(hub, url, o.token, key.publicKey, parsed.objects);
          print(
            o,
            r,
            `sealed ${r.objects} sightings for ${to} (envelope ${r.sequence}), ${r.posted} posted via ${url}` +
              r.failures.map((f) => `\n  refused: ${f}`).join(''),
          );
          if (r.failures.length > 0) process.exitCode = 1;
        });
      },
    );
}
