import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../src/cli/report-pdf.js';

/** Debian's Chromium, never a downloaded one (nothing may download at run time). */
export const CHROMIUM = '/usr/bin/chromium';

/** The browser every console end-to-end test drives; says what to install when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS] });
}
