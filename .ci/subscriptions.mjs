// Run by .ci/subscriptions: node subscriptions.mjs HOST:PORT, with
// EDITOR_TOKEN and READER_TOKEN set, against a server with -require-token.
// Each check prints ok or FAIL; the exit status is 1 if any failed.
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

// post sends a GraphQL request over HTTP with token and returns the status
// and body.
async function post(token, query, variables) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: await res.json() };
}

const applyMutation = 'mutation($in: ChangesetInput!) { applyChangeset(input: $in) { replayed revision { id added changed touched { __typename id } } } }';

// applyProject sends, in the structured form, the n-th changeset with a
// project of its own, and returns its revision.
async function applyProject(n) {
  const changeset = {
    source: { slug: `ci-p${n}`, title: `CI project source ${n}`, publishedOn: '2026-12-01', paragraphs: 2 },
    companies: [{ slug: 'kazmunaygas', cite: [2] }],
    projects: [{ slug: `ci-project-${n}`, name: `CI project ${n}`, sector: 'POWER', status: 'PROPOSED', cite: [1],
      participants: [{ company: 'kazmunaygas', role: 'PARTNER', cite: [2] }] }],
  };
  const { status, body } = await post(editor, applyMutation, { in: { changeset, message: `ci project ${n}` } });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data.applyChangeset.revision.id;
}

async function revisionCount() {
  const { body } = await post(reader, '{ revisions { totalCount } }');
  return body.data.revisions.totalCount;
}

// collect subscribes through subscribe(payload, sink) and resolves with the
// first count events, or rejects with the first error.
function collect(client, variables, count, query = subscription, field = 'revisions') {
  return new Promise((resolve, reject) => {
    const got = [];
    const timer = setTimeout(() => reject(new Error(`timed out with ${got.length} of ${count} events`)), 20000);
    const dispose = client.subscribe({ query, variables }, {
      next: (v) => {
        if (v.errors) { clearTimeout(timer); dispose(); reject(v.errors); return; }
        got.push(v.data[field]);
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

const changes = 'subscription($subjects: [ID!], $kinds: [ChangeKind!], $after: ID) { changes(subjects: $subjects, kinds: $kinds, after: $after) { kinds nodes { __typename id } revision { id author } } }';
const collectChanges = (client, variables, count) => collect(client, variables, count, changes, 'changes');

await check('changes(kinds: [PROJECT]) over graphql-ws and graphql-sse sends only project revisions', async () => {
  const start = await apply(10);
  const wsClient = ws(reader);
  const sseClient = sse(reader);
  const viaWS = collectChanges(wsClient, { kinds: ['PROJECT'], after: start }, 2);
  const viaSSE = collectChanges(sseClient, { kinds: ['PROJECT'], after: start }, 2);
  await apply(11); // touches no project
  const p1 = await applyProject(1);
  await apply(12);
  const p2 = await applyProject(2);
  for (const [name, events] of [['ws', await viaWS], ['sse', await viaSSE]]) {
    assert.deepEqual(events.map((e) => e.revision.id), [p1, p2], name);
    assert.deepEqual(events[0].nodes.map((n) => n.__typename), ['Project'], name);
    assert.deepEqual(events[0].kinds, ['SOURCE', 'COMPANY', 'PROJECT'], name);
    assert.equal(events[0].revision.author, 'ci-editor', name);
  }
  await wsClient.dispose();
  sseClient.dispose();
});

await check('changes(subjects:) follows one company, and reconnecting with after receives what was missed', async () => {
  const { body } = await post(reader, '{ company(slug: "kazmunaygas") { id } }');
  const kmg = body.data.company.id;
  const start = await apply(20); // cites Kazakhstan, not KazMunayGas
  const missed = [await applyProject(3), await applyProject(4)];
  await apply(21);
  for (const client of [ws(reader), sse(reader)]) {
    const events = await collectChanges(client, { subjects: [kmg], after: start }, 2);
    assert.deepEqual(events.map((e) => e.revision.id), missed);
    assert.deepEqual(events[0].nodes, [{ __typename: 'Company', id: kmg }]);
    client.dispose();
  }
});

await check('changes with a bad subject is refused with BAD_USER_INPUT at the argument', async () => {
  for (const client of [ws(reader), sse(reader)]) {
    const err = await collectChanges(client, { subjects: ['nope'] }, 1).then(() => null, (e) => e);
    assert.ok(Array.isArray(err), `not a GraphQL error: ${JSON.stringify(err)}`);
    assert.equal(err[0].extensions.code, 'BAD_USER_INPUT');
    assert.equal(err[0].extensions.field, 'subjects[0]');
    client.dispose();
  }
});

await check('graphql-ws and graphql-sse with an unknown token are refused at connection start', async () => {
  const bogus = 'igt_' + 'z'.repeat(43);
  const wsErr = await collectChanges(ws(bogus), {}, 1).then(() => null, (e) => e);
  assert.ok(wsErr, 'no error');
  assert.equal(wsErr.code, 4403, `close ${wsErr.code} ${wsErr.reason}`);
  const sseErr = await collectChanges(sse(bogus), {}, 1).then(() => null, (e) => e);
  assert.ok(sseErr, 'no error');
  assert.match(String(sseErr.message || JSON.stringify(sseErr)), /401|UNAUTHENTICATED|token/i);
});

await check('a reader cannot apply a changeset over graphql-sse', async () => {
  const client = sse(reader);
  const err = await new Promise((resolve) => {
    client.subscribe({ query: 'mutation { applyChangeset(input: {yaml: "x", message: "m"}) { replayed } }' }, {
      next: (v) => resolve(v.errors),
      error: resolve,
      complete: () => resolve(null),
    });
  });
  assert.ok(err, 'no error');
  const e = Array.isArray(err) ? err[0] : err;
  assert.match(JSON.stringify(e.extensions ? e.extensions.code : String(e.message || e)), /FORBIDDEN|403/, JSON.stringify(err));
  client.dispose();
});

await check('the structured form replays with its idempotency key', async () => {
  const changeset = { source: { slug: 'ci-replay', title: 'CI replay', publishedOn: '2026-12-01', paragraphs: 1 },
    companies: [{ slug: 'kazakhstan', cite: [1], inferred: [] }] };
  const vars = { in: { changeset, message: 'replay', idempotencyKey: 'ci-replay-1' } };
  const first = await post(editor, applyMutation, vars);
  const again = await post(editor, applyMutation, vars);
  assert.equal(first.body.data.applyChangeset.replayed, false, JSON.stringify(first.body));
  assert.equal(again.body.data.applyChangeset.replayed, true, JSON.stringify(again.body));
  assert.equal(again.body.data.applyChangeset.revision.id, first.body.data.applyChangeset.revision.id);
});

// The bad inputs of changesets, in both forms: each is BAD_USER_INPUT at
// the place in the input, and nothing is written.
const twelve = (extra) => `source:\n  slug: "ci-bad"\n  title: "CI bad input"\n  publishedOn: "2026-12-01"\n  paragraphs: 12\n${extra}`;
const twelveInput = (extra) => ({ source: { slug: 'ci-bad', title: 'CI bad input', publishedOn: '2026-12-01', paragraphs: 12 }, ...extra });
for (const [name, yaml, changeset, field, message] of [
  ['paragraph 14 of a 12-paragraph source',
    twelve('companies:\n  - slug: kazakhstan\n    cite: [14]\n'),
    twelveInput({ companies: [{ slug: 'kazakhstan', cite: [14] }] }),
    'companies[0].cite', /cite 14 is not a paragraph of ci-bad \(1 to 12\)/],
  ['an unknown slug',
    twelve('projects:\n  - slug: ci-bad-project\n    name: "CI bad"\n    sector: POWER\n    status: PROPOSED\n    cite: [1]\n    participants:\n      - company: no-such-company\n        role: OWNER\n        cite: [2]\n'),
    twelveInput({ projects: [{ slug: 'ci-bad-project', name: 'CI bad', sector: 'POWER', status: 'PROPOSED', cite: [1],
      participants: [{ company: 'no-such-company', role: 'OWNER', cite: [2] }] }] }),
    'projects[0].participants[0].company', /unknown company "no-such-company"/],
  ['a scalar that conflicts with the graph',
    twelve('companies:\n  - slug: kazmunaygas\n    kind: BANK\n    cite: [1]\n'),
    twelveInput({ companies: [{ slug: 'kazmunaygas', kind: 'BANK', cite: [1] }] }),
    'companies[0].kind', /kind "BANK" conflicts with/],
]) {
  for (const [form, input, prefix] of [['yaml', { yaml }, 'input.yaml'], ['structured', { changeset }, 'input.changeset']]) {
    await check(`${name} (${form}) is BAD_USER_INPUT at ${prefix}.${field}, and nothing is written`, async () => {
      const before = await revisionCount();
      const { status, body } = await post(editor, applyMutation, { in: { ...input, message: 'bad' } });
      assert.equal(status, 200);
      assert.equal(body.data, null, JSON.stringify(body));
      const e = body.errors[0];
      assert.equal(e.extensions.code, 'BAD_USER_INPUT', JSON.stringify(e));
      assert.equal(e.extensions.field, `${prefix}.${field}`, JSON.stringify(e));
      assert.match(e.message, message);
      assert.equal(await revisionCount(), before, 'a revision was written');
    });
  }
}

await check('yaml and changeset together, or neither, are BAD_USER_INPUT', async () => {
  const both = await post(editor, applyMutation, { in: { yaml: twelve(''), changeset: twelveInput({}), message: 'both' } });
  assert.equal(both.body.errors[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(both.body.errors[0].extensions.field, 'input.changeset');
  const neither = await post(editor, applyMutation, { in: { message: 'neither' } });
  assert.equal(neither.body.errors[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(neither.body.errors[0].extensions.field, 'input.yaml');
});

console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
