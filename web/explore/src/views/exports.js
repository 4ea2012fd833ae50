import { h, show } from '../dom.js';

const files = [
  ['ftm.jsonl', 'FollowTheMoney entities, one JSON object a line', 'Aleph (ftm import), OpenSanctions tools, followthemoney-store'],
  ['graph.graphml', 'objects and typed relationships as GraphML', 'Gephi, Cytoscape, yEd, NetworkX'],
  ['projects.csv', 'one row per project: participants, figures, amounts, citations', 'spreadsheets, pandas, R'],
];

// renderExports links the downloads, as of the chosen date.
export async function renderExports(ctx) {
  const q = ctx.asOf ? `?asOf=${encodeURIComponent(ctx.asOf)}` : '';
  show(ctx.main, 
    h('h1', {}, 'Exports'),
    h('p', {}, ctx.asOf ? `Each download holds the graph as the reports published up to ${ctx.asOf} stood.` : 'Each download holds the whole graph; choose an As of date to export an earlier state.'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Download'), h('th', {}, 'What'), h('th', {}, 'Read by'))),
      h('tbody', {}, files.map(([f, what, tools]) =>
        h('tr', {}, h('td', {}, h('a', { href: `/export/${f}${q}`, download: '' }, f)), h('td', {}, what), h('td', {}, tools))))),
    h('p', { class: 'muted' }, 'The same files come from the command line: investgraph export -format ftm|graphml|csv [-asof DATE].'),
  );
}
