import type { Role, UserStore } from '../store/hub/user-store.js';
import { CliError } from './cli-error.js';

/** Who runs a CLI action: a named hub user, or the local admin at the hub's own console. */
export interface Actor {
  name: string;
  role: Role;
}

export const LOCAL_ADMIN: Actor = { name: 'local-admin', role: 'admin' };

/**
 * The user named by --as (enabled), or the local admin when none is named. Refuses (exit 1)
 * when the user's role is not among `allowed`, before anything changes.
 */
export async function resolveActor(
  users: UserStore,
  as: string | undefined,
  allowed: readonly Role[],
  action: string,
): Promise<Actor> {
  let actor = LOCAL_ADMIN;
  if (as !== undefined) {
    const user = await users.get(as);
    if (!user) throw new CliError(`--as ${as}: no such user (see: tearline user list)`);
    if (!user.enabled) throw new CliError(`--as ${as}: the user is disabled`);
    actor = { name: user.name, role: user.role };
  }
  if (!allowed.includes(actor.role)) {
    throw new CliError(
      `${actor.name} (${actor.role}) may not ${action}; that takes: ${allowed.join(' or ')}`,
    );
  }
  return actor;
}
