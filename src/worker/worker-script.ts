import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The compiled script of a worker thread that lives beside `moduleUrl`. Node runs only
 * JavaScript in a worker: from the build that is the sibling `.js`; when the caller runs from
 * the TypeScript sources (the tests), it is the same file in the build under `dist/`, which the
 * test setup compiles from those sources first.
 */
export function workerScript(moduleUrl: string, name: string): URL {
  const sibling = new URL(`./${name}.js`, moduleUrl);
  if (existsSync(sibling)) return sibling;
  const path = fileURLToPath(sibling);
  const at = path.lastIndexOf('/src/');
  const built = at < 0 ? undefined : pathToFileURL(`${path.slice(0, at)}/dist${path.slice(at)}`);
  if (built && existsSync(built)) return built;
  throw new Error(`worker script ${name}.js not found beside ${fileURLToPath(moduleUrl)}: run npm run build`);
}
