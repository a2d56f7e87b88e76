import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import { draftStoresOf } from '../app/release-stores.js';
import type { ItemEdit } from '../osint/draft-types.js';
import { isItemKind } from '../osint/osint-types.js';
import { confirmDraft, editDraft, rejectDraft } from '../release/osint-drafts.js';
import type { Draft, DraftSummary } from '../store/hub/osint-draft-store.js';
import { DATA_OPTION, requireReason, wholeNumberOption } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { requireActorOrClose } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';

interface Common {
  data?: string;
  db?: string;
  json?: boolean;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function parseId(value: string): string {
  if (!ID.test(value))
    throw usageError(`draft "${value.slice(0, 60)}" must be a draft id (see: tearline drafts list)`);
  return value;
}

function line(d: DraftSummary): string {
  const counts = Object.entries(d.counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const review =
    d.state === 'open'
      ? 'open'
      : `${d.state} by ${d.reviewed_by} ${d.reviewed_at}${d.report_id ? ` as ${d.report_id}` : ''}`;
  return `${d.id}  ${d.created_at}  ${review}  ${d.title.slice(0, 80)}  [${counts || 'nothing found'}]`;
}

function describe(d: Draft): string {
  const out = [line(d), `marking: TLP:${d.marking.toUpperCase()}`];
  if (d.source_url) out.push(`source: ${d.source_url}`);
  if (d.published) out.push(`published: ${d.published}`);
  if (d.review_note) out.push(`reason: ${d.review_note}`);
  for (const i of d.items) {
    const e = i.evidence[0];
    const where = e
      ? ` @${e.start}-${e.end} ${e.rule} "${d.text.slice(e.sentenceStart, e.sentenceEnd).slice(0, 120)}"`
      : '';
    out.push(
      `  [${i.decision}] ${i.kind} ${i.name}${i.mergeWith ? ` = ${i.mergeWith}` : ''} (${i.confidence.toFixed(2)}, ${i.evidence.length}x) key=${i.key}${where}`,
    );
  }
  return `${out.join('\n')}\n`;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerDrafts(program: Command): void {
  const cmd = program
    .command('drafts')
    .description(
      'drafts made from open-source articles: kept apart from intel until an analyst confirms one',
    );

  cmd
    .command('list')
    .description('drafts, newest first (open by default)')
    .option('--state <state>', 'open, confirmed, rejected or all', 'open')
    .option('--limit <n>', 'at most this many', '100')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: Common & { state: string; limit: string }) => {
      if (!['open', 'confirmed', 'rejected', 'all'].includes(opts.state))
        throw usageError(`--state "${opts.state}" must be open, confirmed, rejected or all`);
      const limit = wholeNumberOption(opts.limit, '--limit', 1, 99999);
      const hub = await openHubAt(opts);
      try {
        const items = await hub.state.drafts.list({
          state: opts.state as 'open' | 'confirmed' | 'rejected' | 'all',
          limit,
        });
        if (opts.json) return printJson(items);
        if (items.length === 0)
          process.stdout.write(`no ${opts.state === 'all' ? '' : `${opts.state} `}drafts\n`);
        for (const d of items) process.stdout.write(`${line(d)}\n`);
      } finally {
        await hub.close();
      }
    });

  cmd
    .command('show')
    .description('one draft: every item with its decision, confidence, rule and the sentence supporting it')
    .argument('<id>', 'the draft id (see: tearline drafts list)')
    .option('--text', 'print the article text too')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (value: string, opts: Common & { text?: boolean }) => {
      const id = parseId(value);
      const hub = await openHubAt(opts);
      try {
        const d = await hub.state.drafts.get(id);
        if (!d) throw new CliError(`no draft ${id} (see: tearline drafts list)`);
        if (opts.json) return printJson(d);
        process.stdout.write(describe(d));
        if (opts.text) process.stdout.write(`\n${d.text}\n`);
      } finally {
        await hub.close();
      }
    });

  cmd
    .command('edit')
    .description('accept, reject, rename or merge items of an open draft, or set its marking')
    .argument('<id>', 'the draft id')
    .option('--accept <key>', 'accept this item (repeatable)', collect)
    .option('--reject <key>', 'reject this item (repeatable)', collect)
    .option('--accept-kind <kind>', 'accept every item of this kind (repeatable)', collect)
    .option('--reject-kind <kind>', 'reject every item of this kind (repeatable)', collect)
    .option('--rename <key=name>', 'give an item another name (repeatable)', collect)
    .option('--merge <key=id>', 'the item is this stored object (repeatable)', collect)
    .option('--marking <tlp>', 'clear, green, amber, amber+strict or red')
    .option(...DATA_OPTION)
    .option('--json', 'print the draft as JSON')
    .action(
      async (
        value: string,
        opts: Common & {
          accept?: string[];
          reject?: string[];
          acceptKind?: string[];
          rejectKind?: string[];
          rename?: string[];
          merge?: string[];
          marking?: string;
        },
      ) => {
        const id = parseId(value);
        const edits: ItemEdit[] = [];
        for (const k of opts.acceptKind ?? []) {
          if (!isItemKind(k)) throw usageError(`--accept-kind "${k}" is not an item kind`);
          edits.push({ kind: k, decision: 'accepted' });
        }
        for (const k of opts.rejectKind ?? []) {
          if (!isItemKind(k)) throw usageError(`--reject-kind "${k}" is not an item kind`);
          edits.push({ kind: k, decision: 'rejected' });
        }
        for (const key of opts.accept ?? []) edits.push({ key, decision: 'accepted' });
        for (const key of opts.reject ?? []) edits.push({ key, decision: 'rejected' });
        const pair = (flag: string, v: string) => {
          const at = v.indexOf('=');
          if (at < 1) throw usageError(`${flag} "${v.slice(0, 60)}" must be KEY=VALUE`);
          return [v.slice(0, at), v.slice(at + 1)] as const;
        };
        for (const v of opts.rename ?? []) {
          const [key, name] = pair('--rename', v);
          edits.push({ key, name });
        }
        for (const v of opts.merge ?? []) {
          const [key, mergeWith] = pair('--merge', v);
          edits.push({ key, mergeWith });
        }
        if (edits.length === 0 && opts.marking === undefined)
          throw usageError('nothing to change: give --accept, --reject, --rename, --merge or --marking');
        const hub = await openHubAt(opts);
        try {
          const actor = await requireActorOrClose(hub, opts, 'draft.write');
          const r = await editDraft(
            draftStoresOf(hub),
            id,
            { edits, ...(opts.marking !== undefined && { marking: opts.marking }) },
            actor,
            hub.clock.now(),
          );
          if (!r.ok) throw new CliError(r.message);
          if (opts.json) return printJson(r.draft);
          process.stdout.write(describe(r.draft));
        } finally {
          await hub.close();
        }
      },
    );

  cmd
    .command('confirm')
    .description(
      'make a draft intel: its report and objects enter the store (ledger entry) and the release pipeline',
    )
    .argument('<id>', 'the draft id')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (value: string, opts: Common) => {
      const id = parseId(value);
      const hub = await openHubAt(opts);
      try {
        const actor = await requireActorOrClose(hub, opts, 'draft.write');
        const r = await confirmDraft(draftStoresOf(hub), id, actor, hub.clock.now());
        if (!r.ok) throw new CliError(r.message);
        await hub.checkpointIfDue();
        if (opts.json) return printJson(r);
        process.stdout.write(`${id}: confirmed as ${r.reportId} (${r.objects} objects)\n`);
      } finally {
        await hub.close();
      }
    });

  cmd
    .command('reject')
    .description('keep a draft out of intel, saying why')
    .argument('<id>', 'the draft id')
    .requiredOption('--reason <text>', 'why')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (value: string, opts: Common & { reason: string }) => {
      const id = parseId(value);
      const reason = requireReason(opts.reason, 'reject it');
      const hub = await openHubAt(opts);
      try {
        const actor = await requireActorOrClose(hub, opts, 'draft.write');
        const r = await rejectDraft(draftStoresOf(hub), id, actor, reason, hub.clock.now());
        if (!r.ok) throw new CliError(r.message);
        if (opts.json) return printJson({ id, state: 'rejected' });
        process.stdout.write(`${id}: rejected\n`);
      } finally {
        await hub.close();
      }
    });
}
