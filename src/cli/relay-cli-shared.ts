import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Action } from '../access/access-roles.js';
import type { Hub } from '../app/hub.js';
import { openHubAt } from '../app/hub-open.js';
import { RelayClientError, RelayStepError } from '../app/relay-client.js';
import { type Actor, requireActor } from './cli-actor.js';
import { CliError, usageError } from './cli-error.js';

export interface DataOpts {
  data?: string;
  db?: string;
  json?: boolean;
}

/** Opens the hub and acts for the signed-in user, if the role table lets them do `action`. */
export async function withHub<T>(
  o: DataOpts,
  action: Action,
  work: (hub: Hub, actor: Actor) => Promise<T>,
): Promise<T> {
  const hub = await openHubAt(o);
  try {
    return await work(hub, await requireActor(hub, o, action));
  } catch (err) {
    if (err instanceof RelayClientError || err instanceof RelayStepError) throw new CliError(err.message);
    throw err;
  } finally {
    await hub.close();
  }
}

export function relayBase(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usageError(`relay URL "${url}" is not an absolute http(s) URL such as https://relay.example:9500/`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw usageError(`relay URL "${url}" must use http or https`);
  return `${u.origin}/`;
}

/** The token a hub uses on one relay: kept in keys/ (0600) beside its other secrets, never in the database. */
export function tokenPath(hub: Hub, relayUrl: string): string {
  return join(
    hub.paths.keys,
    `relay-${createHash('sha256').update(relayUrl).digest('hex').slice(0, 16)}.token`,
  );
}

export function print(o: DataOpts, json: unknown, text: string): void {
  process.stdout.write(o.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
}
