/**
 * Exit codes: 0 success, 1 the input or the state says no, 2 the command line is wrong, 3 not
 * signed in, or the signed-in user may not do this.
 */
export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;
export const EXIT_DENIED = 3;

/** An error whose message is meant for the user as it is (no stack trace). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAIL,
  ) {
    super(message);
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}

export function deniedError(message: string): CliError {
  return new CliError(message, EXIT_DENIED);
}
