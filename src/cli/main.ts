import { isAbsolute } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, dataDirPaths, resolveDataDir } from '../app/data-dir.js';
import {
  describeStorageFault,
  refineStorageFault,
  StorageOpenError,
  storageFaultOf,
} from '../store/storage-fault.js';
import { CliError, EXIT_FAIL, EXIT_USAGE } from './cli-error.js';
import { markRequiredOptions } from './cli-help.js';
import { commandsFor } from './commands.js';

/** The program for this command line (only the named command is loaded; see commandsFor). */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('tearline')
    .description('Share counter-terrorism intelligence with partners you only partly trust')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of await commandsFor(argv)) register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  addDatabaseOption(program);
  markRequiredOptions(program);
  return program;
}

// Commands that build a data dir's SQLite hub from nothing: they take no --db.
const SQLITE_ONLY = new Set(['demo']);
// Commands whose --data is not a hub's data dir (a witness keeps its own key and state).
const NOT_A_HUB = new Set(['witness']);

/**
 * Every command that opens a hub's data dir works on PostgreSQL too: it gets --db unless it
 * declares its own (the data dir still gives the config and keys).
 */
function addDatabaseOption(parent: Command): void {
  for (const cmd of parent.commands) {
    if (NOT_A_HUB.has(cmd.name())) continue;
    addDatabaseOption(cmd);
    const has = (flag: string) => cmd.options.some((o) => o.long === flag);
    if (SQLITE_ONLY.has(cmd.name()) || !has('--data') || has('--db')) continue;
    cmd.option(
      '--db <url>',
      'postgres://… when the hub runs on PostgreSQL (default: the data dir, or $TEARLINE_DB)',
    );
  }
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit through here with code 0; real usage errors were already printed.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof CliError) {
      process.stderr.write(`tearline: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof ConfigError || err instanceof StorageOpenError) {
      process.stderr.write(`tearline: ${err.message}\n`);
      return EXIT_FAIL;
    }
    const fault = storageFaultOf(err);
    if (fault) {
      const where = faultLocation(err, argv);
      const refined = isAbsolute(where) ? refineStorageFault(fault, where) : fault;
      process.stderr.write(`tearline: ${describeStorageFault(refined, where)}\n`);
      return EXIT_FAIL;
    }
    process.stderr.write(`tearline: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT_FAIL;
  }
}

/** Where a storage fault happened: the file a system call named, else the hub's database. */
function faultLocation(err: unknown, argv: readonly string[]): string {
  const path = (err as { path?: unknown }).path;
  if (typeof path === 'string') return path;
  const option = (name: string) => {
    const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (i < 0) return undefined;
    const arg = argv[i] as string;
    return arg.includes('=') ? arg.slice(name.length + 1) : argv[i + 1];
  };
  if (option('--db') ?? process.env.TEARLINE_DB) return 'the PostgreSQL database (--db)';
  return dataDirPaths(resolveDataDir(option('--data'))).database;
}

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
