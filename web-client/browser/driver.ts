// Browser driver: lets the Java browser tests (src/test/java/io/parley/web/browser) drive
// Debian's Chromium through playwright-core, one JSON request per line on stdin ({id, op, ...})
// and one JSON reply per line on stdout. Each named party is a browser context of its own (its
// own IndexedDB), with one page. Waits are Playwright's awaited conditions with deadlines.
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

type Request = Record<string, any> & { id: number; op: string };

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  // Voice notes and calls: a fake camera and microphone (a beep) granted without a prompt; media
  // plays without a gesture.
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'];
const DEFAULT_TIMEOUT_MS = 60_000;

let browser: Browser;
const contexts = new Map<string, { context: BrowserContext; page: Page }>();
const consoleLines: string[] = [];
/** Per party, the media HTTP requests its page made (method and path), for tests that assert none went. */
const mediaRequests = new Map<string, string[]>();

function page(name: string): Page {
  const party = contexts.get(name);
  if (party === undefined) throw new Error(`no browser context ${name}`);
  return party.page;
}

function timeout(r: Request): number {
  return r.timeoutMs ?? DEFAULT_TIMEOUT_MS;
}

const operations: Record<string, (r: Request) => Promise<unknown>> = {
  async newContext(r) {
    const context = await browser.newContext({ viewport: { width: r.width ?? 1100, height: r.height ?? 700 } });
    context.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
    if (r.permissions !== undefined) await context.grantPermissions(r.permissions);
    if (r.initScript !== undefined) await context.addInitScript({ content: r.initScript });
    const p = await context.newPage();
    p.on('console', (m) => consoleLines.push(`[${r.name}] ${m.type()}: ${m.text()}`));
    p.on('pageerror', (e) => consoleLines.push(`[${r.name}] pageerror: ${e.message}`));
    mediaRequests.set(r.name, []);
    p.on('request', (q) => {
      const url = new URL(q.url());
      if (url.pathname.startsWith('/v1/media/')) mediaRequests.get(r.name)?.push(`${q.method()} ${url.pathname}`);
    });
    contexts.set(r.name, { context, page: p });
    return {};
  },
  async goto(r) {
    await page(r.name).goto(r.url, { timeout: timeout(r) });
    return {};
  },
  async reload(r) {
    await page(r.name).reload({ timeout: timeout(r) });
    return {};
  },
  async fill(r) {
    await page(r.name).locator(r.selector).first().fill(r.text, { timeout: timeout(r) });
    return {};
  },
  async click(r) {
    const target = r.text === undefined ? page(r.name).locator(r.selector) : page(r.name).locator(r.selector, { hasText: r.text });
    await target.first().click({ timeout: timeout(r) });
    return {};
  },
  /** Chooses an option of a <select> by its value. */
  async select(r) {
    await page(r.name).locator(r.selector).first().selectOption(r.value, { timeout: timeout(r) });
    return {};
  },
  async press(r) {
    await page(r.name).locator(r.selector).first().press(r.key, { timeout: timeout(r) });
    return {};
  },
  /** Waits until an element matching the selector (and containing the text, if given) is visible. */
  async waitFor(r) {
    const target = r.text === undefined ? page(r.name).locator(r.selector) : page(r.name).locator(r.selector, { hasText: r.text });
    await target.first().waitFor({ state: r.state ?? 'visible', timeout: timeout(r) });
    return {};
  },
  /** Waits until a page expression is truthy, and returns its value. */
  async waitUntil(r) {
    const handle = await page(r.name).waitForFunction(callInPage, [r.expression, r.arg], { timeout: timeout(r), polling: 50 });
    return { value: await handle.jsonValue() };
  },
  /** Answers the next dialog (window.prompt or confirm) of the page with this text. */
  async answerNextDialog(r) {
    page(r.name).once('dialog', (dialog) => void dialog.accept(r.text));
    return {};
  },
  /** Chooses files (paths on this machine) in a file input, as a person picking them would. */
  async setFiles(r) {
    await page(r.name).locator(r.selector).first().setInputFiles(r.paths, { timeout: timeout(r) });
    return {};
  },
  /** The page's next request of this method to a path starting with this prefix fails as a cut connection would. */
  async failNextRequest(r) {
    const p = page(r.name);
    let failed = false;
    await p.route((url) => url.pathname.startsWith(r.pathPrefix), (route) => {
      if (!failed && route.request().method() === r.method) {
        failed = true;
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    return {};
  },
  async mediaRequests(r) {
    return { requests: mediaRequests.get(r.name) ?? [] };
  },
  async texts(r) {
    return { texts: await page(r.name).locator(r.selector).allInnerTexts() };
  },
  async attributes(r) {
    const values = await page(r.name).locator(r.selector).evaluateAll((els, a) => els.map((e) => e.getAttribute(a as string)), r.attribute);
    return { values };
  },
  async evaluate(r) {
    return { value: await page(r.name).evaluate(callInPage, [r.expression, r.arg]) };
  },
  async screenshot(r) {
    await page(r.name).screenshot({ path: r.path });
    return {};
  },
  async console() {
    return { lines: consoleLines.splice(0) };
  },
  /**
   * Delivers a push message's (decrypted) data into the page's origin's service worker, as the
   * browser does when its push service hands it one (DevTools ServiceWorker.deliverPushMessage).
   */
  async deliverPush(r) {
    const p = page(r.name);
    const cdp = await p.context().newCDPSession(p);
    const origin = new URL(p.url()).origin;
    const registrations = new Promise<string>((resolve) => cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
      const found = e.registrations.find((g) => !g.isDeleted && g.scopeURL.startsWith(origin));
      if (found !== undefined) resolve(found.registrationId);
    }));
    await cdp.send('ServiceWorker.enable');
    const registrationId = await Promise.race([registrations, new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no service worker registered for ${origin}`)), timeout(r)))]);
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: r.data });
    await cdp.detach();
    return { registrationId };
  },
  async closeContext(r) {
    await contexts.get(r.name)?.context.close();
    contexts.delete(r.name);
    return {};
  },
};

/** Runs in the page: evaluates the function source the test sent and calls it with its argument. */
function callInPage([source, arg]: unknown[]): unknown {
  return (0, eval)(`(${source})`)(arg);
}

function reply(value: object): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

async function main(): Promise<void> {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // Playwright gives the browser a fresh temporary profile of its own (no --user-data-dir here).
    args: FLAGS,
  });
  reply({ ok: true, version: browser.version() });
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const request = JSON.parse(line) as Request;
    try {
      const operation = operations[request.op];
      if (operation === undefined) throw new Error(`unknown op ${request.op}`);
      reply({ id: request.id, ok: true, result: await operation(request) });
    } catch (e) {
      reply({ id: request.id, ok: false, error: (e as Error).message, console: consoleLines.splice(0) });
    }
  }
  await browser.close();
}

main().catch((e) => {
  reply({ ok: false, error: String(e) });
  process.exit(1);
});
