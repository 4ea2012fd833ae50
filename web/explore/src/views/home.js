import { gql } from '../api.js';
import { h, show } from '../dom.js';
import { href } from '../nav.js';

// renderHome is the start page: what the graph holds, as of the date, and
// where to go.
export async function renderHome(ctx) {
  const data = await gql('Counts', {}, ctx.asOf);
  if (!ctx.live()) return;
  const c = data.aggregates.counts;
  const items = [
    ['organizations', c.companies], ['people', c.people], ['projects', c.projects], ['meetings', c.meetings],
    ['agreements', c.agreements], ['statements', c.statements], ['events', c.events], ['sources', c.sources],
    ['figures', c.measurements], ['sums of money', c.amounts],
  ];
  show(ctx.main, 
    h('h1', {}, 'Kazakhstan–China investment graph'),
    h('p', {}, ctx.asOf ? `As the reports published up to ${ctx.asOf} stood, the graph holds:` : 'The graph holds:'),
    h('ul', { class: 'counts' }, items.map(([k, v]) => h('li', {}, h('strong', {}, String(v)), ' ', k))),
    h('section', { class: 'card' },
      h('h2', {}, 'Start here'),
      h('ul', {},
        h('li', {}, 'Type in the search box (press ', h('kbd', {}, '/'), '), e.g. ', h('a', { href: href('search', '', { q: 'bitu' }) }, 'bitu'), ' or ',
          h('a', { href: href('search', '', { q: 'CITIC' }) }, 'CITIC'), '; arrow keys move through the results.'),
        h('li', {}, h('a', { href: href('money') }, 'Money'), ': totals by country, company, sector and year, with what each leaves out and why.'),
        h('li', {}, h('a', { href: href('timeline') }, 'Timeline'), ': every dated event, a quarter drawn as its three months.'),
        h('li', {}, h('a', { href: href('exports') }, 'Exports'), ': FollowTheMoney, GraphML and CSV downloads.'),
        h('li', {}, 'The ', h('em', {}, 'As of'), ' date redraws every view as the reports published by then stood; the address of each view can be shared.'),
        h('li', {}, 'Every fact is marked ', h('em', {}, 'stated'), ' (the cited paragraph says it) or ', h('em', {}, 'inferred'),
          ' (a curator concluded it; open the marker for the note). ', h('em', {}, 'Stated only'), ' redraws lists, networks, paths and money without the inferences.'))),
  );
}
