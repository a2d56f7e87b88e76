import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import { loadGazetteer } from '../app/osint-data-load.js';
import { draftStoresOf } from '../app/release-stores.js';
import { looksLikePdf, MAX_PDF_BYTES } from '../osint/article-pdf.js';
import { MAX_ARTICLE_BYTES } from '../osint/article-text.js';
import { DEFAULT_MARKING, ingestArticle } from '../release/osint-drafts.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError } from './cli-error.js';
import { requireActorOrClose } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';

// The larger of the two limits: which one applies is known once the first bytes are read.
const READ_LIMIT = Math.max(MAX_ARTICLE_BYTES, MAX_PDF_BYTES);

/** Reads at most the limit plus one byte, so an oversized input is refused without reading it all. */
function readInput(file: string): Uint8Array {
  const fd = file === '-' ? 0 : openSync(file, 'r');
  try {
    const buf = Buffer.alloc(READ_LIMIT + 1);
    let size = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, size, buf.length - size, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw err;
      }
      if (n === 0) break;
      size += n;
      if (size >= buf.length) break;
    }
    return buf.subarray(0, size);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

export function registerIngestArticle(program: Command): void {
  program
    .command('ingest-article')
    .description(
      'make a draft report from an open-source article (text, HTML or PDF); nothing enters intel until an analyst confirms it',
    )
    .argument(
      '<file>',
      'the article, or - for standard input (a .pdf name or %PDF- bytes: its text is extracted)',
    )
    .option('--source-url <url>', 'where the article was published')
    .option(
      '--published <date>',
      'when (YYYY-MM-DD or RFC 3339): relative dates in the text resolve against it',
    )
    .option('--title <title>', 'the title (default: the first line)')
    .option(
      '--marking <tlp>',
      'TLP level for what the draft becomes: clear, green, amber, amber+strict, red',
      DEFAULT_MARKING,
    )
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(
      async (
        file: string,
        opts: {
          sourceUrl?: string;
          published?: string;
          title?: string;
          marking: string;
          data?: string;
          db?: string;
          json?: boolean;
        },
      ) => {
        let body: Uint8Array;
        try {
          body = readInput(file);
        } catch (err) {
          throw new CliError(
            `${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`,
          );
        }
        const pdf = /\.pdf$/i.test(file) || looksLikePdf(body);
        const limit = pdf ? MAX_PDF_BYTES : MAX_ARTICLE_BYTES;
        if (body.length > limit) {
          // Only the limit and one byte were read: say how big the input really is when we can.
          const size = file === '-' ? `more than ${limit}` : String(statSync(file).size);
          throw new CliError(
            `${file === '-' ? 'standard input' : file}: ${size} bytes; at most ${limit} are read${pdf ? ' from a PDF' : ''} (send an excerpt)`,
          );
        }
        const hub = await openHubAt(opts);
        try {
          const actor = await requireActorOrClose(hub, opts, 'draft.write');
          const r = await ingestArticle(
            draftStoresOf(hub),
            loadGazetteer,
            {
              body,
              pdf,
              meta: {
                ...(opts.title !== undefined && { title: opts.title }),
                ...(opts.sourceUrl !== undefined && { sourceUrl: opts.sourceUrl }),
                ...(opts.published !== undefined && { published: opts.published }),
              },
              marking: opts.marking,
            },
            actor,
            hub.clock.now(),
          );
          if (!r.ok) throw new CliError(`${file === '-' ? 'standard input' : file}: ${r.message}`);
          if (opts.json) return printJson(r);
          process.stdout.write(`draft ${r.id}: ${r.items} items (see: tearline drafts show ${r.id})\n`);
        } finally {
          await hub.close();
        }
      },
    );
}
