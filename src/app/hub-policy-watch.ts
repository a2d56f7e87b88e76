import { existsSync, type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import type { HubPolicy } from '../release/release-policy.js';
import { ConfigError } from './data-dir.js';
import { HUB_FORBIDDEN_TERMS, HUB_POLICIES_DIR, HUB_PROFILES_DIR, loadHubPolicy } from './hub-policy-load.js';

/** The data dir's entries that hold settings; the database and its journal change all the time. */
const SETTINGS = new Set(['config.json', HUB_FORBIDDEN_TERMS, HUB_POLICIES_DIR, HUB_PROFILES_DIR]);

/** The settings a serving hub decides by, and what became of the last attempt to re-read them. */
export interface HubPolicyState {
  policy: HubPolicy;
  digest: string;
  files: string[];
  loadedAt: string;
  /** Set while the files on disk do not load: the hub keeps deciding by the last good settings. */
  error?: { message: string; at: string };
}

/** Reads the settings once; a command that cannot read them stops with the loader's message. */
export function requireHubPolicy(dataDir: string): HubPolicy {
  const loaded = loadHubPolicy(dataDir);
  if (!loaded.ok) throw new ConfigError(loaded.errors.join('\n'));
  return loaded.policy;
}

/** As requireHubPolicy, with the digest of the files read (an incremental pass compares it). */
export function requireHubPolicyWithDigest(dataDir: string): { policy: HubPolicy; digest: string } {
  const loaded = loadHubPolicy(dataDir);
  if (!loaded.ok) throw new ConfigError(loaded.errors.join('\n'));
  return { policy: loaded.policy, digest: loaded.digest };
}

/**
 * The hub's settings for a process that runs on (serve): re-read on `reload()` (SIGHUP) and when
 * a file changes (a watcher on the data dir and its policies/ and profiles/ folders). A change
 * that does not load is reported and the previous settings stay in force.
 */
export class HubPolicySource {
  #state: HubPolicyState;
  readonly #listeners = new Set<(state: HubPolicyState) => void>();
  readonly #watchers: FSWatcher[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly dataDir: string,
    readonly now: () => Date = () => new Date(),
  ) {
    const loaded = loadHubPolicy(dataDir);
    if (!loaded.ok) throw new ConfigError(loaded.errors.join('\n'));
    this.#state = {
      policy: loaded.policy,
      digest: loaded.digest,
      files: loaded.files,
      loadedAt: now().toISOString(),
    };
  }

  current(): HubPolicyState {
    return this.#state;
  }

  /** Called after each reload that changed the settings in force, or their error. */
  onChange(listener: (state: HubPolicyState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Re-reads the files; returns whether the settings in force changed. */
  reload(): boolean {
    const loaded = loadHubPolicy(this.dataDir);
    const at = this.now().toISOString();
    const before = this.#state;
    if (!loaded.ok) {
      const message = loaded.errors.join('\n');
      if (before.error?.message === message) return false;
      this.#state = { ...before, error: { message, at } };
      this.#emit();
      return false;
    }
    if (loaded.digest === before.digest && !before.error) return false;
    const changed = loaded.digest !== before.digest;
    this.#state = { policy: loaded.policy, digest: loaded.digest, files: loaded.files, loadedAt: at };
    this.#emit();
    return changed;
  }

  /**
   * Watches the data dir and its settings folders. Editors write files in several steps, so
   * events are gathered for `settleMs` before one reload. A folder created later is picked up
   * by the data dir's own watcher (its creation is an event there).
   */
  watch(settleMs = 200): void {
    const schedule = () => {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#rewatchFolders(schedule);
        this.reload();
      }, settleMs);
      this.#timer.unref();
    };
    this.#add(this.dataDir, (name) => {
      // Without a name (some platforms) anything may have changed.
      if (name === null || SETTINGS.has(name)) schedule();
    });
    this.#rewatchFolders(schedule);
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    for (const w of this.#watchers.splice(0)) w.close();
    this.#folders.clear();
  }

  readonly #folders = new Set<string>();

  #rewatchFolders(schedule: () => void): void {
    for (const rel of [HUB_POLICIES_DIR, HUB_PROFILES_DIR]) {
      const dir = join(this.dataDir, rel);
      if (this.#folders.has(dir) || !existsSync(dir)) continue;
      if (this.#add(dir, schedule)) this.#folders.add(dir);
    }
  }

  #add(path: string, onEvent: (name: string | null) => void): boolean {
    try {
      const w = watch(path, { persistent: false }, (_event, name) => onEvent(name));
      // A watched folder that is removed errors: the data dir's watcher still sees the change.
      w.on('error', () => w.close());
      this.#watchers.push(w);
      return true;
    } catch {
      return false;
    }
  }

  #emit(): void {
    for (const l of this.#listeners) l(this.#state);
  }
}
