import uPlot from 'uplot';

import { h } from '../dom.js';
import { midpoint } from '../dates.js';
import { according, basisMark, cite, enumText, link, num } from './common.js';

const ACTUAL = '#1f6fb4';
const TARGET = '#c76a00';

// figureCharts draws each metric's figures over time, one chart per metric
// and unit: ACTUAL figures (reached) as a solid line with filled dots,
// TARGET figures (aimed for) as a dashed line with hollow dots. A figure
// sits at the middle of the period its date names (2023-10 is mid-October).
// Under each chart, a table lists every figure with its citation.
export function figureCharts(measurements) {
  if (!measurements?.length) return null;
  const groups = new Map();
  for (const m of measurements) {
    const key = `${m.metric} ${m.unit}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(m);
  }
  return [...groups.values()].map((ms) => figureChart(ms));
}

function figureChart(ms) {
  const { metric, unit } = ms[0];
  const xs = [...new Set(ms.map((m) => midpoint(m.asOf)).filter((x) => x !== null))].sort((a, b) => a - b);
  const series = (status) => xs.map((x) => {
    const at = ms.filter((m) => m.status === status && midpoint(m.asOf) === x);
    return at.length ? at[at.length - 1].value : null;
  });
  const plot = h('div', { class: 'plot', role: 'img', 'aria-label': `${enumText(metric)} over time, in ${unit}` });
  const width = Math.max(360, Math.min(880, window.innerWidth - 120));
  // The chart is drawn once the element is in the page, where uPlot can
  // measure its fonts.
  requestAnimationFrame(() => {
    if (!plot.isConnected) return;
    new uPlot({
      width,
      height: 220,
      // From zero, so that a change reads at its true size.
      scales: { x: { time: true }, y: { range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.12 : 1] } },
      series: [
        { label: 'date' },
        { label: 'ACTUAL', stroke: ACTUAL, width: 2, spanGaps: true, points: { show: true, size: 9, fill: ACTUAL, stroke: ACTUAL } },
        { label: 'TARGET', stroke: TARGET, width: 2, dash: [6, 4], spanGaps: true, points: { show: true, size: 9, fill: '#ffffff', stroke: TARGET, width: 2 } },
      ],
      axes: [{}, { size: 90, values: (u, vals) => vals.map((v) => v.toLocaleString('en-US')) }],
    }, [xs, series('ACTUAL'), series('TARGET')], plot);
    plot.dataset.drawn = 'true';
  });
  const rows = ms.map((m) => h('tr', { class: 'figure', dataset: { status: m.status, value: String(m.value), date: m.asOf } },
    h('td', {}, m.asOf),
    h('td', {}, h('span', { class: `status s-${m.status}` }, m.status)),
    h('td', { class: 'n' }, num(m.value, m.approximation)),
    h('td', {}, m.unit),
    h('td', {}, m.label || '', m.counterparty ? [' with ', link(m.counterparty, { withBadge: false })] : null,
      m.periodStart ? h('span', { class: 'muted' }, ` (${m.periodStart} – ${m.periodEnd || 'ongoing'})`) : null,
      basisMark(m), according(m)),
    h('td', {}, cite(m.citation))));
  return h('figure', { class: 'chart', dataset: { metric } },
    h('figcaption', {}, h('strong', {}, enumText(metric)), ` (${unit}) — `,
      h('span', { class: 'key-actual' }, 'solid, filled: ACTUAL (reached)'), ' · ',
      h('span', { class: 'key-target' }, 'dashed, hollow: TARGET (aimed for)')),
    plot,
    h('table', { class: 'figures' },
      h('thead', {}, h('tr', {}, ['As of', 'Status', 'Value', 'Unit', 'What', 'Reported in'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows)));
}
