import { gql } from '../api.js';
import { h, show } from '../dom.js';
import { href } from '../nav.js';
import { according, badge, basisMark, cite, cites, enumText, link, listedMark, money, nameOf, num, section, table } from './common.js';
import { figureCharts } from './chart.js';

// renderEntity is an object's page: every fact the API holds about it,
// each with the paragraphs that report it.
export async function renderEntity(ctx) {
  const data = await gql('Entity', { id: ctx.arg, basis: ctx.basis }, ctx.asOf);
  if (!ctx.live()) return;
  const n = data.node;
  // Organizations, projects and agreements have no statements field: the
  // statements about them come from Query.statements.
  if (n && ['Company', 'Project', 'Agreement'].includes(n.__typename)) {
    const about = await gql('About', { id: n.id, basis: ctx.basis }, ctx.asOf);
    if (!ctx.live()) return;
    n.statementsAbout = about.statements.edges.map((e) => e.node);
  }
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
  const statedNote = ctx.stated ? h('p', { class: 'muted stated-note' },
    'Stated only: lists, figures and links show what the cited paragraphs say; what a curator inferred is left out. Untick "Stated only" to see everything.') : null;
  show(ctx.main,
    h('header', { class: 'entity-head' }, badge(n.__typename), h('h1', {}, nameOf(n)), tabs),
    statedNote,
    ...body.filter(Boolean));
}

// facts is a definition list of the fields that have values; a third
// element names the attribute whose evidence marks it stated or inferred.
function facts(pairs, evidence) {
  const rows = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length));
  if (!rows.length) return null;
  return h('dl', { class: 'facts' }, rows.map(([k, v, attr]) => [h('dt', {}, k),
    h('dd', {}, Array.isArray(v) ? v.join(', ') : v, attr ? basisMark(evidenceOf(evidence, attr)) : null)]));
}

// evidenceOf is the basis of attribute among an object's evidence: listed
// ones as the API gives them (none for an attribute it does not list).
function evidenceOf(evidence, attribute) {
  if (!evidence) return null;
  return evidence.find((e) => e.attribute === attribute) || null;
}

// inferredAttributes lists the attributes a curator inferred, with notes.
function inferredAttributes(n) {
  const inferred = (n.evidence || []).filter((e) => e.basis === 'INFERRED');
  if (!inferred.length) return null;
  return section('Inferred, not stated', h('ul', { class: 'links' }, inferred.map((e) =>
    h('li', {}, h('strong', {}, e.attribute), ': ', e.inferenceNote || 'a curator inferred it'))));
}

// marked is a list of links, each marked stated or inferred where the
// page knows which of them the sources state.
function markedList(items, stated) {
  if (!items?.length) return null;
  return h('ul', { class: 'links' }, items.map((x) => h('li', {}, link(x), listedMark(x, stated))));
}

// statementsTable lists statements: who, when, what (in our words), where,
// and the paragraph.
function statementsTable(list, { speaker = true } = {}) {
  if (!list?.length) return null;
  return table([speaker ? 'Who' : null, 'When', 'What was said', 'Where', 'Reported in'].filter(Boolean),
    list.map((st) => h('tr', { class: 'statement' },
      speaker ? h('td', {}, link(st.speaker)) : null,
      h('td', { class: 'n' }, st.statementDate || `reported ${st.reportedOn}`),
      h('td', {}, h('a', { href: href('entity', st.id) }, st.saying), basisMark(st)),
      h('td', {}, st.meeting ? link(st.meeting) : null, st.event ? link(st.event) : null),
      h('td', {}, cite(st.citation)))));
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
    sorted.map((p) => h('tr', {}, h('td', {}, p.reportedOn), h('td', {}, link(p[other])),
      h('td', {}, p.title, basisMark(p), according(p)), h('td', {}, cites(p.citations)))));
}

// participantsTable lists organizations' roles in projects.
function participantsTable(rows, other) {
  return table([other === 'company' ? 'Organization' : 'Project', 'Role', 'Reported in'],
    rows.map((p) => h('tr', {}, h('td', {}, link(p[other])), h('td', {}, enumText(p.role), basisMark(p)), h('td', {}, cites(p.citations)))));
}

// amountsTable shows every sum reported, side by side: where reports
// disagree, each stays, and none is added to another here.
function amountsTable(amounts) {
  if (!amounts?.length) return null;
  const note = amounts.length > 1 ? h('p', { class: 'muted' }, `${amounts.length} reports of money, side by side; where they differ, each is kept as its source gave it.`) : null;
  return [note, table(['Amount', 'What', 'Reported in'],
    amounts.map((a) => h('tr', { class: 'amount' }, h('td', { class: 'n' }, money(a), basisMark(a)),
      h('td', {}, a.label || '', according(a)), h('td', {}, cite(a.citation)))))];
}

// twoSided lists figures in which this organization is the other side
// (trade with it, investment into it).
function twoSided(list) {
  if (!list?.length) return null;
  return table(['About', 'Figure', 'Period', 'Reported in'], list.map((m) => h('tr', {},
    h('td', {}, link(m.company)),
    h('td', {}, `${m.label || enumText(m.metric)}: ${num(m.value, m.approximation)} ${m.unit}`, basisMark(m), according(m)),
    h('td', { class: 'n' }, m.periodStart ? `${m.periodStart} – ${m.periodEnd || 'ongoing'}` : m.asOf),
    h('td', {}, cite(m.citation)))));
}

function unknownPage(n) {
  return [h('p', {}, `This explorer has no page for ${n.__typename} objects yet. Query it in GraphiQL by its ID: ${n.id}`)];
}

const pages = {
  Company(n) {
    return [
      section('Facts', facts([['Kind', enumText(n.companyKind), 'kind'], ['Country', n.country, 'country'], ['Founded', n.founded, 'founded'],
        ['Headquarters', n.headquarters, 'headquarters'], ['Also called', n.aliases], ['Parent', n.parent ? link(n.parent) : null, 'parent'],
        ['About', n.description]], n.evidence)),
      inferredAttributes(n),
      section('Subsidiaries', linkList(n.subsidiaries)),
      section('People and their titles, as reported over time', positionsTable(n.positions, 'person')),
      section('Projects', participantsTable(n.participations, 'project')),
      section('Figures', figureCharts(n.measurements)),
      section('Figures with it on the other side', twoSided(n.counterpartyMeasurements)),
      section('Statements about it', statementsTable(n.statementsAbout)),
      section('Agreements', linkList(n.agreements)),
      section('Meetings', linkList(n.meetings)),
      mentions(n),
    ];
  },
  Person(n) {
    return [
      section('Facts', facts([['Also called', n.aliases], ['About', n.description]], n.evidence)),
      inferredAttributes(n),
      section('Titles, as reported over time', positionsTable(n.positions, 'organization')),
      section('Statements', statementsTable(n.statements, { speaker: false }), { id: 'statements' }),
      section('Meetings', linkList(n.meetings)),
      mentions(n),
    ];
  },
  Project(n) {
    return [
      section('Facts', facts([['Sector', enumText(n.sector), 'sector'], ['Status (latest report)', enumText(n.status), 'status'], ['Region', n.region, 'region'],
        ['Also called', n.aliases], ['About', n.description]], n.evidence)),
      inferredAttributes(n),
      section('Participants', participantsTable(n.participants, 'company'), { id: 'participants' }),
      section('Figures over time', figureCharts(n.measurements), { id: 'figures' }),
      section('Milestones', table(['When', 'Step', 'Status', 'Reported in'],
        n.milestones.map((m) => h('tr', {}, h('td', {}, m.date || 'undated'), h('td', {}, m.name, basisMark(m)), h('td', {}, enumText(m.status)), h('td', {}, cite(m.citation)))))),
      section('Money reported', amountsTable(n.amounts)),
      section('Statements about it', statementsTable(n.statementsAbout)),
      section('Agreements', linkList(n.agreements)),
      section('Meetings', linkList(n.meetings)),
      mentions(n),
    ];
  },
  Meeting(n) {
    return [
      section('Facts', facts([['Date', n.date, 'date'], ['Place', n.location, 'location'], ['Occasion', n.occasion, 'occasion'], ['Topics', n.topics],
        ['Summary', n.summary], ['Part of', n.event ? link(n.event) : null, 'event']], n.evidence)),
      inferredAttributes(n),
      section('People', n.attendance.length ? h('ul', { class: 'links' }, n.attendance.map((p) =>
        h('li', {}, link(p.person), p.role ? h('span', { class: 'muted' }, ` (${enumText(p.role)})`) : null, basisMark(p)))) : null),
      section('Organizations represented', markedList(n.organizations, n.statedOrganizations)),
      section('Projects discussed', markedList(n.projects, n.statedProjects)),
      section('What was said', statementsTable(n.statements)),
      section('Agreements signed', linkList(n.agreements)),
      mentions(n),
    ];
  },
  Agreement(n) {
    return [
      section('Facts', facts([['Kind', enumText(n.agreementKind), 'kind'], ['Status', enumText(n.agreementStatus), 'status'],
        ['Signed', n.signedOn || `no source dates it (first reported ${n.reportedOn})`, 'signedOn'],
        ['Documents', n.documentCount != null ? num(n.documentCount, n.documentCountApproximation || 'EXACT') : null, 'documentCount'],
        ['Summary', n.summary], ['Signed at', n.meeting ? link(n.meeting) : null, 'meeting'],
        ['Came out of', n.event ? link(n.event) : null, 'event'], ['In the package', n.partOf ? link(n.partOf) : null, 'partOf']], n.evidence)),
      inferredAttributes(n),
      section('Documents of this package', linkList(n.parts)),
      section('Parties', markedList(n.parties, n.statedParties)),
      section('Signatories', markedList(n.signatories, n.statedSignatories)),
      section('Money reported', amountsTable(n.amounts)),
      section('Projects covered', markedList(n.projects, n.statedProjects)),
      section('Statements about it', statementsTable(n.statementsAbout)),
      mentions(n),
    ];
  },
  Statement(n) {
    return [
      section('What was said', [h('blockquote', { class: 'said' }, n.saying, basisMark(n)),
        h('p', { class: 'muted' }, 'In our own words; the paragraph below is where the source reports it.')], { id: 'said' }),
      section('Facts', facts([['Speaker', link(n.speaker)], ['Said on', n.statementDate || `not given (reported ${n.reportedOn})`],
        ['Reported', n.reportedOn], ['At the meeting', n.meeting ? link(n.meeting) : null], ['At the event', n.event ? link(n.event) : null]])),
      section('About', linkList(n.about)),
      section('Reported in', h('p', {}, cite(n.citation))),
    ];
  },
  Event(n) {
    return [
      section('Facts', facts([['Kind', enumText(n.eventKind), 'kind'], ['Began', n.start || 'no source dates it', 'start'], ['Ended', n.end, 'end'],
        ['Place', n.location, 'location'], ['About', n.description], ['Part of', n.partOf ? link(n.partOf) : null, 'partOf']], n.evidence)),
      inferredAttributes(n),
      section('Parts of this event', linkList(n.parts)),
      section('Meetings', linkList(n.meetings), { id: 'meetings' }),
      section('Agreements that came out of it', linkList(n.agreements)),
      section('What was said', statementsTable(n.statements), { id: 'statements' }),
      section('People', linkList(n.participants)),
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
