/** A command's --json answer: indented, one document, newline-terminated. */
/** The --json option of every command that can print its result as JSON. */
export const JSON_OPTION = ['--json', 'print the result as JSON'] as const;

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
