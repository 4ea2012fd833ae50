// dates.js reads the API's partial dates as the periods they mean: 2024 is
// the whole year, 2024-H2 July to December, 2024-Q3 three months, 2024-07
// a month, 2024-07-15 a day.

const DAY = 86_400_000;

// period returns [start, end) of a partial date in milliseconds (UTC), or
// null for anything else.
export function period(d) {
  if (!d) return null;
  let m = /^(\d{4})$/.exec(d);
  if (m) return [Date.UTC(+m[1], 0, 1), Date.UTC(+m[1] + 1, 0, 1)];
  m = /^(\d{4})-H([12])$/.exec(d);
  if (m) return [Date.UTC(+m[1], (+m[2] - 1) * 6, 1), Date.UTC(+m[1], +m[2] * 6, 1)];
  m = /^(\d{4})-Q([1-4])$/.exec(d);
  if (m) return [Date.UTC(+m[1], (+m[2] - 1) * 3, 1), Date.UTC(+m[1], +m[2] * 3, 1)];
  m = /^(\d{4})-(\d{2})$/.exec(d);
  if (m) return [Date.UTC(+m[1], +m[2] - 1, 1), Date.UTC(+m[1], +m[2], 1)];
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (m) {
    const s = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    return [s, s + DAY];
  }
  return null;
}

// precision names what a partial date gives.
export function precision(d) {
  if (/^\d{4}$/.test(d)) return 'year';
  if (/-H/.test(d)) return 'half-year';
  if (/-Q/.test(d)) return 'quarter';
  if (/^\d{4}-\d{2}$/.test(d)) return 'month';
  return 'day';
}

// midpoint is the middle of a partial date's period, in seconds, where a
// chart places a figure.
export function midpoint(d) {
  const p = period(d);
  return p ? (p[0] + p[1]) / 2 / 1000 : null;
}

// isoDay formats milliseconds as YYYY-MM-DD.
export function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}
