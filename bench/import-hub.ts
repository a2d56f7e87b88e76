// The import as `tearline import FILE` runs it: a data dir made by init, then the same import
// job the command runs (a worker thread with a bounded heap that opens the hub, stores with a
// ledger entry per batch and signs a checkpoint at the end; a large file's front half on a
// worker of its own).
import { initDataDir } from '../src/app/data-dir.js';
import { openHub } from '../src/app/hub.js';
import { runImportJob } from '../src/app/import-job.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import type { ImportSummary } from '../src/ingest/import-summary.js';

export async function importLikeCli(file: string, dataDir: string): Promise<ImportSummary> {
  const { paths } = initDataDir(dataDir);
  ensureLedgerKey(paths);
  const [summary] = await runImportJob({
    files: [file],
    hub: { data: dataDir },
    strict: false,
    actor: 'bench',
    progress: false,
  });
  if (!summary) throw new Error('import bench: the import job returned no summary');
  const hub = openHub(dataDir);
  try {
    // The bench must measure the ledgered path: one entry per stored batch, plus none dropped.
    if (summary.added > 0 && hub.ledger.size() === 0)
      throw new Error('import bench: no ledger entries were written');
  } finally {
    hub.close();
  }
  return summary;
}
