import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatOperatorPolicyErrors,
  loadOperatorPolicies,
  OPERATOR_POLICY_MAX_BYTES,
} from '../policy/operator-policy.js';
import type { HubPolicy } from '../release/release-policy.js';
import { isTlpLevel, TLP_LEVELS } from '../stix/markings-tlp.js';
import { isJsonObject } from '../stix/types.js';
import { compileForbiddenTerms, type ForbiddenTermRule } from '../tearline/tearline-forbidden.js';
import { BUILT_IN_PROFILES, parseProfile, type SanitisationProfile } from '../tearline/tearline-profile.js';
import { dataDirPaths } from './data-dir.js';

/** Hub-wide forbidden terms, in the data dir: a JSON list of {name, term | regex, flags?}. */
export const HUB_FORBIDDEN_TERMS = 'forbidden-terms.json';
/** Operator Cedar policies, one *.cedar file each. */
export const HUB_POLICIES_DIR = 'policies';
/** The hub's own sanitisation profiles, one JSON file each, named in agreements by `name`. */
export const HUB_PROFILES_DIR = 'profiles';

const MAX_JSON_BYTES = 1024 * 1024;
const MAX_FILES = 200;

export type HubPolicyLoad =
  | {
      ok: true;
      policy: HubPolicy;
      /** SHA-256 over every file read: equal digests mean the same settings. */
      digest: string;
      /** What was read, for the console: file paths relative to the data dir. */
      files: string[];
    }
  | { ok: false; errors: string[] };

class LoadError extends Error {}

/**
 * Reads the hub's release settings from the data dir: `untagged_tlp` in config.json, operator
 * policies (policies/*.cedar), forbidden terms (forbidden-terms.json) and profiles
 * (profiles/*.json). All or nothing: any error in any file fails the load, each error naming
 * the file and the field, so a serving hub keeps its previous settings rather than half of new ones.
 */
export function loadHubPolicy(dataDir: string): HubPolicyLoad {
  const digest = createHash('sha256');
  const files: string[] = [];
  const errors: string[] = [];
  const read = (rel: string): string => {
    const path = join(dataDir, rel);
    const st = statSync(path);
    if (!st.isFile()) throw new LoadError(`${path}: not a file`);
    const limit = rel.endsWith('.cedar') ? OPERATOR_POLICY_MAX_BYTES : MAX_JSON_BYTES;
    if (st.size > limit) throw new LoadError(`${path}: ${st.size} bytes; at most ${limit}`);
    const text = readFileSync(path, 'utf8');
    digest.update(`${rel}\u0000${text}\u0000`);
    files.push(rel);
    return text;
  };
  const parseJson = (rel: string): unknown => {
    const text = read(rel);
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new LoadError(`${join(dataDir, rel)}: not valid JSON (${(err as Error).message})`);
    }
  };
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof LoadError) errors.push(err.message);
      else errors.push((err as Error).message);
      return undefined;
    }
  };

  const configPath = dataDirPaths(dataDir).config;
  const untagged = attempt(() => {
    if (!existsSync(configPath)) return undefined;
    const cfg = parseJson('config.json');
    if (!isJsonObject(cfg)) throw new LoadError(`${configPath}: must be a JSON object`);
    const v = cfg.untagged_tlp;
    if (v === undefined) return undefined;
    if (!isTlpLevel(v) || v === 'red') {
      throw new LoadError(
        `${configPath}: untagged_tlp must be one of ${TLP_LEVELS.filter((l) => l !== 'red').join(', ')}`,
      );
    }
    return v;
  });

  const operator = attempt(() => {
    const names = listDir(dataDir, HUB_POLICIES_DIR, '.cedar');
    const loaded = loadOperatorPolicies(
      names.map((name) => ({ name, text: read(join(HUB_POLICIES_DIR, name)) })),
    );
    if (!loaded.ok) {
      throw new LoadError(
        `operator policies in ${join(dataDir, HUB_POLICIES_DIR)} do not validate:\n${formatOperatorPolicyErrors(loaded.errors)}`,
      );
    }
    return loaded;
  });

  const forbidden = attempt(() => {
    if (!existsSync(join(dataDir, HUB_FORBIDDEN_TERMS))) return { rules: [] as ForbiddenTermRule[] };
    const path = join(dataDir, HUB_FORBIDDEN_TERMS);
    const parsed = parseJson(HUB_FORBIDDEN_TERMS);
    if (!Array.isArray(parsed) || !parsed.every(isJsonObject))
      throw new LoadError(`${path}: must be a JSON list of rules {name, term | regex, flags?}`);
    const rules = parsed.map((r) => ({ ...r, source: 'hub' }) as unknown as ForbiddenTermRule);
    const compiled = compileForbiddenTerms(rules);
    if (!compiled.ok) {
      throw new LoadError(
        `${path}: invalid rules\n${compiled.errors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}`,
      );
    }
    return { rules, filter: compiled.filter };
  });

  const profiles = attempt(() => {
    const out = new Map<string, SanitisationProfile>(BUILT_IN_PROFILES);
    for (const name of listDir(dataDir, HUB_PROFILES_DIR, '.json')) {
      const rel = join(HUB_PROFILES_DIR, name);
      const parsed = parseProfile(parseJson(rel));
      if (!parsed.ok) {
        const lines = parsed.errors.map((e) => `  ${e.field || '(profile)'}: ${e.message}`);
        throw new LoadError(`${join(dataDir, rel)}: invalid profile\n${lines.join('\n')}`);
      }
      const p = parsed.profile;
      if (out.has(p.name)) {
        throw new LoadError(
          `${join(dataDir, rel)}: a profile named '${p.name}' exists already${BUILT_IN_PROFILES.has(p.name) ? ' (built in)' : ''}; choose another name`,
        );
      }
      out.set(p.name, p);
    }
    return out;
  });

  if (errors.length > 0 || !operator || !forbidden || !profiles) return { ok: false, errors };
  const policy: HubPolicy = {
    untaggedWhere: `untagged_tlp in ${configPath}`,
    operator,
    forbidden: forbidden.filter ?? { size: 0, scan: () => undefined },
    forbiddenRuleNames: forbidden.rules.map((r) => r.name),
    profiles,
    ...(untagged !== undefined && { untaggedTlp: untagged }),
  };
  return { ok: true, policy, digest: digest.digest('hex'), files };
}

function listDir(dataDir: string, rel: string, ext: string): string[] {
  const dir = join(dataDir, rel);
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort();
  if (names.length > MAX_FILES)
    throw new LoadError(`${dir}: ${names.length} ${ext} files; at most ${MAX_FILES}`);
  return names;
}
