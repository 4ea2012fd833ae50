// exports.test.mjs checks the exports with the readers other tools use:
// every FollowTheMoney entity against the model @alephdata/followthemoney
// ships (schema, properties, value types, references and required
// properties), and the GraphML with graphology-graphml, today and as of a
// date.
//
//	node --test test/exports.test.mjs
//
// INVESTGRAPH_BIN names the gateway binary; without it the test builds one.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';

import Graph from 'graphology';
import graphml from 'graphology-graphml';

const require = createRequire(import.meta.url);
const { Model } = require('@alephdata/followthemoney');
const modelData = require('@alephdata/followthemoney/dist/defaultModel.json');

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const run = promisify(execFile);

let tmp;
let bin;
let dbPath;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'investgraph-exports-'));
  bin = process.env.INVESTGRAPH_BIN;
  if (!bin) {
    bin = path.join(tmp, 'investgraph');
    await run('go', ['build', '-o', bin, '.'], { cwd: repoRoot, timeout: 180_000 });
  }
  dbPath = path.join(tmp, 'test.db');
});

after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function exportOf(format, asOf) {
  const args = ['export', '-format', format, '-db', dbPath];
  if (asOf) args.push('-asof', asOf);
  const { stdout } = await run(bin, args, { maxBuffer: 64 << 20, timeout: 60_000 });
  return stdout;
}

const model = new Model(modelData);

// dateValue is FtM's date: an ISO 8601 prefix, no ranges or quarters.
const dateValue = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

// checkValue returns why value is not a valid value of the property, or
// null.
function checkValue(prop, value) {
  const type = prop.type;
  if (typeof value !== 'string' || value === '') return 'not a non-empty string';
  if (type.maxLength && value.length > type.maxLength) return `longer than ${type.maxLength}`;
  switch (type.name) {
    case 'date':
      return dateValue.test(value) ? null : 'not an FtM date';
    case 'country':
    case 'topic':
    case 'language':
    case 'gender':
      return modelData.types[type.name].values[value] !== undefined ? null : `not a known ${type.name}`;
    case 'number':
      return Number.isFinite(Number(value)) ? null : 'not a number';
  }
  return null;
}

function validate(text) {
  const lines = text.trimEnd().split('\n');
  const entities = lines.map((line, i) => {
    try {
      return JSON.parse(line);
    } catch (err) {
      throw new Error(`line ${i + 1}: ${err.message}`);
    }
  });
  const byID = new Map();
  for (const e of entities) {
    assert.ok(!byID.has(e.id), `id ${e.id} twice`);
    byID.set(e.id, e);
  }
  const problems = [];
  const schemata = {};
  for (const e of entities) {
    const where = `${e.schema} ${e.id}`;
    let schema;
    try {
      schema = model.getSchema(e.schema);
    } catch {
      schema = undefined;
    }
    if (!schema) {
      problems.push(`${where}: no such schema`);
      continue;
    }
    if (schema.abstract) problems.push(`${where}: abstract schema`);
    schemata[e.schema] = (schemata[e.schema] || 0) + 1;
    const props = schema.getProperties();
    for (const [name, values] of Object.entries(e.properties)) {
      const prop = props.get(name);
      if (!prop) {
        problems.push(`${where}: no property ${name} in ${e.schema}`);
        continue;
      }
      if (!Array.isArray(values) || values.length === 0) {
        problems.push(`${where}: ${name} is not a list of values`);
        continue;
      }
      for (const v of values) {
        const why = checkValue(prop, v);
        if (why) problems.push(`${where}: ${name} ${JSON.stringify(v)} is ${why}`);
        if (prop.type.name === 'entity') {
          const target = byID.get(v);
          if (!target) problems.push(`${where}: ${name} points at ${v}, no entity of the file`);
          else if (!model.getSchema(target.schema).isA(prop.getRange())) {
            problems.push(`${where}: ${name} points at a ${target.schema}, not a ${prop.getRange().name}`);
          }
        }
      }
    }
    for (const name of schema.required || []) {
      if (!e.properties[name]?.length) problems.push(`${where}: required ${name} missing`);
    }
  }
  return { entities, problems, schemata };
}

test('every FtM entity is valid against the FollowTheMoney model', async () => {
  const { entities, problems, schemata } = validate(await exportOf('ftm'));
  assert.deepEqual(problems, []);
  for (const s of ['Article', 'Company', 'PublicBody', 'Person', 'Employment', 'Membership', 'Event', 'Project',
    'ProjectParticipant', 'Contract', 'UnknownLink', 'Documentation', 'Note']) {
    assert.ok(schemata[s] > 0, `no ${s} among ${JSON.stringify(schemata)}`);
  }
  const caspi = entities.find((e) => e.schema === 'Project' && e.properties.name?.[0] === 'Caspi Bitum plant expansion');
  assert.ok(caspi, 'no Caspi Bitum plant expansion');
  assert.ok(caspi.properties.proof.length > 0, 'the project cites no article');
});

test('the FtM export as of 2023-12-31 is valid and holds less', async () => {
  const now = validate(await exportOf('ftm'));
  const then = validate(await exportOf('ftm', '2023-12-31'));
  assert.deepEqual(then.problems, []);
  assert.ok(then.entities.length > 0 && then.entities.length < now.entities.length,
    `${then.entities.length} entities as of 2023-12-31, ${now.entities.length} today`);
  const late = then.entities.filter((e) => e.schema === 'Article' && e.properties.publishedAt[0] > '2023-12-31');
  assert.deepEqual(late.map((e) => e.id), []);
});

test('graphology-graphml reads the GraphML', async () => {
  for (const asOf of [undefined, '2023-12-31']) {
    const g = graphml.parse(Graph, await exportOf('graphml', asOf));
    assert.ok(g.order > 10 && g.size > 10, `${g.order} nodes, ${g.size} edges`);
    const caspi = g.findNode((_, a) => a.label === 'Caspi Bitum plant expansion');
    assert.ok(caspi, 'no Caspi Bitum plant expansion node');
    assert.equal(g.getNodeAttribute(caspi, 'type'), 'Project');
    const citic = g.findNode((_, a) => a.label === 'CITIC Group');
    assert.ok(citic, 'no CITIC Group node');
    const types = new Set(g.mapEdges((_, a) => a.type));
    assert.ok(types.has('PARTICIPANT') && types.has('POSITION'), `edge types ${[...types]}`);
    g.forEachEdge((e, a) => assert.ok(a.type && a.label, `edge ${e} lacks a type or label`));
    g.forEachEdge((e, a) => assert.ok(a.basis === 'STATED' || a.basis === 'INFERRED', `edge ${e} has basis ${a.basis}`));
    if (!asOf) {
      for (const t of ['SAID', 'SAID_AT', 'ABOUT', 'PART_OF', 'IN_PACKAGE']) assert.ok(types.has(t), `no ${t} edge among ${[...types]}`);
      const nodeTypes = new Set(g.mapNodes((_, a) => a.type));
      assert.ok(nodeTypes.has('Statement') && nodeTypes.has('Event'), `node types ${[...nodeTypes]}`);
    }
  }
});
