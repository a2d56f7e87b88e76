import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { dataDirPaths, resolveDataDir } from '../app/data-dir.js';
import { CedarEngine } from '../policy/cedar-engine.js';
import { type Outcome, PartnerDecider } from '../policy/decision.js';
import { DecisionMemo } from '../policy/decision-memo.js';
import { type Redecision, redecide } from '../policy/decision-redecide.js';
import type { IntelProjection } from '../policy/intel-projection.js';
import {
  formatOperatorPolicyErrors,
  loadOperatorPolicies,
  OPERATOR_POLICY_MAX_BYTES,
  type OperatorPolicies,
} from '../policy/operator-policy.js';
import { isTlpLevel, TLP_LEVELS, type TlpLevel } from '../stix/markings-tlp.js';
import {
  iterateProjections,
  loadMarkingClassifier,
  loadPartnerFacts,
} from '../store/hub/partner-decisions.js';
import { CliError } from './cli-error.js';
import {
  type DataOption,
  parseTimeOption,
  printJson,
  requirePartner,
  withHubState,
} from './partner-command.js';

/**
 * The hub's policy settings: `untagged_tlp` in config.json gives objects without any TLP marking
 * a level (e.g. "clear" for a hub that only holds public data). Absent, they are withheld.
 */
export function readUntaggedTlp(dataDir: string): TlpLevel | undefined {
  const path = dataDirPaths(dataDir).config;
  const cfg = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const v = cfg.untagged_tlp;
  if (v === undefined) return undefined;
  if (!isTlpLevel(v) || v === 'red') {
    throw new CliError(
      `${path}: untagged_tlp must be one of ${TLP_LEVELS.filter((l) => l !== 'red').join(', ')}`,
    );
  }
  return v;
}

/** Operator policy files: every *.cedar file in DATA/policies, validated against the schema. */
export function readOperatorPolicies(dataDir: string): Extract<OperatorPolicies, { ok: true }> {
  const dir = join(dataDir, 'policies');
  if (!existsSync(dir)) return { ok: true, policies: {}, meta: {} };
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cedar'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const st = statSync(path);
      if (!st.isFile()) throw new CliError(`${path}: not a file; operator policies are *.cedar files`);
      if (st.size > OPERATOR_POLICY_MAX_BYTES) {
        throw new CliError(
          `${path}: larger than the ${OPERATOR_POLICY_MAX_BYTES}-byte limit for a policy file`,
        );
      }
      return { name, text: readFileSync(path, 'utf8') };
    });
  const loaded = loadOperatorPolicies(files);
  if (!loaded.ok) {
    throw new CliError(
      `operator policies in ${dir} do not validate:\n${formatOperatorPolicyErrors(loaded.errors)}`,
    );
  }
  return loaded;
}

interface Tally {
  partner: string;
  agreement_version: number | null;
  counts: Record<Outcome, number>;
  reasons: Record<string, number>;
  /** Decisions whose outcome or reasons changed since the last `decide` (all, the first time). */
  changed: number;
  /** Objects not decided again because nothing they depend on changed. */
  skipped: number;
}

function tallyMarks(partner: string, version: number | null, r: Redecision): Tally {
  const t: Tally = {
    partner,
    agreement_version: version,
    counts: { release: 0, 'needs-approval': 0, withhold: 0 },
    reasons: {},
    changed: r.changed.length,
    skipped: r.skipped,
  };
  for (const m of r.marks.values()) {
    t.counts[m.outcome]++;
    const codes = new Set((JSON.parse(m.reasons_key) as [string][]).map(([code]) => code));
    for (const code of codes) t.reasons[code] = (t.reasons[code] ?? 0) + 1;
  }
  return t;
}

export function registerDecide(program: Command): void {
  program
    .command('decide')
    .description('decide every stored object for every partner (or one) and summarise by outcome and reason')
    .option('--partner <partner>', 'only this partner (name or id)')
    .option('--at <time>', 'decide as of this time instead of now (a what-if: the last decisions are kept)')
    .option('--data <dir>', 'data directory (default ./tearline-data or $TEARLINE_DATA)')
    .option('--json', 'print JSON')
    .action(async (opts: DataOption & { partner?: string; at?: string; json?: boolean }) => {
      const at = parseTimeOption(opts.at, '--at') ?? new Date();
      const dir = resolveDataDir(opts.data);
      await withHubState(opts, 'read', async (state) => {
        const untagged = readUntaggedTlp(dir);
        const operator = readOperatorPolicies(dir);
        const partners = opts.partner
          ? [await requirePartner(state, opts.partner)]
          : await state.partners.list();
        const memo = new DecisionMemo(new CedarEngine());
        // Projections are partner-independent: computed once and shared by every partner.
        const projections: IntelProjection[] = [];
        const classify = await loadMarkingClassifier(state.sql);
        for await (const p of iterateProjections(state.sql, classify, untagged)) projections.push(p);
        const marks = state.decisionMarks;
        const tallies = [];
        for (const p of partners) {
          const decider = new PartnerDecider(await loadPartnerFacts(state, p, at.getTime(), operator), memo);
          const previous = await marks.load(p.id);
          const r = redecide(decider, projections, previous);
          // A run --at another time is a what-if: it reads the marks but does not replace them.
          if (opts.at === undefined) await marks.save(p.id, r.marks, previous, at.toISOString());
          tallies.push(tallyMarks(p.name, decider.facts.agreement?.version ?? null, r));
        }
        const objects = projections.length;
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
      });
    });
}
