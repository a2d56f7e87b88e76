import { isUtf8 } from 'node:buffer';
import { TaxiiError } from '../taxii/taxii-errors.js';

/**
 * The relay's parse of a posted body: the fast path. The body is already bounded by the route's
 * body limit (10 MiB by default); it must be UTF-8 (checked natively, so nothing is replaced
 * unseen) and JSON (V8's parser, which keeps no recursion to exhaust), holding an "objects"
 * array of at most `maxEnvelopes`. The strict I-JSON reader the hub uses for intelligence
 * (stix/json-strict.ts) costs several passes over hundreds of kilobytes of base64 per envelope;
 * the relay needs none of it: it stores each envelope as the JSON.stringify of what it parsed,
 * after parseSealedEnvelope checked every property it routes by, the signature and the
 * ciphertext's digest. Duplicate names resolve to the last, and what is stored and signed-checked
 * is that one value.
 */
export function parseRelayBody(body: Buffer, maxEnvelopes: number): unknown[] {
  if (!isUtf8(body)) throw new TaxiiError('bad-request', 'body: not valid UTF-8');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new TaxiiError('bad-request', 'body: not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TaxiiError(
      'bad-request',
      'body must be a TAXII envelope: a JSON object with an "objects" array',
    );
  const objects = (value as { objects?: unknown }).objects;
  if (!Array.isArray(objects))
    throw new TaxiiError('bad-request', 'envelope: "objects" must be an array of sealed envelopes');
  if (objects.length > maxEnvelopes)
    throw new TaxiiError(
      'payload-too-large',
      `envelope holds ${objects.length} objects; at most ${maxEnvelopes} per request`,
    );
  return objects;
}
