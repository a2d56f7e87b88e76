import { Command, CommanderError } from 'commander';
import { ConfigError } from '../app/data-dir.js';
import { CliError, EXIT_FAIL, EXIT_USAGE } from './cli-error.js';
import { COMMANDS } from './commands.js';

export function buildProgram(): Command {
  const program = new Command('tearline')
    .description('Share counter-terrorism intelligence with partners you only partly trust')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
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
    if (err instanceof ConfigError) {
      process.stderr.write(`tearline: ${err.message}\n`);
      return EXIT_FAIL;
    }
    process.stderr.write(`tearline: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT_FAIL;
  }
}

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
