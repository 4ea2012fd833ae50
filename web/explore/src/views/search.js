import { gql } from '../api.js';
import { h, marked, show } from '../dom.js';
import { href, setParams } from '../nav.js';
import { badge, nameOf } from './common.js';
import { searchText } from '../query.js';

const TYPES = ['COMPANY', 'PERSON', 'PROJECT', 'MEETING', 'AGREEMENT', 'STATEMENT', 'EVENT', 'SOURCE'];
const TYPE_NAMES = { COMPANY: 'Organizations', PERSON: 'People', PROJECT: 'Projects', MEETING: 'Meetings', AGREEMENT: 'Agreements',
  STATEMENT: 'Statements', EVENT: 'Events', SOURCE: 'Sources' };

// renderSearch shows ranked results with highlighted snippets and type
// filters; the query and filters are in the URL.
export async function renderSearch(ctx) {
  const typed = ctx.params.get('q') || '';
  const types = (ctx.params.get('types') || '').split(',').filter((t) => TYPES.includes(t));
  const box = document.getElementById('q');
  if (box.value !== typed && document.activeElement !== box) box.value = typed;

  const filters = h('fieldset', { class: 'filters' },
    h('legend', {}, 'Only'),
    TYPES.map((t) => h('label', {},
      h('input', {
        type: 'checkbox', value: t, checked: types.includes(t),
        onchange: (e) => {
          const next = new Set(types);
          if (e.target.checked) next.add(t); else next.delete(t);
          setParams({ types: TYPES.filter((x) => next.has(x)).join(',') }, { replace: true });
        },
      }),
      ' ', TYPE_NAMES[t])));
  const results = h('ol', { class: 'results', 'aria-label': 'Search results' });
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  show(ctx.main, h('h1', {}, 'Search'), filters, summary, results);

  const query = searchText(typed);
  if (!query) {
    summary.textContent = 'Type a name, a place or a topic in the search box.';
    return;
  }
  summary.textContent = 'Searching…';
  const data = await gql('Search', { query, types: types.length ? types : null, first: 30 }, ctx.asOf);
  if (!ctx.live()) return;
  const { edges, totalCount } = data.search;
  summary.textContent = `${totalCount} result${totalCount === 1 ? '' : 's'} for ${query}${ctx.asOf ? ` as of ${ctx.asOf}` : ''}`;
  results.replaceChildren(...edges.map((e) =>
    h('li', {},
      h('a', { class: 'result', href: href('entity', e.node.id), dataset: { type: e.node.__typename } },
        badge(e.node.__typename), ' ', h('span', { class: 'rname' }, nameOf(e.node)),
        h('span', { class: 'snippet' }, marked(e.snippet))))));
}
