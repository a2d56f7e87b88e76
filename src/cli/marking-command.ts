import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import { loadMarkingCatalogs } from '../release/release-facts.js';
import { parseImportMarking } from '../stix/markings-import.js';
import type { ImportMarkingScope } from '../store/hub/import-marking-store.js';
import { requireActor } from './cli-actor.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { JSON_OPTION, printJson } from './cli-output.js';

interface Target {
  user?: string;
  source?: string;
  collection?: string;
}

/** The key a TAXII source's default is kept under: the URL as `taxii pull` is given it, and the collection. */
export function taxiiSourceKey(url: string, collection: string): string {
  return `${new URL(url).toString()} ${collection}`;
}

function targetOf(o: Target): { scope: ImportMarkingScope; name: string } {
  if (o.user !== undefined && o.source !== undefined) throw usageError('give --user or --source, not both');
  if (o.user !== undefined) return { scope: 'user', name: o.user };
  if (o.source === undefined)
    throw usageError('give --user NAME (an analyst) or --source URL --collection ID');
  if (o.collection === undefined) throw usageError('--source needs --collection ID');
  try {
    return { scope: 'source', name: taxiiSourceKey(o.source, o.collection) };
  } catch {
    throw usageError(`--source "${o.source}" is not an absolute http(s) URL`);
  }
}

export function registerMarking(program: Command): void {
  const marking = program
    .command('marking')
    .description(
      'markings given at import by default: to an analyst\'s TAXII pushes, or to what "taxii pull" brings from a source',
    );
  const withTarget = (c: Command) =>
    c
      .option('--user <name>', "an analyst: the default for that user's TAXII pushes to the intel collection")
      .option('--source <url>', 'a TAXII server as taxii pull is given it (with --collection)')
      .option('--collection <id>', 'the collection of --source')
      .option(...DATA_OPTION);

  withTarget(marking.command('set <marking>'))
    .description(
      'set the default: tlp:LEVEL or a statement marking-definition id the hub holds; given only to objects that ' +
        'carry no marking of its kind, never lowering one',
    )
    .action(async (value: string, o: Target & { data?: string; db?: string }) => {
      const target = targetOf(o);
      const hub = await openHubAt(o);
      try {
        const actor = await requireActor(hub, o, 'marking.manage');
        if (target.scope === 'user' && !(await hub.state.users.get(target.name)))
          throw new CliError(`--user ${target.name}: no such user (see: tearline user list)`);
        const { statements } = await loadMarkingCatalogs(hub.state.reads);
        const parsed = parseImportMarking(value, new Set(statements.keys()));
        if (!parsed.ok) throw new CliError(parsed.message);
        await hub.state.importMarkings.set(target.scope, target.name, parsed.marking, actor.name, new Date());
        process.stdout.write(`${target.scope} ${target.name}: imports get ${parsed.marking.id} by default\n`);
      } finally {
        await hub.close();
      }
    });

  withTarget(marking.command('clear'))
    .description('remove a default')
    .action(async (o: Target & { data?: string; db?: string }) => {
      const target = targetOf(o);
      const hub = await openHubAt(o);
      try {
        await requireActor(hub, o, 'marking.manage');
        if (!(await hub.state.importMarkings.clear(target.scope, target.name)))
          throw new CliError(`${target.scope} ${target.name} has no default marking`);
        process.stdout.write(`${target.scope} ${target.name}: no default marking\n`);
      } finally {
        await hub.close();
      }
    });

  marking
    .command('list')
    .description('every default, with who set it and when')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (o: { data?: string; db?: string; json?: boolean }) => {
      const hub = await openHubAt({ ...o, readOnly: true });
      try {
        await requireActor(hub, o, 'read');
        const list = await hub.state.importMarkings.list();
        if (o.json) return printJson(list);
        for (const d of list)
          process.stdout.write(`${d.scope} ${d.name}: ${d.marking.id} (set by ${d.set_by} at ${d.set_at})\n`);
      } finally {
        await hub.close();
      }
    });
}
