import { gql } from '../api.js';
import { h, show, svg } from '../dom.js';
import { isoDay, period, precision } from '../dates.js';
import { href } from '../nav.js';
import { TYPE_COLORS, cites, enumText } from './common.js';

const KIND_COLORS = {
  MEETING: TYPE_COLORS.Meeting,
  SIGNING: TYPE_COLORS.Agreement,
  MILESTONE: TYPE_COLORS.Project,
  MEASUREMENT: '#2a7f8f',
  POSITION: TYPE_COLORS.Person,
  PUBLICATION: TYPE_COLORS.Source,
  STATEMENT: TYPE_COLORS.Statement,
  EVENT: TYPE_COLORS.Event,
};

// renderTimeline draws every dated event (or those about one object) on a
// time axis, each as the period its date means: a quarter spans three
// months, a year twelve, a day is a thin mark.
export async function renderTimeline(ctx) {
  const subject = ctx.params.get('subject') || null;
  const events = [];
  let after = null;
  let total = 0;
  // Up to 500 events, 100 a page.
  for (let i = 0; i < 5; i++) {
    const data = await gql('Timeline', { subject, after }, ctx.asOf);
    if (!ctx.live()) return;
    const t = data.timeline;
    total = t.totalCount;
    events.push(...t.edges.map((e) => e.node));
    if (!t.pageInfo.hasNextPage) break;
    after = t.pageInfo.endCursor;
  }
  const spans = events.map((e) => period(e.date)).filter(Boolean);
  const title = subject ? 'Timeline of one object' : 'Timeline';
  if (!spans.length) {
    show(ctx.main, h('h1', {}, title), h('p', {}, 'No dated events.'));
    return;
  }
  const min = Math.min(...spans.map((s) => s[0]));
  const max = Math.max(...spans.map((s) => s[1]));
  const y0 = new Date(min).getUTCFullYear();
  const y1 = new Date(max).getUTCFullYear() + 1;
  const from = Date.UTC(y0, 0, 1);
  const to = Date.UTC(y1, 0, 1);
  const W = 380;
  const x = (t) => ((t - from) / (to - from)) * W;

  const axis = svg('svg', { class: 'axis', viewBox: `0 0 ${W} 24`, width: W, height: 24, 'aria-hidden': 'true' },
    Array.from({ length: y1 - y0 + 1 }, (_, i) => {
      const t = Date.UTC(y0 + i, 0, 1);
      return [svg('line', { x1: x(t), x2: x(t), y1: 14, y2: 24, stroke: '#888' }),
        i < y1 - y0 ? svg('text', { x: x(t) + 3, y: 12, 'font-size': 11, fill: '#333' }, String(y0 + i)) : null];
    }));

  const rows = events.map((e) => {
    const p = period(e.date);
    const lane = svg('svg', { class: 'lane', viewBox: `0 0 ${W} 16`, width: W, height: 16 },
      Array.from({ length: y1 - y0 + 1 }, (_, i) => svg('line', { x1: x(Date.UTC(y0 + i, 0, 1)), x2: x(Date.UTC(y0 + i, 0, 1)), y1: 0, y2: 16, stroke: '#e4e4e4' })),
      p ? svg('rect', {
        class: 'span', x: x(p[0]), y: 3, height: 10, rx: 2,
        width: Math.max(2, x(p[1]) - x(p[0])),
        fill: KIND_COLORS[e.kind] || '#555',
        'data-start': isoDay(p[0]), 'data-end': isoDay(p[1] - 86_400_000),
      }, svg('title', {}, `${e.date}: ${isoDay(p[0])} to ${isoDay(p[1] - 86_400_000)}`)) : null);
    return h('tr', { class: 'event', dataset: { kind: e.kind, date: e.date } },
      h('td', { class: 'when' }, e.date, h('span', { class: 'muted' }, ` ${precision(e.date)}`)),
      h('td', {}, h('span', { class: `kind k-${e.kind}` }, enumText(e.kind))),
      h('td', { class: 'what' }, h('a', { href: href('entity', e.subject.id) }, e.title)),
      h('td', { class: 'lanecell' }, lane),
      h('td', {}, cites(e.citations)));
  });
  show(ctx.main, 
    h('h1', {}, title),
    subject ? h('p', {}, h('a', { href: href('entity', subject) }, 'Back to the page'), ' · ', h('a', { href: href('timeline', '', { subject: '' }) }, 'Every event')) : null,
    h('p', { class: 'muted' }, `${events.length} of ${total} events${ctx.asOf ? ` reported by ${ctx.asOf}` : ''}. A bar is the whole period a date names: a year, a half-year, a quarter, a month or a day.`),
    h('table', { class: 'timeline' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Date'), h('th', {}, 'Kind'), h('th', {}, 'What'), h('th', { class: 'lanecell' }, axis), h('th', {}, 'Reported in'))),
      h('tbody', {}, rows)),
  );
}
