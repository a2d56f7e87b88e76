#!/usr/bin/env node
// `npm start`: build what is stale, create ./tearline-data with the demo scenario if there is
// none, then show what the hub holds and serve the console and TAXII.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = process.env.TEARLINE_DATA ?? join(root, 'tearline-data');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const built = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(built) || statSync(built).mtimeMs < newestMtime(join(root, 'src'))) {
  console.log('building ...');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}

// The console: web/dist is built output (never committed); rebuild it when web/ is newer.
const webBuilt = join(root, 'web', 'dist', 'index.html');
if (!existsSync(webBuilt) || statSync(webBuilt).mtimeMs < newestMtime(join(root, 'web', 'src'))) {
  console.log('building the web console ...');
  execFileSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
}

const tearline = (...args) =>
  execFileSync(process.execPath, [join(root, 'bin', 'tearline.js'), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
// A fresh data dir gets the demo in one command: it creates the hub, its users (one per role,
// passwords printed below) and the partners' tokens. An existing one is served as it is.
const fresh = !existsSync(join(data, 'config.json'));
if (fresh) tearline('demo', '--data', data);
else console.log(`using the hub in ${data} (sign in with its users; 'tearline login NAME' for the CLI)`);
// Serve until interrupted: the console at /, TAXII at /taxii2/.
const port = process.env.PORT ?? '9400';
// PORT=0 lets the system choose: the address is then the one `serve` prints next.
const where = port === '0' ? 'at / on the address serve prints below' : `http://127.0.0.1:${port}/`;
console.log(`\nTearline console: ${where}  (sign in with a user above; Ctrl-C stops)`);
tearline('serve', '--data', data, '--port', port, '--log-level', 'warn');
