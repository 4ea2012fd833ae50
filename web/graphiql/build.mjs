// build.mjs bundles GraphiQL into ../../httpapi/assets/graphiql, which the
// Go binary embeds: graphiql-HASH.js, graphiql-HASH.css and index.html
// pointing at them. The server replaces CSP_NONCE in index.html with a
// fresh nonce for each response. The output depends only on the sources and the locked
// packages (no timestamps, no absolute paths), so CI rebuilds it and fails
// when the committed files differ. Run: npm ci && npm run build.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, '../../httpapi/assets/graphiql');
// prefix is where the Go handler serves the assets.
const prefix = '/graphiql/';

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: ['src/main.jsx'],
  entryNames: 'graphiql-[hash]',
  outdir,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'transform',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'eof',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
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

for (const f of [...outputs, 'index.html'].sort()) {
  const { size } = await stat(path.join(outdir, f));
  console.log(`${f}\t${(size / 1024).toFixed(0)} KiB`);
}
