import { createHash } from 'node:crypto';
import { type NoteVerifier, parseVerifierKey } from '../ledger/ledger-note.js';

/** The logs a witness follows: each origin with the log keys it trusts for it. */
export interface WitnessLogs {
  keysOf(origin: string): readonly NoteVerifier[] | undefined;
  /** The origin whose SHA-256 (lowercase hex) this is, for the monitoring path. */
  originOfHash(hex: string): string | undefined;
  origins(): string[];
}

export type WitnessLogsParse = { ok: true; logs: WitnessLogs } | { ok: false; message: string };

/**
 * Parses `ORIGIN=VERIFIER-KEY` items (the log's signed-note vkey, type 0x01). An origin given
 * twice trusts both keys (a log rotating its key).
 */
export function parseWitnessLogs(items: readonly string[]): WitnessLogsParse {
  if (items.length === 0)
    return {
      ok: false,
      message: 'give at least one --log ORIGIN=VERIFIER-KEY (a witness follows named logs only)',
    };
  const byOrigin = new Map<string, NoteVerifier[]>();
  for (const item of items) {
    const at = item.indexOf('=');
    if (at <= 0)
      return {
        ok: false,
        message: `--log ${JSON.stringify(item.slice(0, 80))}: expected ORIGIN=VERIFIER-KEY`,
      };
    const origin = item.slice(0, at);
    if (origin.length > 512 || /\p{Cc}/u.test(origin))
      return {
        ok: false,
        message: `--log: origin ${JSON.stringify(origin.slice(0, 80))} is not a checkpoint origin line`,
      };
    const key = parseVerifierKey(item.slice(at + 1));
    if (!key.ok) return { ok: false, message: `--log ${origin}: ${key.message}` };
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), key.verifier]);
  }
  const byHash = new Map([...byOrigin.keys()].map((o) => [createHash('sha256').update(o).digest('hex'), o]));
  return {
    ok: true,
    logs: {
      keysOf: (origin) => byOrigin.get(origin),
      originOfHash: (hex) => byHash.get(hex),
      origins: () => [...byOrigin.keys()],
    },
  };
}
