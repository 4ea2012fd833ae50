import { gql } from '../api.js';
import { h, show } from '../dom.js';
import { href } from '../nav.js';
import { according, basisMark, cite, enumText, money, num } from './common.js';

const GROUPINGS = [
  ['COUNTERPARTY_COUNTRY', 'Country'],
  ['COMPANY', 'Company'],
  ['SECTOR', 'Sector'],
  ['YEAR', 'Year'],
];

// renderMoney shows money totals by country, company, sector or year: each
// group's total with the amounts it counts, and every amount left out with
// the reason and, where there is one, the amount counted in its place.
export async function renderMoney(ctx) {
  const groupBy = GROUPINGS.some(([g]) => g === ctx.params.get('groupBy')) ? ctx.params.get('groupBy') : 'COUNTERPARTY_COUNTRY';
  const currency = (ctx.params.get('currency') || 'USD').toUpperCase();
  const byReportYear = groupBy === 'YEAR' && ctx.params.get('undated') === 'reported';
  const data = await gql('Money', { groupBy, currency, undatedByReportYear: byReportYear, basis: ctx.basis }, ctx.asOf);
  if (!ctx.live()) return;
  const m = data.aggregates.money;
  const maxTotal = Math.max(1, ...m.groups.map((g) => g.total));

  const tabs = h('p', { class: 'tabs', role: 'tablist' }, GROUPINGS.map(([g, label], i) => [i ? ' · ' : '',
    h('a', { href: href('money', '', { groupBy: g, currency }), 'aria-current': g === groupBy ? 'page' : 'false' }, label)]));
  const groups = h('ol', { class: 'money-groups' }, m.groups.map((g) => {
    const bar = h('span', { class: 'bar' });
    bar.style.width = `${(100 * g.total) / maxTotal}%`;
    return h('li', { class: 'money-group', dataset: { key: g.key } },
      h('details', {},
        h('summary', {},
          h('span', { class: 'glabel' }, g.label, g.key === 'UNDATED' || g.byReportYear ? ' *' : ''),
          h('span', { class: 'gbar' }, bar),
          h('span', { class: 'n' }, `${g.isLowerBound ? 'at least ' : ''}${num(g.total)} ${m.currency}`),
          h('span', { class: 'muted' }, ` · ${g.amounts.length} counted`)),
        g.key === 'UNDATED' ? h('p', { class: 'undated-note' }, UNDATED_TEXT) : null,
        g.byReportYear ? h('p', { class: 'undated-note' }, REPORT_YEAR_TEXT) : null,
        h('ul', { class: 'counted' }, g.amounts.map((a) => h('li', {}, amountLine(a))))));
  }));
  const undated = m.groups.find((g) => g.key === 'UNDATED');
  const yearChoice = groupBy !== 'YEAR' ? null : h('p', { class: 'undated-choice' },
    byReportYear
      ? ['Deals no source dates are put in the year they were first reported (marked *). ',
        h('a', { href: href('money', '', { groupBy, currency, undated: '' }) }, 'Keep them apart as UNDATED')]
      : [undated ? h('span', { class: 'undated-note', id: 'undated-explained' }, UNDATED_TEXT, ' ') : null,
        h('a', { href: href('money', '', { groupBy, currency, undated: 'reported' }) }, 'Put them in the year they were first reported instead')]);
  const excluded = m.excluded.length
    ? h('table', { class: 'excluded' },
      h('thead', {}, h('tr', {}, ['Left out', 'For', 'Why', 'Counted instead', 'Reported in'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, m.excluded.map((x) => h('tr', { dataset: { reason: x.reason } },
        h('td', { class: 'n' }, money(x.amount)),
        h('td', {}, subjectOf(x.amount)),
        h('td', {}, h('strong', {}, enumText(x.reason)), ': ', x.explanation),
        h('td', {}, x.countedInstead ? [money(x.countedInstead), ' ', subjectOf(x.countedInstead)] : '—'),
        h('td', {}, cite(x.amount.citation))))))
    : h('p', {}, 'Nothing was left out.');

  show(ctx.main, 
    h('h1', {}, 'Money'),
    tabs,
    h('p', { class: 'total' }, 'Total: ', h('strong', {}, `${m.totalIsLowerBound ? 'at least ' : ''}${num(m.total)} ${m.currency}`),
      ctx.asOf ? ` as the reports published up to ${ctx.asOf} stood` : ''),
    h('p', { class: 'muted' }, 'Each deal counts once; an agreement covering projects is not added to them; "up to" figures are only ceilings and are left out; other currencies are listed, not converted.',
      m.groupsOverlap ? ' A deal with several companies counts in each of their groups, so the groups add up to more than the total.' : '',
      ctx.stated ? ' Stated only: sums a curator inferred are left out (listed below as not in basis).' : ''),
    yearChoice,
    h('section', { class: 'card' }, h('h2', {}, `By ${GROUPINGS.find(([g]) => g === groupBy)[1].toLowerCase()} — open a group to see what it counts`), groups),
    h('section', { class: 'card' }, h('h2', {}, `Left out of the totals (${m.excluded.length})`), excluded),
  );
}

// UNDATED_TEXT explains the UNDATED group of the money view by year.
const UNDATED_TEXT = 'UNDATED (*) holds the deals no source gives a signing date for: undated agreements and project sums. '
  + 'They count in the total but in no year, so that no year seems to hold what the sources never dated.';
const REPORT_YEAR_TEXT = 'This group (*) is the year these deals were first reported, standing in for a signing date no source gives.';

function subjectOf(a) {
  if (a.agreement) return h('a', { href: href('entity', a.agreement.id) }, a.agreement.title);
  if (a.project) return h('a', { href: href('entity', a.project.id) }, a.project.name);
  return '';
}

function amountLine(a) {
  return [h('span', { class: 'n' }, money(a)), ' ', subjectOf(a), a.label ? ` — ${a.label}` : '', according(a), basisMark(a), ' ', cite(a.citation)];
}
