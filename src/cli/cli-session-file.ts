import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { deniedError } from './cli-error.js';

/**
 * A CLI session lives in one file per OS user and hub, under $XDG_STATE_HOME (default
 * ~/.local/state): mode 0600 in a 0700 directory, refused when another account owns it or can
 * read it. The file holds the session id; the hub keeps only its hash, bound to the OS account
 * that signed in, so a copied file does not work for another account.
 */
export interface SessionFile {
  hub: string;
  user: string;
  session: string;
  expires_at: string;
}

/** This process's OS account, as sessions and approvals record it. */
export function osAccount(): string {
  const u = userInfo();
  return `os:${u.uid}:${u.username}@${hostname()}`;
}

/** Which hub a session belongs to: its data dir and, on PostgreSQL, its server and database. */
export function hubKeyOf(dataDir: string, db: string | undefined): string {
  let where = '';
  if (db) {
    try {
      const u = new URL(db);
      // Never the password: the key names the place, not the credential.
      where = `${u.protocol}//${u.username}@${u.host}${u.pathname}${u.search}`;
    } catch {
      where = 'invalid-url';
    }
  }
  return `${dataDir}\u0000${where}`;
}

export function sessionFilePath(hubKey: string, env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME?.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  const name = createHash('sha256').update(hubKey).digest('hex').slice(0, 32);
  return join(state, 'tearline', 'sessions', `${name}.json`);
}

/** The session file, or undefined when there is none; refuses one that others could read. */
export function readSessionFile(path: string): SessionFile | undefined {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch {
    return undefined;
  }
  const uid = process.getuid?.();
  if (!st.isFile() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) {
    throw deniedError(
      `${path}: the session file is not a private file of this OS user (mode 0600): delete it and sign in again`,
    );
  }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as SessionFile;
    if (typeof parsed.session !== 'string' || typeof parsed.user !== 'string') return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

export function writeSessionFile(path: string, content: SessionFile): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(content)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, path);
}

export function removeSessionFile(path: string): void {
  rmSync(path, { force: true });
}
