// Browser figures for docs/benchmarks.md: the protocol benchmark (bench/ratchetBench.ts) run in
// headless Chromium, time to first paint of the app served by a node at --url, and the size of
// the built bundle. Run by perf/scenarios/web-client.sh (./parley bench web-client).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const PAINT_RUNS = 5;
const BENCH_TIMEOUT_MS = 600_000;

const url = process.argv[process.argv.indexOf('--url') + 1];
if (process.argv.indexOf('--url') < 0 || url === undefined) throw new Error('usage: bench.ts --url http://127.0.0.1:PORT/');
const messages = Number(process.env.BENCH_MESSAGES ?? 5_000);

/** The benchmark bundled for the browser (Node's process.* replaced by constants). */
async function benchmarkBundle(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    define: { 'process.env.BENCH_MESSAGES': JSON.stringify(String(messages)), 'process.version': '"(Chromium)"' },
    build: { write: false, target: 'es2022', minify: true, lib: { entry: 'bench/ratchetBench.ts', formats: ['es'], fileName: 'bench' } },
  });
  const result = Array.isArray(output) ? output[0]! : output;
  return (result as any).output[0].code;
}

function bundleSize(): { raw: number; gzip: number } {
  const dir = join('target', 'classes', 'parley-web');
  let raw = 0;
  let gzip = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const bytes = readFileSync(path);
        raw += bytes.length;
        gzip += gzipSync(bytes).length;
      }
    }
  };
  walk(dir);
  return { raw, gzip };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });
  const figures: Record<string, unknown> = { chromium: browser.version() };

  const paints: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < PAINT_RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('input[name=username]').waitFor();
    const timing = await page.evaluate(() => ({
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
      ready: performance.now(),
    }));
    paints.push(timing.paint);
    ready.push(timing.ready);
    await context.close();
  }
  figures.firstContentfulPaintMs = Math.round(median(paints));
  figures.welcomeReadyMs = Math.round(median(ready));
  const size = bundleSize();
  figures.bundleBytes = size.raw;
  figures.bundleGzipBytes = size.gzip;
  console.log(`first contentful paint ${figures.firstContentfulPaintMs} ms, welcome form ready ${figures.welcomeReadyMs} ms (median of ${PAINT_RUNS}, fresh profile)`);
  console.log(`bundle ${(size.raw / 1024).toFixed(1)} KiB, ${(size.gzip / 1024).toFixed(1)} KiB gzipped`);

  const page = await (await browser.newContext()).newPage();
  const lines: string[] = [];
  const finished = new Promise<void>((resolve) => page.on('console', (m) => {
    lines.push(m.text());
    console.log(`chromium: ${m.text()}`);
    if (m.text().startsWith('PQXDH set-up')) resolve();
  }));
  await page.goto(url);
  await page.addScriptTag({ content: await benchmarkBundle(), type: 'module' });
  // The timer is cleared once the benchmark finished: left running, it kept the process alive
  // after the figures were printed, and its late rejection then failed the scenario.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('benchmark timed out')), BENCH_TIMEOUT_MS);
  });
  await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
  figures.protocol = lines;
  await browser.close();
  console.log(JSON.stringify(figures));
}

await main();
