import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { openHub } from '../app/hub.js';
import { isTlpLevel, TLP_LEVELS, type TlpLevel } from '../stix/markings-tlp.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../stix/types.js';
import { createSanitiseContext, releasedSetOf } from '../tearline/tearline-context.js';
import {
  compileForbiddenTerms,
  type ForbiddenTermRule,
  NO_FORBIDDEN_TERMS,
} from '../tearline/tearline-forbidden.js';
import { releasingIdentityIdOf } from '../tearline/tearline-identity.js';
import { buildPreview, renderPreviewText } from '../tearline/tearline-preview.js';
import { BUILT_IN_PROFILES, parseProfile, type SanitisationProfile } from '../tearline/tearline-profile.js';
import { sanitise } from '../tearline/tearline-sanitise.js';
import { TYPE_RULES } from '../tearline/tearline-type-registry.js';
import type { SanitiseContext } from '../tearline/tearline-types.js';
import { CliError, usageError } from './cli-error.js';

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
      'show the tearline a partner would get for an object beside the original, with each removal and its rule; ' +
        'referenced objects the hub holds count as released with it',
    )
    .argument('<partner>', 'partner id (internal; never shown to the partner)')
    .argument('<object-id>', 'STIX id of an object in the hub (its latest version)')
    .option('--data <dir>', 'data directory (default ./tearline-data or $TEARLINE_DATA)')
    .option(
      '--ceiling <level>',
      `TLP ceiling of the partner: ${TLP_LEVELS.join(', ')} (required until agreements exist)`,
    )
    .option(
      '--profile <name>',
      `built-in profile: ${[...BUILT_IN_PROFILES.keys()].join(', ')} (default strict)`,
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
      if (!PARTNER_RE.test(partner))
        throw usageError('PARTNER must be 1-200 printable ASCII characters without spaces');
      if (!STIX_ID_RE.test(objectId))
        throw usageError(`OBJECT-ID '${objectId}' is not a STIX id (type--UUID)`);
      const ceiling = readCeiling(opts.ceiling);
      const profile = readProfileOption(opts);
      const markings = readMarkings(opts.marking);
      const forbidden = readForbiddenTerms(opts.forbiddenTerms);
      const hub = openHub(opts.data);
      try {
        const stored = await hub.objects.getLatest(objectId);
        if (!stored) throw new CliError(`no object ${objectId} in ${hub.paths.dir}`);
        const original = JSON.parse(stored.json) as JsonObject;
        const ctx = createSanitiseContext({
          hubSecret: readHubSecret(hub.paths.hubSecret),
          partnerId: partner,
          ceiling,
          releasingIdentityId: releasingIdentityIdOf(hub.config.hub_name),
          profile,
          markings,
          forbidden,
        });
        const released = await releaseReferencedObjects(original, ctx, (id) => hub.objects.getLatest(id));
        const preview = buildPreview(original, sanitise(original, ctx, released));
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(preview)}\n`
            : renderPreviewText(preview, process.stdout.columns || 160),
        );
      } finally {
        hub.close();
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function readCeiling(value: string | undefined): TlpLevel {
  if (value === undefined)
    throw usageError(`give --ceiling (${TLP_LEVELS.join(', ')}) until agreements exist`);
  if (!isTlpLevel(value)) throw usageError(`--ceiling '${value}' is not one of ${TLP_LEVELS.join(', ')}`);
  return value;
}

function readProfileOption(opts: PreviewOptions): SanitisationProfile {
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
  const name = opts.profile ?? 'strict';
  const profile = BUILT_IN_PROFILES.get(name);
  if (!profile)
    throw usageError(`--profile '${name}' is not one of ${[...BUILT_IN_PROFILES.keys()].join(', ')}`);
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

function readForbiddenTerms(path: string | undefined): SanitiseContext['forbidden'] {
  if (path === undefined) return NO_FORBIDDEN_TERMS;
  const parsed = readJsonFile(path);
  if (!Array.isArray(parsed) || !parsed.every(isJsonObject)) {
    throw new CliError(`${path}: must be a JSON list of rules {name, term | regex, flags?}`);
  }
  const rules: ForbiddenTermRule[] = parsed.map((r) => ({
    name: r.name as string,
    source: 'agreement',
    ...(r.term !== undefined ? { term: r.term as string } : {}),
    ...(r.regex !== undefined ? { regex: r.regex as string } : {}),
    ...(r.flags !== undefined ? { flags: r.flags as string } : {}),
  }));
  const compiled = compileForbiddenTerms(rules);
  if (!compiled.ok) {
    throw new CliError(
      `${path}: invalid rules\n${compiled.errors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}`,
    );
  }
  return compiled.filter;
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

function readHubSecret(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    throw new CliError(`${path}: the hub secret is missing; it derives partner ids and cannot be replaced`);
  }
  const secret = Buffer.from(text, 'base64');
  if (secret.length < 16) throw new CliError(`${path}: the hub secret must be at least 16 bytes of base64`);
  return secret;
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
