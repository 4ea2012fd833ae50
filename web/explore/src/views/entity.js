import { gql } from '../api.js';
import { h, show } from '../dom.js';
import { href } from '../nav.js';
import { badge, cite, cites, enumText, link, money, nameOf, num, section, table } from './common.js';
import { figureCharts } from './chart.js';

// renderEntity is an object's page: every fact the API holds about it,
// each with the paragraphs that report it.
export async function renderEntity(ctx) {
  const data = await gql('Entity', { id: ctx.arg }, ctx.asOf);
  if (!ctx.live()) return;
  const n = data.node;
  if (!n) {
    show(ctx.main, h('h1', {}, 'Not found'),
      h('p', {}, ctx.asOf ? `No report published up to ${ctx.asOf} names this object.` : 'No object has this ID.'),
      ctx.asOf ? h('p', {}, h('a', { href: href('entity', ctx.arg, { asOf: '' }) }, 'See it as the latest reports have it')) : null);
    return;
  }
  const tabs = n.__typename === 'Source' ? null : h('p', { class: 'tabs' },
    h('a', { href: href('network', n.id) }, 'Network'), ' · ',
    h('a', { href: href('timeline', '', { subject: n.id }) }, 'Timeline'));
  // A kind of object this explorer does not know yet gets its ID and a
  // pointer to the API rather than a broken page.
  const body = (pages[n.__typename] || unknownPage)(n, ctx);
  show(ctx.main, 
    h('header', { class: 'entity-head' }, badge(n.__typename), h('h1', {}, nameOf(n)), tabs),
    ...body.filter(Boolean));
}

// facts is a definition list of the fields that have values.
function facts(pairs) {
  const rows = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length));
  if (!rows.length) return null;
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, Array.isArray(v) ? v.join(', ') : v)]));
}

function linkList(items) {
  if (!items?.length) return null;
  return h('ul', { class: 'links' }, items.map((x) => h('li', {}, link(x))));
}

function mentions(n) {
  return section('Reported in', n.citations?.length ? h('ul', { class: 'links' }, n.citations.map((c) => h('li', {}, cite(c)))) : null);
}

// positionsTable lists titles in the order they were reported: positions
// over time, a later report never replacing an earlier one.
function positionsTable(positions, other) {
  const sorted = [...positions].sort((a, b) => a.reportedOn.localeCompare(b.reportedOn));
  return table(['Reported', other === 'person' ? 'Person' : 'Organization', 'Title', 'Reported in'],
    sorted.map((p) => h('tr', {}, h('td', {}, p.reportedOn), h('td', {}, link(p[other])), h('td', {}, p.title), h('td', {}, cites(p.citations)))));
}

// amountsTable shows every sum reported, side by side: where reports
// disagree, each stays, and none is added to another here.
function amountsTable(amounts) {
  if (!amounts?.length) return null;
  const note = amounts.length > 1 ? h('p', { class: 'muted' }, `${amounts.length} reports of money, side by side; where they differ, each is kept as its source gave it.`) : null;
  return [note, table(['Amount', 'What', 'Reported in'],
    amounts.map((a) => h('tr', { class: 'amount' }, h('td', { class: 'n' }, money(a)), h('td', {}, a.label || ''), h('td', {}, cite(a.citation)))))];
}

function unknownPage(n) {
  return [h('p', {}, `This explorer has no page for ${n.__typename} objects yet. Query it in GraphiQL by its ID: ${n.id}`)];
}

const pages = {
  Company(n) {
    return [
      section('Facts', facts([['Kind', enumText(n.companyKind)], ['Country', n.country], ['Founded', n.founded],
        ['Headquarters', n.headquarters], ['Also called', n.aliases], ['Parent', n.parent ? link(n.parent) : null],
        ['About', n.description]])),
      section('Subsidiaries', linkList(n.subsidiaries)),
      section('People and their titles, as reported over time', positionsTable(n.positions, 'person')),
      section('Projects', table(['Project', 'Role', 'Reported in'],
        n.participations.map((p) => h('tr', {}, h('td', {}, link(p.project)), h('td', {}, enumText(p.role)), h('td', {}, cites(p.citations)))))),
      section('Figures', figureCharts(n.measurements)),
      section('Agreements', linkList(n.agreements)),
      section('Meetings', linkList(n.meetings)),
      mentions(n),
    ];
  },
  Person(n) {
    return [
      section('Facts', facts([['Also called', n.aliases], ['About', n.description]])),
      section('Titles, as reported over time', positionsTable(n.positions, 'organization')),
      section('Meetings', linkList(n.meetings)),
      mentions(n),
    ];
  },
  Project(n) {
    return [
      section('Facts', facts([['Sector', enumText(n.sector)], ['Status (latest report)', enumText(n.status)], ['Region', n.region],
        ['Also called', n.aliases], ['About', n.description]])),
      section('Participants', table(['Organization', 'Role', 'Reported in'],
        n.participants.map((p) => h('tr', {}, h('td', {}, link(p.company)), h('td', {}, enumText(p.role)), h('td', {}, cites(p.citations)))))),
      section('Figures over time', figureCharts(n.measurements), { id: 'figures' }),
      section('Milestones', table(['When', 'Step', 'Status', 'Reported in'],
        n.milestones.map((m) => h('tr', {}, h('td', {}, m.date || 'undated'), h('td', {}, m.name), h('td', {}, enumText(m.status)), h('td', {}, cite(m.citation)))))),
      section('Money reported', amountsTable(n.amounts)),
      section('Agreements', linkList(n.agreements)),
      section('Meetings', linkList(n.meetings)),
      mentions(n),
    ];
  },
  Meeting(n) {
    return [
      section('Facts', facts([['Date', n.date], ['Place', n.location], ['Occasion', n.occasion], ['Topics', n.topics], ['Summary', n.summary]])),
      section('People', linkList(n.participants)),
      section('Organizations represented', linkList(n.organizations)),
      section('Projects discussed', linkList(n.projects)),
      section('Agreements signed', linkList(n.agreements)),
      mentions(n),
    ];
  },
  Agreement(n) {
    return [
      section('Facts', facts([['Kind', enumText(n.agreementKind)], ['Signed', n.signedOn],
        ['Documents', n.documentCount != null ? num(n.documentCount, n.documentCountApproximation || 'EXACT') : null],
        ['Summary', n.summary], ['Signed at', n.meeting ? link(n.meeting) : null]])),
      section('Parties', linkList(n.parties)),
      section('Signatories', linkList(n.signatories)),
      section('Money reported', amountsTable(n.amounts)),
      section('Projects covered', linkList(n.projects)),
      mentions(n),
    ];
  },
  Source(n) {
    return [
      section('Facts', facts([['Published', n.publishedOn], ['Publisher', n.publisher], ['Press office', n.attribution],
        ['Paragraphs', String(n.paragraphs)]])),
      h('p', { class: 'muted' }, 'Citations elsewhere name this article and a paragraph number, counting its non-empty lines from 1.'),
    ];
  },
};
