import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './cli-error.js';

/** Where Chromium is looked for: TEARLINE_CHROMIUM, then Debian's and others' usual paths. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const PDF_TIMEOUT_MS = 120_000;

/** How the hub runs Chromium (and its tests drive it): headless, no sandbox, nothing fetched on its own. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env.TEARLINE_CHROMIUM;
  if (named) return existsSync(named) ? named : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/**
 * The report's HTML printed to PDF by a local headless Chromium (the same print stylesheet a
 * browser uses: A4 landscape, repeated table headers). The HTML is self-contained and Chromium
 * runs with networking off, so printing reaches nothing outside this machine; the files live in a
 * private temporary directory removed afterwards.
 */
export function printHtmlToPdf(html: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const chromium = findChromium(env);
  if (!chromium)
    throw new CliError(
      env.TEARLINE_CHROMIUM
        ? `TEARLINE_CHROMIUM=${env.TEARLINE_CHROMIUM}: no such file`
        : 'a PDF needs Chromium (apt-get install chromium, or TEARLINE_CHROMIUM=PATH); --format html gives the same report to print from a browser',
    );
  const dir = mkdtempSync(join(tmpdir(), 'tearline-pdf-'));
  try {
    const page = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    writeFileSync(page, html, { mode: 0o600 });
    const run = spawnSync(
      chromium,
      [
        ...CHROMIUM_FLAGS,
        '--no-first-run',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${pdf}`,
        pathToFileURL(page).href,
      ],
      { encoding: 'utf8', timeout: PDF_TIMEOUT_MS, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (run.error || !existsSync(pdf))
      throw new CliError(
        `Chromium (${chromium}) did not print the report: ${run.error?.message ?? `exit ${run.status}`}${
          run.stderr ? `; ${run.stderr.trim().split('\n').slice(-1)[0]}` : ''
        }`,
      );
    return readFileSync(pdf);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
