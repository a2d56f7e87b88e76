import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import { importStream } from '../ingest/import-stream.js';
import { loadMarkingCatalogs } from '../release/release-facts.js';
import { parseJsonDocument } from '../stix/json-strict.js';
import { type ImportMarking, parseImportMarking } from '../stix/markings-import.js';
import { type ClientAuth, TaxiiClient, TaxiiClientError } from '../taxii/taxii-client.js';
import { requireActor } from './cli-actor.js';
import { DATA_OPTION, parseTimeOption, TIME_FORMS } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { JSON_OPTION } from './cli-output.js';
import { taxiiSourceKey } from './marking-command.js';

interface AuthOptions {
  user?: string;
  password?: string;
  token?: string;
  json?: boolean;
  collection: string;
}

const PUSH_FILE_MAX = 256 * 1024 * 1024;
const PUSH_CHUNK = 1000;

function authOf(o: AuthOptions): ClientAuth {
  if (o.token !== undefined && (o.user !== undefined || o.password !== undefined)) {
    throw usageError('give either --token, or --user with --password, not both');
  }
  if (o.token !== undefined) return { kind: 'bearer', token: o.token };
  if ((o.user === undefined) !== (o.password === undefined))
    throw usageError('--user and --password go together');
  return o.user !== undefined
    ? { kind: 'basic', user: o.user, password: o.password as string }
    : { kind: 'none' };
}

function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usageError(`URL "${url}" is not an absolute http(s) URL such as https://hub.example/taxii2/`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw usageError(`URL "${url}" must use http or https`);
}

async function clientCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TaxiiClientError) throw new CliError(`taxii: ${err.message}`);
    throw err;
  }
}

/** As deep as the receiving server accepts (TAXII's limit). */
const PUSH_MAX_DEPTH = 64;

/** The objects of a bundle, an envelope or a plain array. */
function readObjectsFile(path: string): unknown[] {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw usageError(`FILE ${path}: no such file`);
  }
  if (size > PUSH_FILE_MAX)
    throw new CliError(`${path}: ${size} bytes is over the ${PUSH_FILE_MAX}-byte limit`);
  const strict = parseJsonDocument(readFileSync(path), PUSH_MAX_DEPTH);
  if (!strict.ok) throw new CliError(`${path}: ${strict.error.message}`);
  const parsed = strict.value;
  if (Array.isArray(parsed)) return parsed;
  const objects = (parsed as { objects?: unknown } | null)?.objects;
  if (Array.isArray(objects)) return objects;
  throw new CliError(`${path}: expected a STIX bundle, a TAXII envelope or a JSON array of objects`);
}

async function* textChunks(text: string): AsyncGenerator<string> {
  yield text;
}

export function registerTaxii(program: Command): void {
  const taxii = program
    .command('taxii')
    .description('TAXII 2.1 client: exchange with other hubs and servers');
  const withAuth = (c: Command) =>
    c
      .requiredOption('--collection <id>', 'collection id (or alias, on a Tearline hub)')
      .option('--user <user>', 'HTTP Basic user')
      .option('--password <password>', 'HTTP Basic password or token')
      .option('--token <token>', 'bearer token')
      .option(...JSON_OPTION);

  withAuth(taxii.command('pull <url>'))
    .description("page through a server's collection into this hub (URL: discovery or API root)")
    .option('--added-after <timestamp>', `only objects the server added after this: ${TIME_FORMS}`)
    .option(
      '--marking <marking>',
      "tlp:LEVEL or a statement marking-definition id: given to pulled objects that carry none of its kind (default: the source's, see tearline marking set --source)",
    )
    .option(...DATA_OPTION)
    .action(
      async (url: string, o: AuthOptions & { addedAfter?: string; data?: string; marking?: string }) => {
        checkUrl(url);
        // The server gets a TAXII timestamp whatever the user typed (a date means its midnight UTC).
        const addedAfter = parseTimeOption(o.addedAfter, '--added-after')?.toISOString();
        const client = new TaxiiClient({ auth: authOf(o) });
        const hub = await openHubAt(o);
        try {
          const actor = await requireActor(hub, o as { db?: string }, 'intel.import');
          let marking: ImportMarking | undefined;
          if (o.marking !== undefined) {
            const { statements } = await loadMarkingCatalogs(hub.state.reads);
            const parsed = parseImportMarking(o.marking, new Set(statements.keys()));
            if (!parsed.ok) throw usageError(`--marking: ${parsed.message}`);
            marking = parsed.marking;
          } else {
            marking = await hub.state.importMarkings.get('source', taxiiSourceKey(url, o.collection));
          }
          const root = await clientCall(() => client.resolveApiRoot(url));
          const source = `taxii:${new URL(`collections/${o.collection}/`, root).toString()}`;
          const totals = {
            pages: 0,
            received: 0,
            added: 0,
            new_versions: 0,
            duplicates: 0,
            conflicts: 0,
            rejected: 0,
            marked: 0,
          };
          await clientCall(async () => {
            for await (const page of client.pullPages(root, o.collection, addedAfter)) {
              totals.pages++;
              totals.received += page.objects.length;
              if (page.objects.length === 0) continue;
              const s = await importStream(textChunks(JSON.stringify(page.objects)), hub.objects, {
                source,
                actor: actor.name,
                maxObjectBytes: hub.config.max_object_bytes,
                ...(marking && { marking }),
              });
              totals.added += s.added;
              totals.new_versions += s.new_versions;
              totals.duplicates += s.duplicates;
              totals.conflicts += s.conflicts;
              totals.rejected += s.rejected;
              totals.marked += s.marking?.marked ?? 0;
            }
          });
          if (o.json) process.stdout.write(`${JSON.stringify(totals)}\n`);
          else {
            process.stdout.write(
              `pulled ${totals.received} objects in ${totals.pages} pages: ${totals.added} added, ${totals.new_versions} new versions, ` +
                `${totals.duplicates} duplicates, ${totals.conflicts} conflicts, ${totals.rejected} rejected (see the quarantine)` +
                `${marking ? `; ${totals.marked} given ${marking.id}` : ''}\n`,
            );
          }
          if (totals.rejected > 0 || totals.conflicts > 0) process.exitCode = 1;
        } finally {
          await hub.close();
        }
      },
    );

  withAuth(taxii.command('push <url> <file>'))
    .description("send a file's objects (bundle, envelope or array) to a server's collection")
    .action(async (url: string, file: string, o: AuthOptions) => {
      checkUrl(url);
      const auth = authOf(o);
      const objects = readObjectsFile(file);
      const client = new TaxiiClient({ auth });
      const root = await clientCall(() => client.resolveApiRoot(url));
      const statuses: { success_count?: number; failure_count?: number; failures?: unknown[] }[] = [];
      for (let i = 0; i < objects.length; i += PUSH_CHUNK) {
        const status = await clientCall(() =>
          client.postEnvelope(root, o.collection, objects.slice(i, i + PUSH_CHUNK)),
        );
        statuses.push(status as (typeof statuses)[number]);
      }
      const sent = objects.length;
      const ok = statuses.reduce((n, s) => n + (s.success_count ?? 0), 0);
      const failed = statuses.reduce((n, s) => n + (s.failure_count ?? 0), 0);
      if (o.json) process.stdout.write(`${JSON.stringify({ sent, succeeded: ok, failed, statuses })}\n`);
      else {
        process.stdout.write(`pushed ${sent} objects: ${ok} accepted, ${failed} refused\n`);
        for (const s of statuses) {
          for (const f of s.failures ?? []) process.stdout.write(`  refused: ${JSON.stringify(f)}\n`);
        }
      }
      if (failed > 0) process.exitCode = 1;
    });
}
