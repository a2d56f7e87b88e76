import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { importStream } from '../src/ingest/import-stream.js';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { launchChromium } from './chromium-fixture.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';
import { REPO_ROOT, tempDir } from './run-cli.js';

// The threat picture with real data beside the demo: MITRE ATT&CK for ICS and CAPEC (4,500
// objects) imported into the ISIS-K hub. The picture opens on the hub's focus actor, the timeline
// puts Crocus City Hall in March 2024 with labelled axis, zoom and a lane per partner, and a graph
// of a real actor's neighbourhood draws no label over another. Screenshots under the temp dir.
const SHOTS = join(tempDir('tearline-threat-e2e-'), 'screenshots');

let hub: Hub;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let browser: Browser;
let base: string;

async function signIn(name = 'analyst', at = '#/threat', heading = 'Threat picture'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/${at}`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(passwordOf(scenario, name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: heading }).waitFor();
  return page;
}

/** Rendered boxes of the labels drawn (not those left to hover) that overlap another. */
async function overlappingLabels(page: Page): Promise<{ shown: number; overlaps: string[] }> {
  return page
    .getByTestId('graph')
    .first()
    .evaluate((graph) => {
      // Labels left to hover carry label-hidden (display: none until pointed at).
      const texts = [...graph.querySelectorAll('svg[role="group"] text')].filter(
        (t) => !t.classList.contains('label-hidden'),
      );
      const boxes = texts.map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect() }));
      const overlaps: string[] = [];
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]] as [(typeof boxes)[number], (typeof boxes)[number]];
          const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          // Half a pixel of anti-aliasing either way is not an overlap a reader sees.
          if (w > 0.5 && h > 0.5) overlaps.push(`"${a.text}" / "${b.text}"`);
        }
      return { shown: boxes.length, overlaps };
    });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  console.info(`threat e2e screenshots: ${SHOTS}`);
  ({ hub, scenario } = await openDemoHub((paths) => {
    const config = JSON.parse(readFileSync(paths.config, 'utf8')) as Record<string, unknown>;
    writeFileSync(paths.config, JSON.stringify({ ...config, focus_actor: 'ISIS-K' }));
  }));
  for (const [file, level] of [
    ['ics-attack-18.1.json', 'green'],
    ['capec-2.1.json', 'amber'],
  ] as const) {
    const summary = await importStream(
      createReadStream(join(REPO_ROOT, 'test', 'fixtures', 'stix', `${file}.gz`)).pipe(createGunzip()),
      hub.objects,
      {
        source: `file:${file}`,
        actor: 'analyst',
        maxObjectBytes: hub.config.max_object_bytes,
        marking: { id: tlp2MarkingId(level), kind: 'tlp' },
      },
    );
    // CAPEC 2.1 holds two objects the validator refuses (they go to quarantine); the rest loads.
    if (summary.added < 1500) throw new Error(`${file}: only ${summary.added} added`);
  }
  app = buildConsoleServer(hub);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  hub?.close();
});

describe('the threat picture with ATT&CK for ICS and CAPEC beside the demo', () => {
  it("opens on the hub's focus actor and puts Crocus City Hall in March 2024 on a labelled, zoomable timeline", async () => {
    const page = await signIn();
    const chart = page.getByTestId('timeline-chart');
    await chart.waitFor();
    // The hub's focus, not the ICS actor with the most links.
    expect(await page.getByTestId('focus-why').textContent()).toContain("the hub's focus");
    expect(await page.getByLabel('Threat actor').locator('option:checked').textContent()).toMatch(/^ISIS-K /);
    const incidents = page.getByTestId('timeline-incidents');
    expect(await incidents.textContent()).toContain('2024-03 Crocus City Hall attack');
    expect(await incidents.textContent()).toContain('2024-01 Kerman bombings');
    const march = chart.locator('g.bucket title', { hasText: /^2024-03: 1 incidents/ });
    expect(await march.textContent()).toContain('Crocus City Hall attack');
    // Axis labels: more than the two ends, and none runs into the next.
    const ticks = await chart.locator('text.axis-label').evaluateAll((ts) =>
      ts.map((t) => {
        const r = t.getBoundingClientRect();
        return { left: r.left, right: r.right, text: t.textContent };
      }),
    );
    expect(ticks.length).toBeGreaterThan(2);
    for (let i = 1; i < ticks.length; i++)
      expect(ticks[i]?.left, `${ticks[i - 1]?.text} / ${ticks[i]?.text}`).toBeGreaterThan(
        ticks[i - 1]?.right as number,
      );
    // A lane per partner that received something from this neighbourhood.
    expect(await chart.locator('g.lane').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '01-threat-focus.png'), fullPage: true });
    // Zoom to the first half of 2024: the incidents stay, the 2026 report leaves the view.
    await chart.getByLabel('Zoom from').selectOption({ label: '2024-01' });
    await chart.getByLabel('Zoom to').selectOption({ label: '2024-06' });
    const svg = chart.locator('svg[role="img"]');
    expect(await svg.getAttribute('aria-label')).toMatch(
      /^Timeline from 2024-01 to 2024-06\. Incidents: 2, Reports: 0/,
    );
    expect(await incidents.textContent()).toContain('Crocus City Hall attack');
    await page.screenshot({ path: join(SHOTS, '02-timeline-zoomed.png'), fullPage: true });
    await chart.getByRole('button', { name: 'Show all' }).click();
    // Back to the whole span: ISIS-K first seen in 2015 (its first_seen) to the releases of 2026.
    expect(await svg.getAttribute('aria-label')).toMatch(/^Timeline from 2015-01 to 2026-\d\d\./);
    await page.close();
  });

  it("draws a real actor's neighbourhood with no label over another, filters by type, and remembers the choice", async () => {
    const page = await signIn();
    // The ICS actor with the most links: the one that took over the default before a focus was set.
    const actors = (await (await page.request.get(`${base}/api/actors`)).json()) as {
      id: string;
      name: string;
    }[];
    const busiest = actors.find((a) => a.name !== 'ISIS-K') as { id: string; name: string };
    await page.getByLabel('Threat actor').selectOption(busiest.id);
    const graph = page.getByTestId('graph').first();
    await page.getByRole('heading', { name: `Within two hops of ${busiest.name}` }).waitFor();
    const nodes = graph.locator('svg[role="group"] g.node');
    const drawn = await nodes.count();
    expect(drawn).toBeGreaterThan(20);
    const { shown, overlaps } = await overlappingLabels(page);
    expect(overlaps).toEqual([]);
    // Legible is not empty: the centre and the best-linked neighbours keep their names.
    expect(shown).toBeGreaterThan(8);
    expect(await graph.locator(`g.node.selected text`).first().isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, '03-graph-real-data.png'), fullPage: true });
    // Every name is one pointer away: a node whose label was left out shows it on hover.
    const hidden = graph.locator('g.node:has(text.label-hidden)').first();
    if ((await hidden.count()) > 0) {
      await hidden.hover();
      expect(await hidden.locator('text').isVisible()).toBe(true);
    }
    // Untick a type: its nodes leave the drawing, the legend keeps its count to tick it back.
    const legend = page.getByTestId('graph-legend').first();
    const type = (await legend.locator('label').allTextContents())
      .map((t) => /^\s*([a-z0-9-]+) \((\d+)\)/.exec(t))
      .filter((m): m is RegExpExecArray => m !== null)
      .sort((a, b) => Number(b[2]) - Number(a[2]))[0] as RegExpExecArray;
    const [, typeName, typeCount] = type;
    const before = await graph.locator(`svg[role="group"] g.node-${typeName}`).count();
    expect(before).toBe(Number(typeCount));
    await legend
      .locator('label', { hasText: `${typeName} (` })
      .locator('input')
      .uncheck();
    expect(await graph.locator(`svg[role="group"] g.node-${typeName}`).count()).toBeLessThanOrEqual(
      typeName === 'intrusion-set' ? 1 : 0,
    );
    expect(await nodes.count()).toBeLessThan(drawn);
    expect((await overlappingLabels(page)).overlaps).toEqual([]);
    // "Latest" lists what the analyst chooses: attack patterns too, for an ICS actor.
    const latest = page.locator('ul.latest');
    expect(await latest.locator('.type').allTextContents()).not.toContain('attack-pattern');
    await page.locator('details.latest-types summary').click();
    await page.locator('details.latest-types label', { hasText: 'attack-pattern' }).locator('input').check();
    await latest.locator('.type', { hasText: 'attack-pattern' }).first().waitFor();
    // The choice is remembered in this browser: the plain threat page opens on it again.
    await page.goto(`${base}/#/audit`);
    await page.goto(`${base}/#/threat`);
    await page.getByRole('heading', { name: `Within two hops of ${busiest.name}` }).waitFor();
    expect(await page.getByTestId('focus-why').textContent()).toContain('your choice');
    await latest.locator('.type', { hasText: 'attack-pattern' }).first().waitFor();
    await page.close();
  });

  it("lists the real imports in the audit trail as sentences, and the disclosure report's counts add up", async () => {
    const page = await signIn('overseer', '#/audit', 'Audit trail');
    const list = page.getByTestId('audit-list');
    await list.waitFor();
    await page.locator('select[name=kind]').selectOption('ingest-batch');
    await page.getByRole('button', { name: 'Filter' }).click();
    await list.getByTestId('sentence').filter({ hasText: 'from file:capec-2.1.json' }).first().waitFor();
    const sentences = await list.getByTestId('sentence').allTextContents();
    expect(sentences.every((t) => /^analyst imported \d+ objects? from /.test(t))).toBe(true);
    expect(sentences.some((t) => t.includes('from file:ics-attack-18.1.json'))).toBe(true);
    await page.screenshot({ path: join(SHOTS, '04-audit-real-imports.png'), fullPage: true });
    // The ally's report over the whole history, with 4,500 more objects in the store: each
    // withheld object counted once, under its first reason.
    const report = await page.request.get(
      `${base}/api/reports/disclosures?partner=allied-service&from=2026-01-01&to=2026-12-31&format=json`,
    );
    expect(report.status()).toBe(200);
    const doc = (await report.json()) as {
      withheld: unknown[];
      withheld_by_first_reason: Record<string, number>;
    };
    expect(doc.withheld.length).toBeGreaterThan(1000);
    expect(Object.values(doc.withheld_by_first_reason).reduce((a, b) => a + b, 0)).toBe(doc.withheld.length);
    await page.close();
  });
});
