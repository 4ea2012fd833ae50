// playground.test.mjs drives the GraphiQL page in Debian's Chromium against
// a real gateway on 127.0.0.1 and fails on anything that would break it
// offline: a request to another origin, a Content-Security-Policy
// violation, a query that does not run, a schema the docs cannot show.
//
//	node test/playground.test.mjs
//
// It builds the gateway from the repository root itself (INVESTGRAPH_BIN
// names a binary to use instead). CHROMIUM names the browser
// (/usr/bin/chromium by default). SCREENSHOT, relative to the repository
// root, is where the screenshot goes (docs/playground.png for the README);
// without it the screenshot is written to the system's temporary directory.
import { spawn, execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

// The design-card query, as a person would type it.
const QUERY =
  '{ company(name:"CITIC"){ name projects { role project { name capacityHistory { metric value unit asOf status } } } } }';

// Deadlines. A build with a cold Go cache takes about a minute on two
// cores; once the gateway is built, the rest has 90 s (it takes about 10).
const BUILD_MS = 180_000;
const TOTAL_MS = 90_000;
const START_MS = 20_000;
const STEP_MS = 15_000;

const passed = [];
let server;
let serverLog = '';
let browser;
let tmp;

// step runs one named check; the first failure ends the test.
async function step(name, fn) {
  try {
    await fn();
  } catch (err) {
    throw new Error(`${name}: ${err.message}`, { cause: err });
  }
  passed.push(name);
  console.log(`ok   ${name}`);
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base) {
  const deadline = Date.now() + START_MS;
  for (;;) {
    if (server.exitCode !== null) {
      throw new Error(`the server exited with ${server.exitCode}:\n${serverLog || '(no output)'}`);
    }
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`/healthz did not answer within ${START_MS / 1000} s:\n${serverLog}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// editorValue reads a GraphiQL editor's whole text from its CodeMirror
// instance: the pane itself renders only the lines in view.
function editorValue(page, selector) {
  return page.evaluate((sel) => document.querySelector(`${sel} .CodeMirror`)?.CodeMirror?.getValue() ?? null, selector);
}

async function main() {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'investgraph-playground-'));

  let bin = process.env.INVESTGRAPH_BIN;
  if (!bin) {
    bin = path.join(tmp, 'investgraph');
    await step('build the gateway', async () => {
      await promisify(execFile)('go', ['build', '-o', bin, '.'], { cwd: repoRoot, timeout: BUILD_MS });
    });
  }
  armWatchdog();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await step(`start the gateway on ${base}`, async () => {
    server = spawn(bin, ['-addr', `127.0.0.1:${port}`, '-db', process.env.INVESTGRAPH_TEST_POSTGRES || path.join(tmp, 'test.db')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.on('data', (d) => (serverLog += d));
    server.stderr.on('data', (d) => (serverLog += d));
    await waitHealthy(base);
  });

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
    timeout: STEP_MS,
  });
  // A new context has a fresh profile: no GraphiQL history, no saved query.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(STEP_MS);

  const blocked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== base) {
      blocked.push(url);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });

  const page = await context.newPage();
  const cspErrors = [];
  const consoleErrors = [];
  const pageErrors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
    else consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // Violations are also reported to the page, with the directive at fault.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });

  await step('open the page', async () => {
    const res = await page.goto(`${base}/`);
    assert(res.status() === 200, `GET / = ${res.status()}`);
    assert((await page.title()) === 'investgraph', `title = ${JSON.stringify(await page.title())}`);
    assert(res.headers()['content-security-policy']?.includes("default-src 'self'"), 'no Content-Security-Policy header');
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
  });

  await step('type the design-card query', async () => {
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(QUERY, { delay: 5 });
    await page.keyboard.press('Escape'); // closes an open completion list
    const got = await editorValue(page, '.graphiql-query-editor');
    // The editor closes brackets as they are typed and steps over the
    // closing ones, so the text must come out as typed.
    assert(got === QUERY, `the editor holds ${JSON.stringify(got)}`);
  });

  let result;
  await step('run it', async () => {
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(
      () => document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror?.getValue().includes('Caspi Bitum'),
      null,
      { timeout: STEP_MS },
    );
    result = JSON.parse(await editorValue(page, '.graphiql-response'));
    const shown = await page.locator('.graphiql-response').innerText();
    assert(shown.includes('Caspi Bitum'), 'the result pane does not show Caspi Bitum');
  });

  await step('the result holds the seed data', async () => {
    assert(!result.errors, `errors: ${JSON.stringify(result.errors)}`);
    const company = result.data?.company;
    assert(company?.name === 'CITIC Group', `company.name = ${JSON.stringify(company?.name)}`);
    const caspi = company.projects.find((p) => p.project.name === 'Caspi Bitum plant expansion');
    assert(caspi, `no Caspi Bitum plant expansion among ${company.projects.map((p) => p.project.name)}`);
    const has = (want) =>
      caspi.project.capacityHistory.some((c) => Object.entries(want).every(([k, v]) => c[k] === v));
    for (const want of [
      { metric: 'PRODUCTION_CAPACITY', value: 500000, unit: 't/yr', asOf: '2023-10', status: 'ACTUAL' },
      { metric: 'PRODUCTION_CAPACITY', value: 750000, unit: 't/yr', asOf: '2024-08', status: 'TARGET' },
    ]) {
      assert(has(want), `capacityHistory lacks ${JSON.stringify(want)}`);
    }
  });

  await step('the history lists the query', async () => {
    await page.getByRole('button', { name: 'Show History' }).click();
    await page.locator('.graphiql-history-item').first().waitFor();
    await page.getByRole('button', { name: 'Hide History' }).click();
  });

  await step('the docs explorer lists Query.companies', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first().click();
    await docs.locator('.graphiql-doc-explorer-field-name', { hasText: /^companies$/ }).first().waitFor();
    await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();
  });

  await step('the explorer shows the query', async () => {
    await page.getByRole('button', { name: 'Show GraphiQL Explorer' }).click();
    const explorer = page.locator('.graphiql-explorer-root');
    await explorer.getByText('capacityHistory', { exact: true }).first().waitFor();
  });

  // A dialog adds a <style> element, which the policy allows only with the
  // page's nonce.
  await step('the settings dialog opens', async () => {
    await page.getByRole('button', { name: 'Open settings dialog' }).click();
    await page.getByRole('dialog').getByText('Persist headers').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  await step('prettify the query', async () => {
    await page.getByRole('button', { name: /^Prettify query/ }).click();
    await page.waitForFunction(() =>
      document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror?.getValue().includes('\n'),
    );
  });

  await step('no request left 127.0.0.1', async () => {
    assert(blocked.length === 0, `blocked requests to other origins:\n  ${blocked.join('\n  ')}`);
  });

  await step('no Content-Security-Policy violation', async () => {
    const violations = await page.evaluate(() => window.__cspViolations);
    const all = [...cspErrors, ...violations];
    assert(all.length === 0, `violations:\n  ${all.join('\n  ')}`);
  });

  await step('no script error', async () => {
    assert(pageErrors.length === 0, `uncaught errors:\n  ${pageErrors.join('\n  ')}`);
  });
  for (const msg of consoleErrors) console.log(`note: console error: ${msg}`);

  const shot = process.env.SCREENSHOT
    ? path.resolve(repoRoot, process.env.SCREENSHOT)
    : path.join(os.tmpdir(), 'investgraph-playground.png');
  await step(`screenshot to ${path.relative(repoRoot, shot).startsWith('..') ? shot : path.relative(repoRoot, shot)}`, async () => {
    await mkdir(path.dirname(shot), { recursive: true });
    // No hover highlight or focus ring in the picture.
    await page.mouse.move(0, 0);
    await page.evaluate(() => document.activeElement?.blur());
    await page.screenshot({ path: shot });
  });
}

async function cleanup() {
  await browser?.close().catch(() => {});
  await stopServer();
  if (tmp) await rm(tmp, { recursive: true, force: true });
}

// armWatchdog ends the test TOTAL_MS from now, whatever it is waiting for.
let watchdog;
function armWatchdog() {
  watchdog = setTimeout(() => {
    console.log(`FAIL the browser test did not finish within ${TOTAL_MS / 1000} s`);
    console.log(`playground: ${passed.length} passed, 1 failed`);
    server?.kill('SIGKILL');
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    process.exit(1); // Playwright kills the browser on exit
  }, TOTAL_MS);
}

let failure;
try {
  await main();
} catch (err) {
  failure = err;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
// Everything goes to stdout, so that CI's log keeps the order.
if (failure) {
  console.log(`FAIL ${failure.message}`);
  if (serverLog && !failure.message.includes(serverLog)) console.log(`server log:\n${serverLog}`);
}
console.log(`playground: ${passed.length} passed, ${failure ? 1 : 0} failed`);
process.exitCode = failure ? 1 : 0;
