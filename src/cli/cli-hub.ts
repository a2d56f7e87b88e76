import type { Command } from 'commander';
import type { Action } from '../access/access-roles.js';
import type { Hub } from '../app/hub.js';
import { openHubAt } from '../app/hub-open.js';
import type { HubState } from '../app/hub-state.js';
import type { Partner } from '../store/hub/partner-store.js';
import { type Actor, requireActor } from './cli-actor.js';
import { DATA_OPTION, type DataOption } from './cli-arguments.js';
import { CliError } from './cli-error.js';
import { JSON_OPTION } from './cli-output.js';

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

/** The partner named (or with that id), or an error saying how to list them. */
export async function requirePartner(state: Pick<HubState, 'partners'>, nameOrId: string): Promise<Partner> {
  const p = await state.partners.get(nameOrId);
  if (!p) throw new CliError(`no partner named or with id "${nameOrId}" (see: tearline partner list)`);
  return p;
}

/** For commands that only read: they keep working on a read-only or full disk. */
export const READ_ONLY = { readOnly: true } as const;

/**
 * Runs `fn` on the hub state of an initialised data dir (its SQLite file or the PostgreSQL
 * database --db / TEARLINE_DB names) as the signed-in user, who must be allowed `action`.
 */
export async function withHubState<T>(
  opts: DataOption & { db?: string },
  action: Action,
  fn: (state: HubState, actor: Actor) => Promise<T>,
  access: { readOnly?: boolean } = {},
): Promise<T> {
  return withHubAs({ ...opts, readOnly: access.readOnly ?? false }, action, (hub, actor) =>
    fn(hub.state, actor),
  );
}

/** The options every partner-reading command takes (--data, --db, --json, and its own). */
export type PartnerReadOptions<O> = DataOption & { db?: string; json?: boolean } & O;

/**
 * `NAME <partner>` under `parent`: a command that reads one partner's records, with --data and
 * --json, run read-only (it works on a read-only or full disk) by a signed-in user allowed to
 * read. `show` gets the hub state, the partner named and the options. Returns the command, so a
 * caller adds options of its own.
 */
export function partnerReadCommand<O extends object = object>(
  parent: Command,
  name: string,
  description: string,
  show: (state: HubState, partner: Partner, opts: PartnerReadOptions<O>) => Promise<void>,
): Command {
  return parent
    .command(`${name} <partner>`)
    .description(description)
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action((nameOrId: string, opts: PartnerReadOptions<O>) =>
      withHubState(
        opts,
        'read',
        async (state) => show(state, await requirePartner(state, nameOrId), opts),
        READ_ONLY,
      ),
    );
}
