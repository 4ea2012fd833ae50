// explore.test.mjs uses the explorer as a person would, in Debian's
// Chromium against a real gateway on 127.0.0.1, and fails on any console
// error, uncaught script error, Content-Security-Policy violation or
// request to anything but the gateway: it searches as it types ("bitu"),
// filters by type, opens the Caspi Bitum plant expansion with the keyboard
// and finds its chart with the 500,000 ACTUAL and 750,000 TARGET points,
// sets "as of" 2023-12-31 and sees the 2024 figures go, draws CITIC Group's
// network and expands it, finds a path from Tokayev to the expansion,
// opens the money view and the timeline (a quarter drawn as three months),
// and checks that every view fits a 1366x768 screen.
//
//	node test/explore.test.mjs
//
// It builds the gateway itself unless INVESTGRAPH_BIN names a binary.
// CHROMIUM names the browser (/usr/bin/chromium by default). SCREENSHOTS,
// relative to the repository root, is a directory for a screenshot of each
// view (docs/ for the README's); without it they go to a temporary one.
import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

import { searchText } from '../src/query.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

const BUILD_MS = 180_000;
const TOTAL_MS = 120_000;
const START_MS = 20_000;
const STEP_MS = 15_000;
const VIEWPORT = { width: 1366, height: 768 };

const passed = [];
let server;
let serverLog = '';
let context;
let tmp;
let shots;

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
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}:\n${serverLog}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`/healthz did not answer within ${START_MS / 1000} s:\n${serverLog}`);
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

// rendered waits until the view the URL names has been drawn: main.js
// sets body[data-rendered] to view:asOf:generation once it has.
async function rendered(page, view, asOf = '') {
  await page.waitForFunction(
    ([v, a]) => (document.body.dataset.rendered || '').startsWith(`${v}:${a}:`),
    [view, asOf],
    { timeout: STEP_MS },
  );
}

// renderedAfter waits until the view has been drawn at an address other
// than before (for a click from one page of a view to another of it).
async function renderedAfter(page, view, before) {
  await page.waitForFunction(
    ([v, b]) => (document.body.dataset.rendered || '').startsWith(`${v}:`) && document.body.dataset.renderedHash !== b,
    [view, before],
    { timeout: STEP_MS },
  );
}

const renderedHash = (page) => page.evaluate(() => document.body.dataset.renderedHash);

async function fits(page, name) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= VIEWPORT.width, `${name} is ${width} px wide, wider than the ${VIEWPORT.width} px screen`);
}

async function shot(page, name) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement?.blur());
  await page.screenshot({ path: path.join(shots, `explore-${name}.png`) });
}

async function main() {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'investgraph-explore-'));
  shots = process.env.SCREENSHOTS ? path.resolve(repoRoot, process.env.SCREENSHOTS) : path.join(tmp, 'shots');
  await mkdir(shots, { recursive: true });
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
    server = spawn(bin, ['-addr', `127.0.0.1:${port}`, '-db', process.env.INVESTGRAPH_TEST_POSTGRES || path.join(tmp, 'test.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout.on('data', (d) => (serverLog += d));
    server.stderr.on('data', (d) => (serverLog += d));
    await waitHealthy(base);
  });

  // Whatever a person types, the search the explorer sends is one the API
  // accepts: generated texts, sent as the page sends them.
  await step('no typed text makes a search the API refuses', async () => {
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(path.join(repoRoot, 'httpapi/assets/explore/operations.json'), 'utf8'));
    const id = manifest.operations.find((o) => o.name === 'Search').id;
    const alphabet = ['bitu', 'CITIC', 'з', '中', '1', ' ', '(', ')', '^', ':', '{', '}', '+', '"', '*', '-', 'AND', 'OR', 'NOT', 'NEAR', "'", '.', ',', '\t'];
    let seed = 7;
    const rand = (n) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let sent = 0;
    for (let i = 0; i < 300; i++) {
      let typed = '';
      for (let j = 1 + rand(12); j > 0; j--) typed += alphabet[rand(alphabet.length)] + (rand(3) ? '' : ' ');
      const query = searchText(typed);
      if (!query) continue;
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json' },
        body: JSON.stringify({ documentId: `sha256:${id}`, variables: { query, first: 1 } }),
      });
      const body = await res.json();
      assert(res.status === 200 && !body.errors, `typed ${JSON.stringify(typed)}, sent ${JSON.stringify(query)}: ${res.status} ${JSON.stringify(body.errors)}`);
      sent++;
    }
    assert(sent > 200, `only ${sent} searches sent`);
  });

  // A fresh profile directory: no cache, no history, nothing from a
  // previous run.
  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
    viewport: VIEWPORT,
    timeout: STEP_MS,
  });
  context.setDefaultTimeout(STEP_MS);

  const blocked = [];
  const graphqlBodies = [];
  await context.route('**/*', (route) => {
    const req = route.request();
    if (new URL(req.url()).origin !== base) {
      blocked.push(req.url());
      return route.abort('blockedbyclient');
    }
    if (req.url() === `${base}/graphql`) graphqlBodies.push(req.postData() || '');
    return route.continue();
  });

  const page = context.pages()[0] || (await context.newPage());
  const consoleErrors = [];
  const pageErrors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });

  await step('open /explore', async () => {
    const res = await page.goto(`${base}/explore`);
    assert(res.status() === 200, `GET /explore = ${res.status()}`);
    assert(res.headers()['content-security-policy']?.includes("default-src 'self'"), 'no Content-Security-Policy header');
    await rendered(page, '');
    const text = await page.locator('main').innerText();
    assert(/\d+ organizations/.test(text) && /\d+ projects/.test(text), `the start page shows no counts: ${text.slice(0, 200)}`);
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime);
    console.log(`note: first contentful paint after ${fcp === undefined ? '?' : Math.round(fcp)} ms`);
    await fits(page, 'the start page');
    await shot(page, 'home');
  });

  await step('typing "bitu" finds the Caspi Bitum plant expansion, highlighted', async () => {
    await page.keyboard.press('/');
    assert(await page.evaluate(() => document.activeElement?.id === 'q'), '/ does not focus the search box');
    await page.keyboard.type('bitu', { delay: 40 });
    // Each keystroke may draw results; wait for those of the whole word.
    await page.waitForFunction(() => /#\/search\?q=bitu(&|$)/.test(document.body.dataset.renderedHash || ''));
    const result = page.locator('a.result', { hasText: 'Caspi Bitum plant expansion' });
    await result.waitFor();
    const marks = await result.locator('mark').allInnerTexts();
    assert(marks.some((m) => /^bitu/i.test(m)), `no highlighted match in the snippet: ${JSON.stringify(marks)}`);
    assert(page.url().includes('#/search?q=bitu'), `the URL is ${page.url()}`);
    await fits(page, 'the search view');
    await shot(page, 'search');
  });

  await step('the Projects filter leaves only projects', async () => {
    await page.getByLabel('Projects').check();
    await page.waitForFunction(() => (document.body.dataset.renderedHash || '').includes('types=PROJECT'));
    await page.waitForFunction(() => {
      const rs = [...document.querySelectorAll('a.result')];
      return rs.length > 0 && rs.every((a) => a.dataset.type === 'Project');
    });
    assert(page.url().includes('types=PROJECT'), `the URL is ${page.url()}`);
  });

  await step('arrow down and Enter open the expansion page', async () => {
    await page.locator('#q').focus();
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    assert(focused?.includes('Caspi Bitum plant expansion'), `ArrowDown focused ${JSON.stringify(focused)}`);
    await page.keyboard.press('Enter');
    await rendered(page, 'entity');
    assert((await page.locator('h1').innerText()) === 'Caspi Bitum plant expansion', 'wrong page');
    const participants = await page.locator('section', { hasText: 'Participants' }).innerText();
    assert(participants.includes('CITIC Group') && /¶\d+/.test(participants), 'the participants lack CITIC Group or citations');
  });

  const figureRows = () => page.$$eval('figure[data-metric="PRODUCTION_CAPACITY"] tr.figure',
    (rows) => rows.map((r) => ({ status: r.dataset.status, value: Number(r.dataset.value), date: r.dataset.date })));

  await step('the chart shows the 500,000 ACTUAL and 750,000 TARGET points', async () => {
    const chart = page.locator('figure[data-metric="PRODUCTION_CAPACITY"]');
    await chart.locator('.plot[data-drawn="true"] canvas').waitFor();
    const rows = await figureRows();
    assert(rows.some((r) => r.status === 'ACTUAL' && r.value === 500000), `no ACTUAL 500000 among ${JSON.stringify(rows)}`);
    assert(rows.some((r) => r.status === 'TARGET' && r.value === 750000), `no TARGET 750000 among ${JSON.stringify(rows)}`);
    assert(rows.some((r) => r.date.startsWith('2024')), 'no 2024 figure today');
    // Two series, told apart: ACTUAL solid, TARGET dashed (uPlot's legend
    // draws each series' marker in its style).
    const legend = await chart.locator('.u-legend .u-series').allInnerTexts();
    assert(legend.some((t) => t.includes('ACTUAL')) && legend.some((t) => t.includes('TARGET')), `legend ${legend}`);
    const painted = await chart.locator('canvas').evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    assert(painted > 500, `the chart canvas is almost empty (${painted} pixels)`);
    await chart.scrollIntoViewIfNeeded();
    await fits(page, 'the project page');
    await shot(page, 'chart');
  });

  await step('as of 2023-12-31 the 2024 figures are gone', async () => {
    await page.locator('#asof').fill('2023-12-31');
    await rendered(page, 'entity', '2023-12-31');
    assert(page.url().includes('asOf=2023-12-31'), `the URL is ${page.url()}`);
    const rows = await figureRows();
    assert(rows.length > 0, 'no figures as of 2023-12-31');
    assert(!rows.some((r) => r.date.startsWith('2024')), `2024 figures as of 2023-12-31: ${JSON.stringify(rows)}`);
    assert(rows.some((r) => r.status === 'ACTUAL' && r.value === 500000), 'the 2023 ACTUAL figure is gone too');
    const last = graphqlBodies[graphqlBodies.length - 1];
    assert(last.includes('"asOf":"2023-12-31"'), `the last request was ${last}`);
  });

  await step('Latest brings them back', async () => {
    await page.getByRole('button', { name: 'Latest' }).click();
    await rendered(page, 'entity', '');
    assert((await figureRows()).some((r) => r.date.startsWith('2024')), 'no 2024 figure after Latest');
  });

  const cyNodes = () => page.locator('.cy').evaluate((el) => Number(el.dataset.nodes));

  await step("CITIC Group's network reaches the Caspi Bitum expansion", async () => {
    await page.locator('#q').fill('CITIC Group');
    await page.locator('a.result[data-type="Company"]', { hasText: 'CITIC Group' }).first().click();
    await rendered(page, 'entity');
    await fits(page, 'the company page');
    await page.getByRole('link', { name: 'Network' }).click();
    await rendered(page, 'network');
    await page.locator('.cy canvas').first().waitFor();
    const list = await page.locator('.node-list').innerText();
    assert(list.includes('Caspi Bitum plant expansion'), `the network lacks the expansion: ${list.slice(0, 300)}`);
    assert((await cyNodes()) > 3, 'the network has too few nodes');
    await fits(page, 'the network view');
    await shot(page, 'network');
  });

  await step('expanding a node draws its neighbors too', async () => {
    const before = await cyNodes();
    await page.getByRole('button', { name: 'Expand Caspi Bitum plant expansion' }).click();
    await page.waitForFunction(() => (document.body.dataset.renderedHash || '').includes('expand='));
    await page.waitForFunction((n) => Number(document.querySelector('.cy')?.dataset.nodes) > n, before);
    assert(page.url().includes('expand='), `the URL is ${page.url()}`);
  });

  await step('a path from Tokayev to the expansion is drawn', async () => {
    await page.locator('#q').fill('Tokayev');
    await page.locator('a.result[data-type="Person"]').first().click();
    await rendered(page, 'entity');
    await page.getByRole('link', { name: 'Network' }).click();
    await rendered(page, 'network');
    await page.locator('#path-to').fill('Caspi Bitum plant');
    await page.locator('.choices a', { hasText: 'Caspi Bitum plant expansion' }).click();
    await page.waitForFunction(() => /^#\/network\/.*[?&]to=/.test(document.body.dataset.renderedHash || ''));
    const path1 = await page.locator('li.path').first().innerText();
    assert(path1.startsWith('Kassym-Jomart Tokayev') && path1.endsWith('Caspi Bitum plant expansion'), `path ${path1}`);
    const highlighted = await page.locator('.cy').evaluate((el) => Number(el.dataset.pathEdges));
    assert(highlighted > 0, 'no edge of the path is highlighted');
    await shot(page, 'path');
  });

  await step('the money view shows totals and what they leave out', async () => {
    await page.getByRole('link', { name: 'Money' }).click();
    await rendered(page, 'money');
    const total = await page.locator('.total').innerText();
    assert(/Total: .*\d.* USD/.test(total), `total ${total}`);
    assert((await page.locator('.money-group').count()) > 0, 'no groups');
    assert((await page.locator('table.excluded tr[data-reason]').count()) > 0, 'nothing left out, or not said');
    await page.getByRole('link', { name: 'Year' }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('.money-group')].some((g) => /^\d{4}$/.test(g.dataset.key)));
    await page.locator('.money-group summary').first().click();
    assert((await page.locator('.money-group details[open] .counted li').count()) > 0, 'an open group lists nothing');
    assert((await page.locator('.money-group[data-key="UNDATED"]').count()) === 1, 'no UNDATED group by year');
    assert(/no source gives a signing date/.test(await page.locator('#undated-explained').innerText()), 'the UNDATED group is not explained');
    await page.getByRole('link', { name: 'Put them in the year they were first reported instead' }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('.money-group')].some((g) => g.dataset.key.startsWith('REPORTED-')));
    assert((await page.locator('.money-group[data-key="UNDATED"]').count()) === 0, 'UNDATED stays with undatedByReportYear');
    await page.getByRole('link', { name: 'Keep them apart as UNDATED' }).click();
    await page.waitForFunction(() => document.querySelector('.money-group[data-key="UNDATED"]'));
    await fits(page, 'the money view');
    await shot(page, 'money');
  });

  await step('as of 2023-12-31 the money view redraws', async () => {
    const now = await page.locator('.total').innerText();
    await page.locator('#asof').fill('2023-12-31');
    await rendered(page, 'money', '2023-12-31');
    const then = await page.locator('.total').innerText();
    assert(then !== now && then.includes('2023-12-31'), `total today ${now}, as of 2023-12-31 ${then}`);
    await page.getByRole('button', { name: 'Latest' }).click();
    await rendered(page, 'money', '');
  });

  await step('the timeline draws a quarter as three months', async () => {
    await page.getByRole('link', { name: 'Timeline' }).click();
    await rendered(page, 'timeline');
    const spans = await page.$$eval('tr.event', (rows) => rows.map((r) => ({ date: r.dataset.date, rect: r.querySelector('rect.span') }))
      .map((x) => ({ date: x.date, start: x.rect?.dataset.start, end: x.rect?.dataset.end, width: Number(x.rect?.getAttribute('width')) })));
    assert(spans.length > 10, `${spans.length} events`);
    const kinds = new Set(await page.$$eval('tr.event', (rows) => rows.map((r) => r.dataset.kind)));
    assert(kinds.has('STATEMENT') && kinds.has('EVENT'), `timeline kinds ${[...kinds]}`);
    const fills = await page.$$eval('tr.event', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.kind, r.querySelector('rect.span')?.getAttribute('fill')])));
    assert(fills.STATEMENT && fills.EVENT && fills.STATEMENT !== fills.EVENT && fills.STATEMENT !== '#555', `timeline colours ${JSON.stringify(fills)}`);
    const q = spans.find((s) => /-Q\d$/.test(s.date));
    assert(q, 'no event dated by a quarter');
    const year = Number(q.date.slice(0, 4));
    const n = Number(q.date.slice(-1));
    const wantStart = `${year}-${String(3 * n - 2).padStart(2, '0')}-01`;
    assert(q.start === wantStart && q.end.slice(0, 7) === `${year}-${String(3 * n).padStart(2, '0')}`, `${q.date} drawn from ${q.start} to ${q.end}`);
    const day = spans.find((s) => /^\d{4}-\d{2}-\d{2}$/.test(s.date));
    assert(day && day.start === day.end && day.width < q.width, `a day is drawn as ${JSON.stringify(day)}`);
    await fits(page, 'the timeline');
    await shot(page, 'timeline');
  });

  await step('a meeting, an agreement and a source have pages with citations', async () => {
    for (const [type, word] of [['MEETING', 'Beijing'], ['AGREEMENT', 'CITIC'], ['SOURCE', 'Tokayev']]) {
      await page.goto(`${base}/explore#/search?q=${word}&types=${type}`);
      await rendered(page, 'search');
      await page.locator('a.result').first().click();
      await rendered(page, 'entity');
      const text = await page.locator('main').innerText();
      assert(type === 'SOURCE' ? /Published\s+\d{4}/.test(text) : /Reported in[\s\S]*¶\d+/.test(text), `the ${type} page: ${text.slice(0, 300)}`);
      await fits(page, `the ${type} page`);
      if (type === 'AGREEMENT') {
        await page.locator('.tabs a', { hasText: 'Timeline' }).click();
        await rendered(page, 'timeline');
        assert(page.url().includes('subject='), `the URL is ${page.url()}`);
        const kinds = await page.$$eval('tr.event', (rows) => rows.map((r) => r.dataset.kind));
        assert(kinds.length > 0, "the agreement's timeline is empty");
      }
    }
  });

  await step('a fact a curator inferred is marked, with its note, apart from stated ones', async () => {
    await page.goto(`${base}/explore#/search?q=Karazhambas&types=PROJECT`);
    await rendered(page, 'search');
    await page.locator('a.result').first().click();
    await rendered(page, 'entity');
    const participants = page.locator('section#participants');
    const inferred = participants.locator('tr', { hasText: 'KazMunayGas' }).locator('details.basis[data-basis="INFERRED"]');
    assert((await inferred.count()) === 1, 'the inferred KazMunayGas participation has no inferred marker');
    assert((await participants.locator('[data-basis="STATED"]').count()) > 0, 'no participant is marked stated');
    const note = inferred.locator('.note');
    assert(!(await note.isVisible()), 'the note shows before the marker is opened');
    await inferred.locator('summary').click();
    assert((await note.isVisible()) && (await note.innerText()).length > 10, 'opening the marker shows no note');
    const region = page.locator('dl.facts dd', { hasText: 'inferred' });
    assert((await region.count()) > 0, 'no attribute of the project is marked inferred');
    await fits(page, 'a page with inferred facts');
    await shot(page, 'inferred');
  });

  await step('"Stated only" redraws the page and the network without the inferences', async () => {
    const participantRows = () => page.locator('section#participants tbody tr').allInnerTexts();
    const before = await participantRows();
    assert(before.some((t) => t.includes('KazMunayGas')), `participants ${before}`);
    await page.locator('#stated').check();
    await page.waitForFunction(() => (document.body.dataset.rendered || '').startsWith('entity::stated:'));
    assert(page.url().includes('stated=1'), `the URL is ${page.url()}`);
    const after = await participantRows();
    assert(!after.some((t) => t.includes('KazMunayGas')) && after.length === before.length - 1, `stated only, participants ${after}`);
    const last = JSON.parse(graphqlBodies[graphqlBodies.length - 1]);
    assert(JSON.stringify(last.variables.basis) === '["STATED"]', `the last request sent basis ${JSON.stringify(last.variables)}`);
    await page.getByRole('link', { name: 'Network' }).click();
    await page.waitForFunction(() => (document.body.dataset.rendered || '').startsWith('network::stated:'));
    const stated = await page.locator('.cy').evaluate((el) => ({ edges: Number(el.dataset.edges), inferred: Number(el.dataset.inferredEdges) }));
    assert(stated.inferred === 0 && stated.edges > 0, `stated only, the network has ${JSON.stringify(stated)}`);
    // The header's links keep the choice: the money view totals stated sums.
    await page.getByRole('link', { name: 'Money' }).click();
    await page.waitForFunction(() => (document.body.dataset.rendered || '').startsWith('money::stated:'));
    const money = JSON.parse(graphqlBodies[graphqlBodies.length - 1]);
    assert(JSON.stringify(money.variables.basis) === '["STATED"]', `the money view sent ${JSON.stringify(money.variables)}`);
    assert((await page.locator('main').innerText()).includes('Stated only'), 'the money view does not say it shows stated sums only');
    await page.goBack();
    await page.waitForFunction(() => (document.body.dataset.rendered || '').startsWith('network::stated:'));
    await page.locator('#stated').uncheck();
    await page.waitForFunction(() => (document.body.dataset.rendered || '').startsWith('network::all:'));
    assert(!page.url().includes('stated=1'), `the URL is ${page.url()}`);
    const all = await page.locator('.cy').evaluate((el) => ({ edges: Number(el.dataset.edges), inferred: Number(el.dataset.inferredEdges) }));
    assert(all.inferred > 0 && all.edges > stated.edges, `with every fact, the network has ${JSON.stringify(all)}, stated only ${JSON.stringify(stated)}`);
  });

  await step('a statement has a page: speaker, summary, meeting and event, citation', async () => {
    await page.goto(`${base}/explore#/search?q=${encodeURIComponent('Huawei ICT Academy')}&types=STATEMENT`);
    await rendered(page, 'search');
    await page.locator('a.result[data-type="Statement"]').first().click();
    await rendered(page, 'entity');
    const text = await page.locator('main').innerText();
    assert((await page.locator('blockquote.said').count()) === 1, 'no summary of what was said');
    for (const want of ['Speaker', 'Kassym-Jomart Tokayev', 'At the meeting', 'At the event', 'roundtable']) {
      assert(text.includes(want), `the statement page lacks ${want}: ${text.slice(0, 400)}`);
    }
    assert(/Reported in[\s\S]*¶\d+/.test(text), 'the statement page has no citation');
    assert((await page.locator('[data-basis]').count()) > 0, 'the statement is not marked stated or inferred');
    await fits(page, 'the statement page');
    await shot(page, 'statement');
    const was = await renderedHash(page);
    await page.locator('dd a', { hasText: 'Kassym-Jomart Tokayev' }).click();
    await renderedAfter(page, 'entity', was);
    const said = page.locator('section#statements tr.statement');
    assert((await said.count()) > 1, "the person's page lists fewer than two statements");
  });

  await step('an event has a page: its meetings, statements and parts', async () => {
    await page.goto(`${base}/explore#/search?q=roundtable&types=EVENT`);
    await rendered(page, 'search');
    await page.locator('a.result[data-type="Event"]').first().click();
    await rendered(page, 'entity');
    const text = await page.locator('main').innerText();
    assert(text.includes('Kazakh-Chinese investment roundtable'), `event page: ${text.slice(0, 200)}`);
    assert((await page.locator('section#meetings li').count()) > 1, 'the event lists no meetings');
    assert((await page.locator('section#statements tr.statement').count()) > 1, 'the event lists no statements');
    assert(text.includes('Part of') && text.includes('state visit'), 'the roundtable is not shown as part of the state visit');
    await fits(page, 'the event page');
    await shot(page, 'event');
    const was = await renderedHash(page);
    await page.locator('dd a', { hasText: 'state visit' }).click();
    await renderedAfter(page, 'entity', was);
    const visit = await page.locator('main').innerText();
    assert(/Parts of this event[\s\S]*roundtable/.test(visit) && visit.includes('Agreements that came out of it'), `the state visit page: ${visit.slice(0, 400)}`);
    // A meeting held during the visit shows its event.
    const atVisit = await renderedHash(page);
    await page.locator('section#meetings li a').first().click();
    await renderedAfter(page, 'entity', atVisit);
    assert((await page.locator('dl.facts', { hasText: 'Part of' }).count()) === 1, 'the meeting does not show its event');
  });

  await step('the network colours statements and events and labels their links', async () => {
    await page.goto(`${base}/explore#/search?q=roundtable&types=EVENT`);
    await rendered(page, 'search');
    await page.locator('a.result[data-type="Event"]').first().click();
    await rendered(page, 'entity');
    await page.getByRole('link', { name: 'Network' }).click();
    await rendered(page, 'network');
    await page.locator('.cy canvas').first().waitFor();
    const types = await page.locator('.cy').evaluate((el) => el.dataset.types.split(','));
    const edgeTypes = await page.locator('.cy').evaluate((el) => el.dataset.edgeTypes.split(','));
    assert(types.includes('Statement') && types.includes('Event'), `node types ${types}`);
    assert(edgeTypes.includes('SAID_AT') && edgeTypes.includes('PART_OF'), `edge types ${edgeTypes}`);
    const legend = await page.locator('.legend').innerText();
    assert(/statement/i.test(legend) && /event/i.test(legend), `legend ${legend}`);
    await shot(page, 'network-event');
  });

  await step('a malformed address shows the API\'s error, not a broken page', async () => {
    await page.goto(`${base}/explore#/entity/not-an-id`);
    await rendered(page, 'entity');
    const banner = page.locator('#banner');
    await banner.waitFor();
    assert(/BAD_USER_INPUT/.test(await banner.innerText()), `banner: ${await banner.innerText()}`);
  });

  await step('a shared URL opens the same view', async () => {
    const url = `${base}/explore#/money?groupBy=SECTOR&asOf=2024-06-30`;
    const other = await context.newPage();
    other.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
    other.on('pageerror', (err) => pageErrors.push(err.message));
    await other.goto(url);
    await rendered(other, 'money', '2024-06-30');
    assert((await other.locator('#asof').inputValue()) === '2024-06-30', 'the date control does not show the shared date');
    assert((await other.locator('[aria-current="page"]', { hasText: 'Sector' }).count()) === 1, 'the sector grouping is not chosen');
    await other.goto(`${base}/explore#/money?asOf=2024-Q2`);
    await rendered(other, 'money', '2024-Q2');
    assert((await other.locator('#asof-partial').innerText()) === '2024-Q2', 'a quarter as of date is not shown');
    assert((await other.locator('.total').innerText()).includes('2024-Q2'), 'the money view is not as of the quarter');
    await other.close();
  });

  await step('the page ran persisted operations only', async () => {
    assert(graphqlBodies.length > 5, `${graphqlBodies.length} GraphQL requests`);
    const withText = graphqlBodies.filter((b) => {
      const body = JSON.parse(b);
      return 'query' in body || !/^sha256:[0-9a-f]{64}$/.test(body.documentId);
    });
    assert(withText.length === 0, `requests with query text: ${withText.slice(0, 2).join('\n')}`);
  });

  await step('no request left 127.0.0.1', async () => {
    assert(blocked.length === 0, `blocked requests to other origins:\n  ${blocked.join('\n  ')}`);
  });

  await step('no Content-Security-Policy violation', async () => {
    const violations = await page.evaluate(() => window.__cspViolations);
    assert(violations.length === 0, `violations:\n  ${violations.join('\n  ')}`);
  });

  await step('no console error and no script error', async () => {
    const all = [...consoleErrors, ...pageErrors];
    assert(all.length === 0, `errors:\n  ${all.join('\n  ')}`);
  });
  console.log(`note: screenshots in ${shots}`);
}

async function cleanup() {
  await context?.close().catch(() => {});
  await stopServer();
  if (tmp) await rm(tmp, { recursive: true, force: true });
}

let watchdog;
function armWatchdog() {
  watchdog = setTimeout(() => {
    console.log(`FAIL the browser test did not finish within ${TOTAL_MS / 1000} s`);
    console.log(`explore: ${passed.length} passed, 1 failed`);
    server?.kill('SIGKILL');
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    process.exit(1);
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
if (failure) {
  console.log(`FAIL ${failure.message}`);
  if (serverLog && !failure.message.includes(serverLog)) console.log(`server log:\n${serverLog.slice(-4000)}`);
}
console.log(`explore: ${passed.length} passed, ${failure ? 1 : 0} failed`);
process.exitCode = failure ? 1 : 0;
