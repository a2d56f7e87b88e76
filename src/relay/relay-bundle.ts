import { createHash } from 'node:crypto';
import { type RelayResult, relayFail } from './relay-result.js';

/** What an envelope carries: tearline copies from the sender's feed for this partner, in feed order. */
export interface RelayPayload {
  objects: Record<string, unknown>[];
  /** The sender's feed positions covered: (after_us, through_us]. */
  feed: { after_us: number; through_us: number };
  /** The release each released copy came from (by derived id), as the sender's ledger recorded it. */
  releases?: { derived_id: string; release_id: string }[];
}

/** A payload serialised once: the exact bytes sealed, and their SHA-256 (the bundle digest). */
export interface EncodedBundle {
  text: string;
  digest: string;
}

export const MAX_PAYLOAD_OBJECTS = 10_000;
const PLAINTEXT_TAG = 'tearline-relay-bundle-v2';

/**
 * Serialises a payload once. The digest is over these exact bytes (not a canonical form): the
 * recipient hashes the bytes it opened before parsing them, so no second serialisation is needed
 * on either side, and what it parses is exactly what the digest (and the sender's ledger) names.
 */
export function encodeBundle(payload: RelayPayload): EncodedBundle {
  const text = JSON.stringify(payload);
  return { text, digest: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/**
 * The plaintext sealed: a tag line, the sender hub's ledger receipt for the bundle (or null: a
 * feedback envelope has none) on one line, then the bundle's bytes. JSON.stringify never writes a
 * raw newline, so the first two newlines are the separators.
 */
export function framePlaintext(bundle: EncodedBundle, receipt: Record<string, unknown> | undefined): Buffer {
  return Buffer.from(`${PLAINTEXT_TAG}\n${JSON.stringify(receipt ?? null)}\n${bundle.text}`, 'utf8');
}

export interface OpenedBundle {
  payload: RelayPayload;
  /** SHA-256 of the bundle's bytes as opened. */
  digest: string;
  receipt?: Record<string, unknown>;
}

/** Splits and checks an opened plaintext; never returns part of it. */
export function parsePlaintext(plaintext: Buffer, where: string): RelayResult<{ opened: OpenedBundle }> {
  const bad = (m: string) => relayFail('bad-payload', `${where}: ${m}`);
  const first = plaintext.indexOf(0x0a);
  const second = first < 0 ? -1 : plaintext.indexOf(0x0a, first + 1);
  if (second < 0 || plaintext.toString('utf8', 0, first) !== PLAINTEXT_TAG)
    return bad(`the plaintext is not a ${PLAINTEXT_TAG} bundle`);
  let receipt: unknown;
  let value: unknown;
  try {
    receipt = JSON.parse(plaintext.toString('utf8', first + 1, second));
    value = JSON.parse(plaintext.toString('utf8', second + 1));
  } catch {
    return bad('payload is not JSON');
  }
  if (receipt !== null && (typeof receipt !== 'object' || Array.isArray(receipt)))
    return bad('the bundle receipt must be a JSON object or null');
  const digest = createHash('sha256')
    .update(plaintext.subarray(second + 1))
    .digest('hex');
  const checked = checkPayload(value, where);
  if (!checked.ok) return checked;
  return {
    ok: true,
    opened: {
      payload: checked.payload,
      digest,
      ...(receipt !== null && { receipt: receipt as Record<string, unknown> }),
    },
  };
}

function checkPayload(value: unknown, where: string): RelayResult<{ payload: RelayPayload }> {
  const bad = (m: string) => relayFail('bad-payload', `${where}: ${m}`);
  const p = value as Partial<RelayPayload> | null;
  if (typeof p !== 'object' || p === null || !Array.isArray(p.objects))
    return bad('payload.objects must be an array');
  if (p.objects.length > MAX_PAYLOAD_OBJECTS)
    return bad(`payload holds more than ${MAX_PAYLOAD_OBJECTS} objects`);
  const i = p.objects.findIndex((o) => typeof o !== 'object' || o === null || Array.isArray(o));
  if (i >= 0) return bad(`payload.objects[${i}] must be a JSON object`);
  const f = p.feed;
  if (
    typeof f !== 'object' ||
    f === null ||
    !Number.isSafeInteger(f.after_us) ||
    !Number.isSafeInteger(f.through_us) ||
    f.through_us < f.after_us
  )
    return bad('payload.feed must be {after_us, through_us} with through_us >= after_us');
  const releases = p.releases;
  if (releases !== undefined) {
    if (!Array.isArray(releases) || releases.length > MAX_PAYLOAD_OBJECTS)
      return bad(`payload.releases must be an array of at most ${MAX_PAYLOAD_OBJECTS} entries`);
    const j = releases.findIndex(
      (r) =>
        typeof r !== 'object' ||
        r === null ||
        typeof (r as { derived_id?: unknown }).derived_id !== 'string' ||
        typeof (r as { release_id?: unknown }).release_id !== 'string',
    );
    if (j >= 0) return bad(`payload.releases[${j}] must be {derived_id, release_id}`);
  }
  return {
    ok: true,
    payload: {
      objects: p.objects,
      feed: { after_us: f.after_us, through_us: f.through_us },
      ...(releases !== undefined && { releases }),
    },
  };
}
