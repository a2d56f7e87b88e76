import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import { openDecisionRound } from '../app/hub-decisions.js';
import { openHubAt } from '../app/hub-open.js';
import { requireHubPolicy } from '../app/hub-policy-watch.js';
import type { DecisionMark } from '../policy/decision-redecide.js';
import {
  type DecisionInput,
  type DecisionTally,
  decideReleases,
  emptyTally,
  type ReleaseDecision,
  tallyDecision,
} from '../release/release-decision.js';
import type { JsonObject } from '../stix/types.js';
import { DATA_OPTION, type DataOption, parseTimeOption, TIME_FORMS } from './cli-arguments.js';
import { requireActorOrClose, requirePartner } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';

type Tally = {
  partner: string;
  agreement_version: number | null;
  /** Decisions whose outcome, reasons or tearline changed since the last `decide` (all, the first time). */
  changed: number;
} & DecisionTally;

/** What `decide` remembers of a decision to say next time whether it changed. */
function markOf(d: ReleaseDecision): DecisionMark {
  return {
    input_key: createHash('sha256')
      .update(
        JSON.stringify([d.object_version, d.decision.agreement_version ?? null, d.tearline?.digest ?? null]),
      )
      .digest('base64url'),
    outcome: d.outcome,
    reasons_key: JSON.stringify(d.reasons.map((r) => [r.code, r.message, r.condition ?? null])),
  };
}

const PAGE = 2000;

export function registerDecide(program: Command): void {
  program
    .command('decide')
    .description(
      'decide every stored object for every partner (or one), tearline included, and summarise by outcome and reason',
    )
    .option('--partner <partner>', 'only this partner (name or id)')
    .option(
      '--at <time>',
      `decide as of this time instead of now (a what-if: the last decisions are kept): ${TIME_FORMS}`,
    )
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: DataOption & { partner?: string; at?: string; json?: boolean }) => {
      const at = parseTimeOption(opts.at, '--at') ?? new Date();
      const hub = await openHubAt(opts);
      await requireActorOrClose(hub, opts, 'read');
      try {
        const { state } = hub;
        const round = await openDecisionRound(hub, requireHubPolicy(hub.paths.dir), at);
        const partners = opts.partner
          ? [await requirePartner(state, opts.partner)]
          : await state.partners.list();
        // Objects are read and projected once and shared by every partner.
        const inputs: DecisionInput[] = [];
        for (let after = -1; ; ) {
          const rows = await state.sql.all<{ added_us: number; json: string }>(
            'SELECT added_us, json FROM objects WHERE is_latest AND added_us > ? ORDER BY added_us LIMIT ?',
            [after, PAGE],
          );
          for (const r of rows) inputs.push(round.input(JSON.parse(r.json) as JsonObject));
          const last = rows.at(-1);
          if (!last || rows.length < PAGE) break;
          after = last.added_us;
        }
        const marks = state.decisionMarks;
        const tallies: Tally[] = [];
        for (const p of partners) {
          const terms = await round.termsFor(p);
          const previous = await marks.load(p.id);
          const next = new Map<string, DecisionMark>();
          const t: Tally = {
            partner: p.name,
            agreement_version: terms.decider.facts.agreement?.version ?? null,
            changed: 0,
            ...emptyTally(),
          };
          for (const d of decideReleases(inputs, terms)) {
            tallyDecision(t, d);
            const m = markOf(d);
            const prev = previous.get(d.object_id);
            if (
              prev?.input_key === m.input_key &&
              prev.outcome === m.outcome &&
              prev.reasons_key === m.reasons_key
            ) {
              next.set(d.object_id, prev);
            } else {
              t.changed++;
              next.set(d.object_id, m);
            }
          }
          // A run --at another time is a what-if: it reads the marks but does not replace them.
          if (opts.at === undefined) await marks.save(p.id, next, previous, at.toISOString());
          tallies.push(t);
        }
        const memo = round.memo;
        const objects = inputs.length;
        const cache = { hits: memo.hits, misses: memo.misses, hit_rate: Number(memo.hitRate.toFixed(4)) };
        if (opts.json) return printJson({ at: at.toISOString(), objects, partners: tallies, cache });
        process.stdout.write(
          `decided ${objects} object(s) for ${partners.length} partner(s) at ${at.toISOString()}\n`,
        );
        for (const t of tallies) {
          const c = t.counts;
          process.stdout.write(
            `${t.partner} (agreement ${t.agreement_version === null ? 'none' : `v${t.agreement_version}`}): release ${c.release}, needs-approval ${c['needs-approval']}, withhold ${c.withhold}; ${t.changed} changed since the last run\n`,
          );
          for (const [code, n] of Object.entries(t.reasons).sort((a, b) => b[1] - a[1])) {
            process.stdout.write(`    ${code.padEnd(24)} ${n}\n`);
          }
        }
        process.stdout.write(
          `cache: ${cache.hits} hit(s), ${cache.misses} Cedar call(s), hit rate ${(cache.hit_rate * 100).toFixed(1)}%\n`,
        );
      } finally {
        await hub.close();
      }
    });
}
