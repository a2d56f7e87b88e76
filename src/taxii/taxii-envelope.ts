import { parseJsonDocument } from '../stix/json-strict.js';
import { TaxiiError } from './taxii-errors.js';

export interface EnvelopeLimits {
  maxDepth: number;
  maxObjects: number;
}

/**
 * Parses a TAXII envelope for POST: `{"objects": [...]}` within the limits, else a TAXII error
 * whose description says where the body breaks the rules of stix/json-text.ts (UTF-8, one
 * leading byte order mark ignored, I-JSON, nesting checked before parsing).
 */
export function parseEnvelope(body: Uint8Array, limits: EnvelopeLimits): unknown[] {
  const parsed = parseJsonDocument(body, limits.maxDepth);
  if (!parsed.ok) throw new TaxiiError('bad-request', `body: ${parsed.error.message}`);
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TaxiiError(
      'bad-request',
      'body must be a TAXII envelope: a JSON object with an "objects" array',
    );
  }
  const objects = (value as { objects?: unknown }).objects;
  if (!Array.isArray(objects)) {
    throw new TaxiiError('bad-request', 'envelope: "objects" must be an array of STIX objects');
  }
  if (objects.length > limits.maxObjects) {
    throw new TaxiiError(
      'payload-too-large',
      `envelope holds ${objects.length} objects; at most ${limits.maxObjects} per request`,
    );
  }
  return objects;
}
