// common.js: how every view shows an object, a citation, a number.
import { h } from '../dom.js';
import { href } from '../nav.js';

// TYPE_COLORS colour each kind of object, the same in every view.
export const TYPE_COLORS = {
  Company: '#1f6fb4',
  Person: '#c2332b',
  Project: '#23843a',
  Meeting: '#7b4fb0',
  Agreement: '#c76a00',
  Source: '#666666',
  Statement: '#00838f',
  Event: '#ad1457',
};

export const TYPE_LABELS = {
  Company: 'Organization',
  Person: 'Person',
  Project: 'Project',
  Meeting: 'Meeting',
  Agreement: 'Agreement',
  Source: 'Source',
  Statement: 'Statement',
  Event: 'Event',
};

// nameOf is how an object reads: a name, a title, or a meeting's date and
// place.
export function nameOf(n) {
  if (!n) return '';
  if (n.name) return n.name;
  if (n.title) return n.title;
  if (n.__typename === 'Meeting') return `${n.occasion || 'Meeting'}${n.location ? ', ' + n.location : ''} (${n.date})`;
  if (n.__typename === 'Statement') {
    const said = n.saying || '';
    return `${n.speaker?.name || 'Someone'}: ${said.length > 90 ? said.slice(0, 88) + '…' : said}`;
  }
  return n.id;
}

// basisMark tells a stated fact from an inferred one: a quiet "stated",
// or an "inferred" marker that opens (click, Enter) on the curator's note,
// which it also shows on hover.
export function basisMark(x) {
  if (!x?.basis) return null;
  if (x.basis === 'STATED') {
    return h('span', { class: 'basis stated', title: 'The cited paragraph says so.', dataset: { basis: 'STATED' } }, 'stated');
  }
  const note = x.inferenceNote || 'A curator concluded this; the cited paragraph does not say it in so many words.';
  return h('details', { class: 'basis inferred', dataset: { basis: 'INFERRED' } },
    h('summary', { title: note }, 'inferred'),
    h('span', { class: 'note' }, note));
}

// listedMark marks an object of a list the API filters by basis (a
// meeting's organizations, an agreement's parties) as inferred when it is
// not among those the sources state.
export function listedMark(n, stated) {
  if (!stated) return null;
  return basisMark({ basis: stated.some((s) => s.id === n.id) ? 'STATED' : 'INFERRED',
    inferenceNote: 'A curator inferred this link; the sources do not state it (the API lists it only without basis: [STATED]).' });
}

// according names who a source attributes a fact to: "according to X".
export function according(x) {
  if (!x?.attributedTo) return null;
  return h('span', { class: 'according' }, ' according to ', link(x.attributedTo, { withBadge: false }));
}

export function badge(type) {
  return h('span', { class: `badge t-${type}` }, TYPE_LABELS[type] || type);
}

// link is a link to an object's page, with its type.
export function link(n, { withBadge = true } = {}) {
  if (!n) return h('span', { class: 'muted' }, '—');
  return h('span', { class: 'obj' }, withBadge ? badge(n.__typename) : null, ' ', h('a', { href: href('entity', n.id) }, nameOf(n)));
}

// cite shows a citation: the source, its date and the paragraph.
export function cite(c) {
  if (!c) return null;
  return h('cite', { class: 'cite' },
    h('a', { href: href('entity', c.source.id), title: c.source.publisher || '' }, c.source.title),
    ` (${c.source.publishedOn}) ¶${c.paragraph}`);
}

// cites shows citations grouped by source: "Title (2023-10-18) ¶3, ¶4".
export function cites(list) {
  if (!list?.length) return h('span', { class: 'muted' }, 'no citation');
  const bySource = new Map();
  for (const c of list) {
    if (!bySource.has(c.source.id)) bySource.set(c.source.id, { source: c.source, paragraphs: [] });
    const g = bySource.get(c.source.id);
    if (!g.paragraphs.includes(c.paragraph)) g.paragraphs.push(c.paragraph);
  }
  return h('span', { class: 'cites' }, [...bySource.values()].map((g, i) => [i ? '; ' : '',
    h('cite', { class: 'cite' },
      h('a', { href: href('entity', g.source.id), title: g.source.publisher || '' }, g.source.title),
      ` (${g.source.publishedOn}) ${g.paragraphs.map((p) => `¶${p}`).join(', ')}`)]));
}

const approxWords = { EXACT: '', ABOUT: 'about ', AT_LEAST: 'at least ', UP_TO: 'up to ' };

// num formats a figure with its approximation: "about 1,200,000,000".
export function num(value, approximation = 'EXACT') {
  return (approxWords[approximation] ?? '') + Number(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function money(a) {
  return `${num(a.amount, a.approximation)} ${a.currency}`;
}

export function enumText(s) {
  return s ? s.toLowerCase().replaceAll('_', ' ') : '';
}

// section is a titled part of a page; empty lists give nothing.
export function section(title, body, { id } = {}) {
  if (body === null || body === undefined || (Array.isArray(body) && body.length === 0)) return null;
  return h('section', { class: 'card', id }, h('h2', {}, title), body);
}

// table builds a table from a header and rows of cells.
export function table(headers, rows, attrs = {}) {
  if (!rows.length) return null;
  return h('table', attrs,
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows));
}

export function loading(main, what) {
  main.replaceChildren(h('p', { class: 'muted' }, `Loading ${what}…`));
}
