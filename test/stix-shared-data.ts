import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..');

/**
 * The read-only shared/ folder: `../shared` beside the clone (CI and the main checkout); from a
 * nested worktree, the nearest ancestor that has one.
 */
export function sharedDataPath(...parts: string[]): string {
  let dir = repoRoot;
  for (;;) {
    const candidate = join(dir, '..', 'shared');
    if (existsSync(join(candidate, 'data'))) return join(candidate, ...parts);
    const parent = dirname(dir);
    if (parent === dir) return join(repoRoot, '..', 'shared', ...parts);
    dir = parent;
  }
}
