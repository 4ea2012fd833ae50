import cytoscape from 'cytoscape';

import { gql } from '../api.js';
import { h, show } from '../dom.js';
import { href, route } from '../nav.js';
import { TYPE_COLORS, badge, link, nameOf } from './common.js';
import { searchText } from '../query.js';

// renderNetwork draws an object's neighborhood: nodes coloured by type,
// edges labelled by relationship. Clicking a node (or its button in the
// list beside the drawing) expands its neighborhood into the drawing; the
// expanded nodes are in the URL (expand=), and so is the other end of a
// path (to=), which is drawn highlighted with the shortest connections.
export async function renderNetwork(ctx) {
  const center = ctx.arg;
  const expanded = (ctx.params.get('expand') || '').split(',').filter(Boolean);
  const to = ctx.params.get('to') || '';
  const first = await gql('Neighborhood', { id: center, depth: 1, basis: ctx.basis }, ctx.asOf);
  if (!ctx.live()) return;
  const nb = first.neighborhood;

  const nodes = new Map();
  const edges = new Map();
  const add = (result) => {
    for (const n of result.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
    for (const r of result.relationships) {
      const id = `${r.fromId}|${r.type}|${r.label}|${r.toId}`;
      if (!edges.has(id)) edges.set(id, { ...r, id });
    }
  };
  add(nb);
  for (const id of expanded) {
    if (id === center) continue;
    try {
      add((await gql('Neighborhood', { id, depth: 1, basis: ctx.basis }, ctx.asOf)).neighborhood);
    } catch {
      // An object not reported as of the date has no neighborhood: skip it.
    }
    if (!ctx.live()) return;
  }
  let paths = [];
  if (to) {
    paths = (await gql('Paths', { from: center, to, maxHops: 5, basis: ctx.basis }, ctx.asOf)).paths;
    if (!ctx.live()) return;
    for (const p of paths) add(p);
  }

  const box = h('div', { class: 'cy', 'aria-label': `Network of ${nameOf(nb.center)}`, role: 'img' });
  const side = h('aside', { class: 'net-side' });
  show(ctx.main, 
    h('header', { class: 'entity-head' }, badge(nb.center.__typename), h('h1', {}, `Network of ${nameOf(nb.center)}`),
      h('p', { class: 'tabs' }, h('a', { href: href('entity', center) }, 'Page'), ' · ',
        h('a', { href: href('timeline', '', { subject: center }) }, 'Timeline'))),
    h('div', { class: 'net' }, box, side));

  const pathEdges = new Set();
  const pathNodes = new Set();
  for (const p of paths) {
    for (const n of p.nodes) pathNodes.add(n.id);
    for (const r of p.relationships) pathEdges.add(`${r.fromId}|${r.type}|${r.label}|${r.toId}`);
  }
  const elements = [
    ...[...nodes.values()].map((n) => ({
      data: { id: n.id, label: shorten(nameOf(n)), type: n.__typename },
      classes: [n.id === center ? 'center' : '', expanded.includes(n.id) ? 'expanded' : '', pathNodes.has(n.id) ? 'path' : ''].join(' '),
    })),
    ...[...edges.values()].map((e) => ({
      data: { id: e.id, source: e.fromId, target: e.toId, label: edgeLabel(e), type: e.type, basis: e.basis },
      classes: [pathEdges.has(e.id) ? 'path' : '', e.basis === 'INFERRED' ? 'inferred' : ''].join(' '),
    })),
  ];
  const hops = distances(center, [...edges.values()]);
  const cy = cytoscape({
    container: box,
    elements,
    style: [
      { selector: 'node', style: { 'background-color': '#999', label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, width: 18, height: 18, 'text-wrap': 'wrap', 'text-max-width': 120 } },
      ...Object.entries(TYPE_COLORS).map(([t, c]) => ({ selector: `node[type="${t}"]`, style: { 'background-color': c } })),
      { selector: 'node.center', style: { width: 28, height: 28, 'border-width': 3, 'border-color': '#111' } },
      { selector: 'node.expanded', style: { 'border-width': 2, 'border-color': '#444', 'border-style': 'double' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f5c400' } },
      { selector: 'edge', style: { width: 1.5, 'line-color': '#aab', 'target-arrow-color': '#aab', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 8, color: '#445', 'text-rotation': 'autorotate', 'text-background-color': '#fff', 'text-background-opacity': 0.8, 'text-background-padding': 1 } },
      { selector: 'edge[type="MET"]', style: { 'target-arrow-shape': 'none', 'line-style': 'dotted' } },
      // What a curator inferred is dashed and orange, what the sources
      // state solid.
      { selector: 'edge.inferred', style: { 'line-style': 'dashed', 'line-color': '#e0a050', 'target-arrow-color': '#e0a050' } },
      { selector: 'node[type="Statement"]', style: { shape: 'round-rectangle' } },
      { selector: 'node[type="Event"]', style: { shape: 'diamond', width: 22, height: 22 } },
      { selector: 'edge.path', style: { width: 4, 'line-color': '#d11', 'target-arrow-color': '#d11', color: '#a00', 'z-index': 10 } },
      { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#d11' } },
    ],
    // Rings around the center, nearest first: the same drawing every time.
    layout: { name: 'concentric', concentric: (n) => 100 - (hops.get(n.id()) ?? 99), levelWidth: () => 1, minNodeSpacing: 60, padding: 30, animate: false },
    maxZoom: 1.6,
  });
  box.dataset.nodes = String(cy.nodes().length);
  box.dataset.edges = String(cy.edges().length);
  box.dataset.pathEdges = String(cy.edges('.path').length);
  box.dataset.inferredEdges = String(cy.edges('.inferred').length);
  box.dataset.types = [...new Set(cy.nodes().map((n) => n.data('type')))].sort().join(',');
  box.dataset.edgeTypes = [...new Set(cy.edges().map((e) => e.data('type')))].sort().join(',');

  const expand = (id) => {
    const r = route();
    const list = new Set((r.params.get('expand') || '').split(',').filter(Boolean));
    list.add(id);
    r.params.set('expand', [...list].join(','));
    location.hash = `#/network/${encodeURIComponent(center)}?${r.params}`;
  };
  cy.on('tap', 'node', (e) => {
    const id = e.target.id();
    if (id !== center && !expanded.includes(id)) expand(id);
  });

  side.append(
    h('p', { class: 'muted' }, 'Click a node, or press its button below, to draw its neighbors too. ',
      ctx.stated ? 'Stated only: links a curator inferred are left out.' : 'Dashed orange links are inferred by a curator, not stated in the source; tick "Stated only" to leave them out.'),
    legend(),
    pathFinder(ctx, center, to, paths, nodes),
    h('h2', {}, `${nodes.size} objects`),
    h('ul', { class: 'node-list results' }, [...nodes.values()].map((n) => h('li', {},
      link(n),
      n.id === center || expanded.includes(n.id) ? null
        : h('button', { type: 'button', class: 'small', onclick: () => expand(n.id), 'aria-label': `Expand ${nameOf(n)}` }, '+')))),
  );
}

// distances counts the relationships between center and each object,
// either way along them.
function distances(center, edges) {
  const next = new Map();
  for (const e of edges) {
    if (!next.has(e.fromId)) next.set(e.fromId, []);
    if (!next.has(e.toId)) next.set(e.toId, []);
    next.get(e.fromId).push(e.toId);
    next.get(e.toId).push(e.fromId);
  }
  const dist = new Map([[center, 0]]);
  const queue = [center];
  while (queue.length) {
    const id = queue.shift();
    for (const n of next.get(id) || []) {
      if (!dist.has(n)) {
        dist.set(n, dist.get(id) + 1);
        queue.push(n);
      }
    }
  }
  return dist;
}

// EDGE_LABELS read the relationship types that have no label of their own.
const EDGE_LABELS = {
  SAID: 'said', SAID_AT: 'said at', ABOUT: 'about', PART_OF: 'part of', IN_PACKAGE: 'in package',
};

// edgeLabel is the relationship's label, marked when inferred.
function edgeLabel(e) {
  const label = e.label || EDGE_LABELS[e.type] || e.type.toLowerCase();
  return e.basis === 'INFERRED' ? `${label} (inferred)` : label;
}

function shorten(s) {
  return s.length > 48 ? s.slice(0, 46) + '…' : s;
}

function legend() {
  return h('ul', { class: 'legend' }, Object.entries(TYPE_COLORS).filter(([t]) => t !== 'Source').map(([t]) => h('li', {}, badge(t))));
}

// pathFinder chooses the other end of a path by search and lists the
// paths found.
function pathFinder(ctx, center, to, paths, nodes) {
  const input = h('input', { type: 'search', id: 'path-to', placeholder: 'Find a path to…', 'aria-label': 'Find a path to', autocomplete: 'off' });
  const choices = h('ul', { class: 'results choices' });
  let seq = 0;
  input.addEventListener('input', async () => {
    const q = searchText(input.value);
    const mine = ++seq;
    if (!q) {
      choices.replaceChildren();
      return;
    }
    try {
      const data = await gql('Search', { query: q, first: 8 }, ctx.asOf);
      if (mine !== seq) return;
      choices.replaceChildren(...data.search.edges.filter((e) => e.node.id !== center).map((e) =>
        h('li', {}, h('a', { class: 'result', href: href('network', center, { to: e.node.id }) }, badge(e.node.__typename), ' ', nameOf(e.node)))));
    } catch {
      choices.replaceChildren(h('li', { class: 'muted' }, 'No search for that.'));
    }
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      choices.querySelector('a')?.focus();
    }
  });
  let found = null;
  if (to) {
    const target = nodes.get(to);
    found = paths.length
      ? h('ol', { class: 'paths' }, paths.map((p) => h('li', { class: 'path' }, pathText(p))))
      : h('p', {}, `No path of up to 5 steps to ${target ? nameOf(target) : 'that object'}.`);
  }
  return h('section', { class: 'pathfinder' }, h('h2', {}, 'Path'), input, choices, found);
}

// pathText reads a path as A —label→ B ←label— C.
function pathText(p) {
  const out = [];
  p.nodes.forEach((n, i) => {
    out.push(h('strong', {}, nameOf(n)));
    const r = p.relationships[i];
    if (!r) return;
    const forward = r.fromId === n.id;
    const label = edgeLabel(r);
    out.push(forward ? ` —${label}→ ` : ` ←${label}— `);
  });
  return out;
}
