import { TaxiiError } from './taxii-errors.js';

/**
 * Depth of the deepest array/object nesting, scanning the text once without recursion, so an
 * attacker's `[[[[...` is refused before JSON.parse ever sees it.
 */
export function measureJsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

export interface EnvelopeLimits {
  maxDepth: number;
  maxObjects: number;
}

/** Parses a TAXII envelope for POST: `{"objects": [...]}` within the limits, else a TAXII error. */
export function parseEnvelope(text: string, limits: EnvelopeLimits): unknown[] {
  const depth = measureJsonDepth(text);
  if (depth > limits.maxDepth) {
    throw new TaxiiError(
      'bad-request',
      `body nests ${depth} levels deep; at most ${limits.maxDepth} are accepted`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TaxiiError('bad-request', `body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TaxiiError(
      'bad-request',
      'body must be a TAXII envelope: a JSON object with an "objects" array',
    );
  }
  const objects = (parsed as { objects?: unknown }).objects;
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
