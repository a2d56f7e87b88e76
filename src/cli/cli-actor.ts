import { type Action, mayDoScoped, type Role, refusalOf } from '../access/access-roles.js';
import type { Hub } from '../app/hub.js';
import { deniedError } from './cli-error.js';
import { hubKeyOf, osAccount, readSessionFile, sessionFilePath } from './cli-session-file.js';

/** Who runs a CLI command, as proven by a session or an API key; never a name on the command line. */
export interface Actor {
  name: string;
  role: Role;
  /** What the credential may do: the role, or oversight for a read-only key. */
  scope: Role;
  auth: 'password' | 'password+totp' | 'key';
  /** The OS account (sessions), or the key id and OS account (keys): approvals compare it. */
  origin: string;
}

export const API_KEY_ENV = 'TEARLINE_API_KEY';

export interface HubWhere {
  db?: string | undefined;
}

/**
 * The signed-in user (TEARLINE_API_KEY first, else this OS user's session for this hub), or exit
 * 3 saying how to sign in. Checks the user is enabled and may do `action` (access-roles.ts)
 * before the command reads or changes anything else.
 */
export async function requireActor(hub: Hub, where: HubWhere, action: Action): Promise<Actor> {
  const actor = await currentActor(hub, where);
  if (!mayDoScoped(actor.role, actor.scope, action)) {
    const who = actor.scope === actor.role ? actor : { ...actor, role: actor.scope };
    throw deniedError(`${refusalOf(who, action)}${actor.auth === 'key' ? ' (with this API key)' : ''}`);
  }
  return actor;
}

export async function currentActor(hub: Hub, where: HubWhere): Promise<Actor> {
  const now = hub.clock.now();
  const { users, apiKeys, sessions } = hub.state;
  const me = osAccount();
  const presented = process.env[API_KEY_ENV];
  if (presented !== undefined && presented !== '') {
    const key = await apiKeys.verify(presented.trim(), now);
    const user = key && (await users.get(key.user_name));
    if (!key || !user?.enabled) {
      await hub.state.authEvents
        .record({
          at: new Date(),
          surface: 'cli',
          event: 'login-failed',
          account: `key:${/^tlk_([A-Za-z0-9_-]{16})\./.exec(presented.trim())?.[1] ?? 'malformed'}`,
          address: me,
        })
        .catch(() => {});
      throw deniedError(
        `${API_KEY_ENV}: not a live API key of an enabled user (revoked, expired or mistyped?); unset it to use your session`,
      );
    }
    return {
      name: user.name,
      role: user.role,
      scope: key.role,
      auth: 'key',
      origin: `key:${key.key_id} ${me}`,
    };
  }
  const path = sessionFilePath(hubKeyOf(hub.paths.dir, where.db ?? process.env.TEARLINE_DB));
  const file = readSessionFile(path);
  const session = file && (await sessions.find(file.session, now));
  if (!file || !session || session.kind !== 'cli' || session.origin !== me) {
    throw deniedError(
      `not signed in to this hub: run 'tearline login NAME' (or set ${API_KEY_ENV} to an API key)${file ? '; the session has ended' : ''}`,
    );
  }
  const user = await users.get(session.userName);
  if (!user?.enabled) throw deniedError(`${session.userName} is disabled: the session has ended`);
  return { name: user.name, role: user.role, scope: user.role, auth: session.auth, origin: me };
}
