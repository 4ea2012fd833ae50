// build.mjs bundles the explorer into ../../httpapi/assets/explore, which the
// Go binary embeds: explore-HASH.js, explore-HASH.css, index.html pointing
// at them, and operations.json, the persisted operations the page runs
// (an Apollo persisted query manifest the server loads at start). Each
// operation of src/operations.graphql is registered as written and wrapped
// in Query.asOf (named ...AsOf); the page knows them only by their sha256
// hashes, which the bundle imports from the virtual module
// "virtual:operations". The server replaces CSP_NONCE in index.html with a
// fresh nonce for each response. The output depends only on the sources and
// the locked packages (no timestamps, no absolute paths), so CI rebuilds it
// and fails when the committed files differ. Run: npm ci && npm run build.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';
import { Kind, parse, print, visit } from 'graphql';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, '../../httpapi/assets/explore');
// prefix is where the Go handler serves the assets.
const prefix = '/explore/';

// operations returns every operation of the file, and its asOf variant,
// each as a whole document with the fragments it uses.
function operations(source) {
  const doc = parse(source, { noLocation: true });
  const fragments = new Map();
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const used = (node) => {
    const names = [];
    const walk = (n) => {
      visit(n, {
        FragmentSpread(s) {
          if (!names.includes(s.name.value)) {
            names.push(s.name.value);
            walk(fragments.get(s.name.value));
          }
        },
      });
    };
    walk(node);
    return names.map((n) => fragments.get(n));
  };
  const out = [];
  for (const op of doc.definitions) {
    if (op.kind !== Kind.OPERATION_DEFINITION) continue;
    if (!op.name) throw new Error('every operation needs a name');
    const frags = used(op);
    const asOf = {
      ...op,
      name: { kind: Kind.NAME, value: op.name.value + 'AsOf' },
      variableDefinitions: [
        ...(op.variableDefinitions || []),
        {
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'asOf' } },
          type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'PartialDate' } } },
          directives: [],
        },
      ],
      selectionSet: {
        kind: Kind.SELECTION_SET,
        selections: [
          {
            kind: Kind.FIELD,
            name: { kind: Kind.NAME, value: 'asOf' },
            arguments: [
              {
                kind: Kind.ARGUMENT,
                name: { kind: Kind.NAME, value: 'date' },
                value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'asOf' } },
              },
            ],
            directives: [],
            selectionSet: op.selectionSet,
          },
        ],
      },
    };
    for (const o of [op, asOf]) {
      const body = [o, ...frags].map((d) => print(d)).join('\n\n');
      const id = createHash('sha256').update(body).digest('hex');
      out.push({ id, name: o.name.value, type: o.operation, body });
    }
  }
  return out;
}

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const ops = operations(await readFile(path.join(here, 'src/operations.graphql'), 'utf8'));
const manifest = { format: 'apollo-persisted-query-manifest', version: 1, operations: ops };
await writeFile(path.join(outdir, 'operations.json'), JSON.stringify(manifest, null, 2) + '\n');
const hashes = Object.fromEntries(ops.map((o) => [o.name, o.id]));

const virtualOperations = {
  name: 'operations',
  setup(build) {
    build.onResolve({ filter: /^virtual:operations$/ }, () => ({ path: 'operations', namespace: 'virtual' }));
    build.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({
      contents: `export default ${JSON.stringify(hashes)};`,
      loader: 'js',
    }));
  },
};

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: ['src/main.js'],
  entryNames: 'explore-[hash]',
  outdir,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  legalComments: 'eof',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
  plugins: [virtualOperations],
});

const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
const js = outputs.find((f) => f.endsWith('.js'));
const css = outputs.find((f) => f.endsWith('.css'));
if (!js || !css || outputs.length !== 2) {
  throw new Error(`unexpected esbuild outputs: ${outputs.join(', ')}`);
}

const template = await readFile(path.join(here, 'src/index.html'), 'utf8');
const html = template.replace('{{js}}', prefix + js).replace('{{css}}', prefix + css);
await writeFile(path.join(outdir, 'index.html'), html);

for (const f of [...outputs, 'index.html', 'operations.json'].sort()) {
  const { size } = await stat(path.join(outdir, f));
  console.log(`${f}\t${(size / 1024).toFixed(0)} KiB`);
}
