// The import as `tearline import FILE` runs it: a data dir made by init, the hub's composition
// (object store with the ledger recorder: one ledger entry per stored batch, in its transaction),
// the importer over a file stream, then the checkpoint the command signs at the end.
import { createReadStream } from 'node:fs';
import { initDataDir } from '../src/app/data-dir.js';
import { openHub } from '../src/app/hub.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { importStream } from '../src/ingest/import-stream.js';
import type { ImportSummary } from '../src/ingest/import-summary.js';

/** Same chunk size as the CLI's file input (src/cli/import-command.ts). */
const CHUNK = 1024 * 1024;

export async function importLikeCli(file: string, dataDir: string): Promise<ImportSummary> {
  const { paths } = initDataDir(dataDir);
  ensureLedgerKey(paths);
  const hub = openHub(dataDir);
  try {
    const summary = await importStream(createReadStream(file, { highWaterMark: CHUNK }), hub.objects, {
      source: `file:${file}`,
      maxObjectBytes: hub.config.max_object_bytes,
    });
    hub.checkpointIfDue();
    const entries = hub.ledger.size();
    // The bench must measure the ledgered path: one entry per stored batch, plus none dropped.
    if (summary.added > 0 && entries === 0) throw new Error('import bench: no ledger entries were written');
    return summary;
  } finally {
    hub.close();
  }
}
