import { usageError } from './cli-error.js';

const MAX_INPUT = 4096;

/** Standard input's lines (a password, then maybe a code), at most 4 KiB, line endings removed. */
export async function readStdinLines(option: string): Promise<string[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_INPUT) throw usageError(`${option}: the input is longer than ${MAX_INPUT} bytes`);
  }
  const lines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  if ((lines[0] ?? '') === '') throw usageError(`${option}: standard input is empty`);
  return lines;
}

/** Reads a password from standard input: the first line, without its line ending. */
export async function readPasswordFromStdin(): Promise<string> {
  return (await readStdinLines('--password-stdin'))[0] as string;
}

/** Asks on the terminal without echoing what is typed (a password, a code). */
export function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    return Promise.reject(usageError('no terminal to ask on: give the password with --password-stdin'));
  }
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(usageError('interrupted'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (typed.length < MAX_INPUT) typed += ch;
      }
    };
    input.on('data', onData);
  });
}

/** A new password: from standard input, else asked twice on the terminal. */
export async function readNewPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return readPasswordFromStdin();
  const first = await promptHidden('New password: ');
  const again = await promptHidden('Same password again: ');
  if (first !== again) throw usageError('the two passwords differ');
  return first;
}
