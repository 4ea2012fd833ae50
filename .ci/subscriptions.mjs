// Run by .ci/subscriptions: node subscriptions.mjs HOST:PORT, with
// EDITOR_TOKEN and READER_TOKEN set, against a server with -require-token.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createClient as createWSClient } from 'graphql-ws';
import { createClient as createSSEClient } from 'graphql-sse';

const addr = process.argv[2];
const url = `http://${addr}/graphql`;
const wsURL = `ws://${addr}/graphql`;
const editor = process.env.EDITOR_TOKEN;
const reader = process.env.READER_TOKEN;
const subscription = 'subscription($after: ID) { revisions(after: $after) { id author message touched { __typename id } } }';

let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL ${name}: ${err && err.stack ? err.stack : JSON.stringify(err)}`);
  }
}

// apply sends the n-th changeset with the editor's token and returns its revision.
async function apply(n) {
  const yaml = `source:\n  slug: "ci-${n}"\n  title: "CI source ${n}"\n  publishedOn: "2026-12-01"\n  paragraphs: 1\ncompanies:\n  - slug: kazakhstan\n    cite: [1]\n`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${editor}` },
    body: JSON.stringify({
      query: 'mutation($in: ChangesetInput!) { applyChangeset(input: $in) { revision { id } } }',
      variables: { in: { yaml, message: `ci ${n}` } },
    }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.data.applyChangeset.revision.id;
}

// collect subscribes through subscribe(payload, sink) and resolves with the
// first count events, or rejects with the first error.
function collect(client, variables, count) {
  return new Promise((resolve, reject) => {
    const got = [];
    const timer = setTimeout(() => reject(new Error(`timed out with ${got.length} of ${count} events`)), 20000);
    const dispose = client.subscribe({ query: subscription, variables }, {
      next: (v) => {
        if (v.errors) { clearTimeout(timer); dispose(); reject(v.errors); return; }
        got.push(v.data.revisions);
        if (got.length === count) { clearTimeout(timer); dispose(); resolve(got); }
      },
      error: (e) => { clearTimeout(timer); reject(e); },
      complete: () => { clearTimeout(timer); if (got.length < count) reject(new Error('completed early')); },
    });
  });
}

const ws = (token) => createWSClient({
  url: wsURL, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true,
  connectionParams: token ? { Authorization: `Bearer ${token}` } : undefined,
});
const sse = (token) => createSSEClient({
  url, retryAttempts: 0,
  headers: token ? { Authorization: `Bearer ${token}` } : {},
});

const r0 = await apply(0);

await check('graphql-ws and graphql-sse receive a revision as it commits', async () => {
  const wsClient = ws(reader);
  const sseClient = sse(reader);
  const viaWS = collect(wsClient, { after: r0 }, 1);
  const viaSSE = collect(sseClient, { after: r0 }, 1);
  const r1 = await apply(1);
  for (const [name, events] of [['ws', await viaWS], ['sse', await viaSSE]]) {
    assert.equal(events[0].id, r1, name);
    assert.equal(events[0].author, 'ci-editor', name);
    assert.deepEqual(events[0].touched.map((n) => n.__typename), ['Source', 'Company'], name);
  }
  await wsClient.dispose();
  sseClient.dispose();
});

await check('reconnecting with after receives what was missed', async () => {
  const missed = [await apply(2), await apply(3)];
  for (const client of [ws(reader), sse(reader)]) {
    const events = await collect(client, { after: r0 }, 3);
    assert.deepEqual(events.map((e) => e.id).slice(1), missed);
    client.dispose();
  }
});

await check('graphql-ws without a token is closed with 4403', async () => {
  const err = await collect(ws(undefined), {}, 1).then(() => null, (e) => e);
  assert.ok(err, 'no error');
  assert.equal(err.code, 4403, `close ${err.code} ${err.reason}`);
});

await check('graphql-sse without a token is refused', async () => {
  const err = await collect(sse(undefined), {}, 1).then(() => null, (e) => e);
  assert.ok(err, 'no error');
  assert.match(String(err && (err.message || JSON.stringify(err))), /401|UNAUTHENTICATED|bearer token/i);
});

await check('a reader cannot apply a changeset over the WebSocket', async () => {
  const client = ws(reader);
  const err = await new Promise((resolve) => {
    client.subscribe({ query: 'mutation { applyChangeset(input: {yaml: "x", message: "m"}) { replayed } }' }, {
      next: (v) => resolve(v.errors),
      error: resolve,
      complete: () => resolve(null),
    });
  });
  assert.ok(err, 'no error');
  assert.equal(err[0].extensions.code, 'FORBIDDEN', JSON.stringify(err));
  await client.dispose();
});

console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
