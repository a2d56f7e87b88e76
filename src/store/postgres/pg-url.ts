import { userInfo } from 'node:os';
import type pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

export type PgUrlResult =
  | { ok: true; config: pg.ClientConfig; schema: string | undefined }
  | { ok: false; message: string };

/** Whether a --db / TEARLINE_DB value names a PostgreSQL database. */
export function isPgUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** The URL as it may appear in an error or a log: never with its password. */
export function describePgUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/**
 * The connection a postgres:// URL names, read as libpq reads it (what psql accepts):
 * `postgres:///NAME?host=/var/run/postgresql` (a Unix socket), `postgres://user@/NAME?host=...`
 * (no host part), percent-encoded socket paths. WHATWG URL parsing refuses the empty-host forms,
 * so this uses pg's own parser. With no user in the URL, like libpq: $PGUSER, else the name of
 * the operating-system user (even when $USER is unset, as under systemd or cron).
 * `?schema=NAME` is Tearline's, not a connection parameter: it comes back on its own.
 */
export function readPgUrl(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  osUser: () => string = () => userInfo().username,
): PgUrlResult {
  if (!isPgUrl(url)) return { ok: false, message: `'${describePgUrl(url)}' is not a postgres:// URL` };
  let parsed: pg.ClientConfig & { schema?: unknown };
  try {
    parsed = parseIntoClientConfig(url);
  } catch (err) {
    // pg's parser redacts the URL from its own errors; an unreadable sslcert file names its path.
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, message: `'${describePgUrl(url)}' is not a valid postgres:// URL (${why})` };
  }
  const { schema, ...config } = parsed;
  if (!config.user) {
    delete config.user;
    const user = env.PGUSER || osUserOrUndefined(osUser);
    if (user) config.user = user;
  }
  return { ok: true, config, schema: typeof schema === 'string' ? schema : undefined };
}

function osUserOrUndefined(osUser: () => string): string | undefined {
  try {
    return osUser() || undefined;
  } catch {
    // A uid with no passwd entry (some containers): leave it to pg, which names what is missing.
    return undefined;
  }
}
