import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readHubSecret } from '../app/data-dir.js';
import { objectCacheOf, openDecisionRound } from '../app/hub-decisions.js';
import { openHubAt } from '../app/hub-open.js';
import { HUB_FORBIDDEN_TERMS } from '../app/hub-policy-load.js';
import { requireHubPolicy } from '../app/hub-policy-watch.js';
import type { HubState } from '../app/hub-state.js';
import { decideObject } from '../release/release-closure.js';
import type { ReleaseDecision } from '../release/release-decision.js';
import { isTlpLevel, TLP_LEVELS, type TlpLevel } from '../stix/markings-tlp.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../stix/types.js';
import { createSanitiseContext, releasedSetOf } from '../tearline/tearline-context.js';
import {
  compileForbiddenTerms,
  type ForbiddenTermRule,
  NO_FORBIDDEN_TERMS,
} from '../tearline/tearline-forbidden.js';
import { releasingIdentityIdOf } from '../tearline/tearline-identity.js';
import { buildPreview, renderPreviewText, type TearlinePreview } from '../tearline/tearline-preview.js';
import {
  BUILT_IN_PROFILES,
  parseProfile,
  type SanitisationProfile,
  STRICT_PROFILE,
} from '../tearline/tearline-profile.js';
import { sanitise } from '../tearline/tearline-sanitise.js';
import { TYPE_RULES } from '../tearline/tearline-type-registry.js';
import type { SanitiseContext } from '../tearline/tearline-types.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { requireActorOrClose } from './cli-hub.js';

const PARTNER_RE = /^[\x21-\x7e]{1,200}$/;
const STIX_ID_RE =
  /^[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const MAX_FILE_BYTES = 1024 * 1024;

interface PreviewOptions {
  data?: string;
  profile?: string;
  profileFile?: string;
  ceiling?: string;
  marking: string[];
  forbiddenTerms?: string;
  json?: boolean;
}

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description(
      "show the hub's decision and the tearline a partner would get for an object beside the original, with each " +
        'removal and its rule; --ceiling, --profile, --marking or --forbidden-terms make it a what-if in which ' +
        'referenced objects the hub holds count as released with it',
    )
    .argument('<partner>', "partner name or id (a registered partner's agreement gives ceiling and profile)")
    .argument('<object-id>', 'STIX id of an object in the hub (its latest version)')
    .option(...DATA_OPTION)
    .option('--ceiling <level>', `TLP ceiling: ${TLP_LEVELS.join(', ')} (default: the partner's agreement)`)
    .option(
      '--profile <name>',
      `built-in profile: ${[...BUILT_IN_PROFILES.keys()].join(', ')} (default: the agreement's, else strict)`,
    )
    .option('--profile-file <path>', 'custom profile (JSON) instead of --profile')
    .option(
      '--marking <id=level>',
      'count a non-TLP marking definition as this TLP level (repeatable)',
      collect,
      [],
    )
    .option('--forbidden-terms <path>', 'JSON list of forbidden-term rules {name, term | regex, flags?}')
    .option('--json', 'print {original, tearline, withheld, removed} as JSON')
    .action(async (partner: string, objectId: string, opts: PreviewOptions) => {
      if (!PARTNER_RE.test(partner)) {
        throw usageError('PARTNER must be 1-200 printable ASCII characters without spaces');
      }
      if (!STIX_ID_RE.test(objectId))
        throw usageError(`OBJECT-ID '${objectId}' is not a STIX id (type--UUID)`);
      const ceilingOption = readCeiling(opts.ceiling);
      const profileOption = readProfileOption(opts);
      const markings = readMarkings(opts.marking);
      const whatIf =
        ceilingOption !== undefined ||
        profileOption !== undefined ||
        markings.size > 0 ||
        opts.forbiddenTerms !== undefined;
      const hub = await openHubAt(opts);
      await requireActorOrClose(hub, opts, 'read');
      try {
        const stored = await hub.objects.getLatest(objectId);
        const registered = await hub.state.partners.get(partner);
        if (!whatIf && registered) {
          // The hub's own answer: the one decision every surface gives.
          const round = await openDecisionRound(hub, requireHubPolicy(hub.paths.dir), new Date());
          const terms = await round.termsFor(registered);
          const d = await decideObject(terms, objectId, objectCacheOf(hub, round));
          if (!stored || !d) throw new CliError(`no object ${objectId} in ${hub.paths.dir}`);
          const preview = previewOfDecision(JSON.parse(stored.json) as JsonObject, d);
          const agreement = terms.decider.facts.agreement;
          const summary =
            `partner ${registered.name} (${registered.id}); ${agreement ? `agreement v${agreement.version}, ceiling TLP:${agreement.body.tlp_ceiling.toUpperCase()}, profile ${agreement.body.sanitisation}` : 'no agreement'}\n` +
            `decision: ${d.outcome.toUpperCase()} (${d.reasons.map((r) => r.code).join(', ')})`;
          if (opts.json) process.stdout.write(`${JSON.stringify(preview)}\n`);
          else
            process.stdout.write(
              `${summary}\n\n${renderPreviewText(preview, process.stdout.columns || 160)}`,
            );
          return;
        }
        const forbidden = readForbiddenTerms(hub.paths.dir, opts.forbiddenTerms);
        const terms = await resolvePartnerTerms(hub.state, partner, ceilingOption, profileOption);
        if (!stored) throw new CliError(`no object ${objectId} in ${hub.paths.dir}`);
        const original = JSON.parse(stored.json) as JsonObject;
        const ctx = createSanitiseContext({
          hubSecret: readHubSecret(hub.paths.hubSecret),
          partnerId: terms.partnerId,
          ceiling: terms.ceiling,
          releasingIdentityId: releasingIdentityIdOf(hub.config.hub_name),
          profile: terms.profile,
          markings,
          forbidden,
          submitters: await hub.state.reads.submitterCatalogAt(Date.now()),
        });
        const released = await releaseReferencedObjects(original, ctx, (id) => hub.objects.getLatest(id));
        const preview = { ...buildPreview(original, sanitise(original, ctx, released)), what_if: true };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(preview)}\n`);
        } else {
          process.stdout.write(
            `${terms.summary}\nwhat-if: the tearline alone, not the hub's decision (drop the overrides to see that)\n\n${renderPreviewText(preview, process.stdout.columns || 160)}`,
          );
        }
      } finally {
        await hub.close();
      }
    });
}

/** The preview of the hub's decision: its tearline, or why it is withheld, with outcome and reasons. */
function previewOfDecision(
  original: JsonObject,
  d: ReleaseDecision,
): TearlinePreview & { outcome: string; reasons: ReleaseDecision['reasons']; stage: string } {
  const base = d.tearline
    ? { original, tearline: d.tearline.copy, withheld: null, removed: d.tearline.removed }
    : {
        original,
        tearline: null,
        withheld: {
          code: d.reasons[0]?.code ?? 'withhold',
          message: d.reasons.map((r) => r.message).join('; '),
        },
        removed: [],
      };
  return { ...base, outcome: d.outcome, reasons: d.reasons, stage: d.stage };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function readCeiling(value: string | undefined): TlpLevel | undefined {
  if (value !== undefined && !isTlpLevel(value)) {
    throw usageError(`--ceiling '${value}' is not one of ${TLP_LEVELS.join(', ')}`);
  }
  return value;
}

interface PartnerTerms {
  partnerId: string;
  ceiling: TlpLevel;
  profile: SanitisationProfile;
  summary: string;
}

/**
 * Ceiling and profile: the command line wins, else the registered partner's latest agreement.
 * An unregistered name is previewed as a partner of that id, and then --ceiling is required.
 */
async function resolvePartnerTerms(
  state: HubState,
  nameOrId: string,
  ceilingOption: TlpLevel | undefined,
  profileOption: SanitisationProfile | undefined,
): Promise<PartnerTerms> {
  const partner = await state.partners.get(nameOrId);
  const agreement = partner ? await state.agreements.latest(partner.id) : undefined;
  const ceiling = ceilingOption ?? agreement?.body.tlp_ceiling;
  if (ceiling === undefined) {
    throw usageError(
      `partner '${nameOrId}' has no agreement: give --ceiling (${TLP_LEVELS.join(', ')}) or set one`,
    );
  }
  let profile = profileOption;
  if (!profile && agreement) {
    profile = BUILT_IN_PROFILES.get(agreement.body.sanitisation);
    if (!profile) {
      throw new CliError(
        `agreement v${agreement.version} of '${nameOrId}' names sanitisation profile ` +
          `'${agreement.body.sanitisation}', which is not built in; give --profile-file`,
      );
    }
  }
  const fromAgreement = agreement ? `agreement v${agreement.version}` : 'default';
  const ceilingFrom = ceilingOption ? 'command line' : fromAgreement;
  const profileFrom = profileOption ? 'command line' : fromAgreement;
  const chosen = profile ?? STRICT_PROFILE;
  const who = partner ? `${partner.name} (${partner.id})` : `${nameOrId} (not registered)`;
  return {
    partnerId: partner?.id ?? nameOrId,
    ceiling,
    profile: chosen,
    summary: `partner ${who}; ceiling TLP:${ceiling.toUpperCase()} (${ceilingFrom}); profile ${chosen.name} (${profileFrom})`,
  };
}

function readProfileOption(opts: PreviewOptions): SanitisationProfile | undefined {
  if (opts.profile !== undefined && opts.profileFile !== undefined) {
    throw usageError('give --profile or --profile-file, not both');
  }
  if (opts.profileFile !== undefined) {
    const parsed = parseProfile(readJsonFile(opts.profileFile));
    if (!parsed.ok) {
      const lines = parsed.errors.map((e) => `  ${e.field || '(profile)'}: ${e.message}`);
      throw new CliError(`${opts.profileFile}: invalid profile\n${lines.join('\n')}`);
    }
    return parsed.profile;
  }
  if (opts.profile === undefined) return undefined;
  const profile = BUILT_IN_PROFILES.get(opts.profile);
  if (!profile) {
    throw usageError(`--profile '${opts.profile}' is not one of ${[...BUILT_IN_PROFILES.keys()].join(', ')}`);
  }
  return profile;
}

function readMarkings(entries: string[]): Map<string, TlpLevel> {
  const out = new Map<string, TlpLevel>();
  for (const entry of entries) {
    const [id, level] = entry.split('=');
    if (!id || !STIX_ID_RE.test(id) || !id.startsWith('marking-definition--') || !isTlpLevel(level)) {
      throw usageError(
        `--marking '${entry}' must be marking-definition--UUID=LEVEL with LEVEL one of ${TLP_LEVELS.join(', ')}`,
      );
    }
    out.set(id, level);
  }
  return out;
}

/** Rules from one file, checked on their own so that errors name that file and its indices. */
function readForbiddenRules(path: string, source: ForbiddenTermRule['source']): ForbiddenTermRule[] {
  const parsed = readJsonFile(path);
  if (!Array.isArray(parsed) || !parsed.every(isJsonObject)) {
    throw new CliError(`${path}: must be a JSON list of rules {name, term | regex, flags?}`);
  }
  const rules = parsed.map((r) => ({ ...r, source }) as unknown as ForbiddenTermRule);
  const compiled = compileForbiddenTerms(rules);
  if (!compiled.ok) {
    throw new CliError(
      `${path}: invalid rules\n${compiled.errors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}`,
    );
  }
  return rules;
}

/** The hub-wide list (forbidden-terms.json in the data dir, if any) and the agreement's (--forbidden-terms). */
function readForbiddenTerms(
  dataDir: string,
  agreementPath: string | undefined,
): SanitiseContext['forbidden'] {
  const hubPath = join(dataDir, HUB_FORBIDDEN_TERMS);
  const rules = [
    ...(existsSync(hubPath) ? readForbiddenRules(hubPath, 'hub') : []),
    ...(agreementPath === undefined ? [] : readForbiddenRules(agreementPath, 'agreement')),
  ];
  const compiled = compileForbiddenTerms(rules);
  return compiled.ok ? compiled.filter : NO_FORBIDDEN_TERMS;
}

function readJsonFile(path: string): JsonValue {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CliError(`${path}: no such file`);
  }
  if (size > MAX_FILE_BYTES) throw new CliError(`${path}: ${size} bytes; at most ${MAX_FILE_BYTES}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as JsonValue;
  } catch (err) {
    throw new CliError(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

/**
 * The preview's released set: every object the original references that the hub holds, as if
 * released in the same batch (an SCO under the id recomputed from its own tearline).
 */
async function releaseReferencedObjects(
  original: JsonObject,
  ctx: SanitiseContext,
  getLatest: (id: string) => Promise<{ json: string } | undefined>,
) {
  const known = new Map<string, string>();
  for (const id of new Set(referencedIds(original))) {
    const stored = STIX_ID_RE.test(id) ? await getLatest(id) : undefined;
    if (!stored) continue;
    const target = JSON.parse(stored.json) as JsonObject;
    if (TYPE_RULES[String(target.type)]?.kind !== 'sco') {
      known.set(id, ctx.partner.deriveId(id));
      continue;
    }
    const copy = sanitise(target, ctx, releasedSetOf(new Map()));
    if (copy.ok) known.set(id, copy.partnerObjectId);
  }
  return releasedSetOf(known);
}

function referencedIds(value: JsonValue, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencedIds(v, out);
  else if (isJsonObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key.endsWith('_ref') && typeof v === 'string') out.push(v);
      else if (key.endsWith('_refs') && Array.isArray(v))
        for (const r of v)
          if (typeof r === 'string') out.push(r);
          else referencedIds(v, out);
    }
  }
  return out;
}
