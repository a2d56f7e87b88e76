import type { Action } from '../access/access-roles.js';
import type { Hub } from '../app/hub.js';
import { openHubAt } from '../app/hub-open.js';
import { type Actor, requireActor } from './cli-actor.js';

export interface HubOptions {
  data?: string | undefined;
  db?: string | undefined;
  /** The command only reads: SQLite is opened read-only (see HubLocation.readOnly). */
  readOnly?: boolean;
}

/**
 * Opens the hub --data / --db name and checks that the signed-in user may do `action`, before
 * the command reads or changes anything; runs `fn`, then closes the hub.
 */
export async function withHubAs<T>(
  opts: HubOptions,
  action: Action,
  fn: (hub: Hub, actor: Actor) => Promise<T>,
): Promise<T> {
  const hub = await openHubAt(opts);
  try {
    return await fn(hub, await requireActor(hub, opts, action));
  } finally {
    await hub.close();
  }
}

/** requireActor for a command that opened the hub itself: closes the hub when refused. */
export async function requireActorOrClose(hub: Hub, opts: HubOptions, action: Action): Promise<Actor> {
  try {
    return await requireActor(hub, opts, action);
  } catch (err) {
    await hub.close();
    throw err;
  }
}
