import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { CliError, usageError } from './cli-error.js';

/**
 * At most `max` bytes of a file or of standard input ('-'), as UTF-8; a missing file or one
 * larger than `max` is an error naming `what` and the path, read no further than the limit.
 */
export function readLimited(path: string, max: number, what: string): string {
  if (path !== '-' && (!existsSync(path) || !statSync(path).isFile()))
    throw usageError(`${what} ${path}: no such file`);
  const fd = path === '-' ? 0 : openSync(path, 'r');
  try {
    const buf = Buffer.alloc(max + 1);
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, size, buf.length - size, null);
      if (n === 0) break;
      size += n;
      if (size > max)
        throw new CliError(`${what}${path === '-' ? '' : ` ${path}`} is larger than ${max} bytes`);
    }
    return buf.subarray(0, size).toString('utf8');
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}
