import { createHash } from 'node:crypto';
import { versionKeyOf } from '../stix/timestamp.js';
import type { IncomingObject, PutResult } from '../store/ports.js';
import type { ImportTarget } from './import-stream.js';

/**
 * Validation without a store: `tearline validate` runs the importer's exact path (splitting,
 * parsing, marking resolution across the input) and keeps nothing. Repeats of the same
 * (id, version) within the input are reported as they would be on import (by digest, to stay small).
 */
export class DryRunTarget implements ImportTarget {
  readonly #seen = new Map<string, string>();

  async putObjects(batch: readonly IncomingObject[]): Promise<PutResult[]> {
    return batch.map((item) => {
      const id = item.object.id as string;
      const version = versionKeyOf(item.object);
      const key = `${id}\u0000${version}`;
      const digest = createHash('sha256').update(item.json).digest('base64');
      const prior = this.#seen.get(key);
      if (prior === undefined) {
        this.#seen.set(key, digest);
        return { outcome: 'added', id, version };
      }
      return { outcome: prior === digest ? 'duplicate' : 'conflict', id, version };
    });
  }

  async quarantine(): Promise<void> {}

  async markingDefinitionIds(): Promise<string[]> {
    return [];
  }
}
