// units.test.mjs tests the explorer's pure functions in Node: how a
// partial date becomes the period a timeline bar spans, and how typed text
// becomes a search the API accepts.
//
//	node --test test/units.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { midpoint, period, precision } from '../src/dates.js';
import { searchText } from '../src/query.js';

const DAY = 86_400_000;

// lastDay is the number of days in a month, computed independently of
// dates.js: by the Gregorian leap-year rule.
function daysIn(year, month) {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

test('every partial date of 1999 to 2031 spans its months exactly', () => {
  let checked = 0;
  for (let y = 1999; y <= 2031; y++) {
    const days = (m1, m2) => {
      let n = 0;
      for (let m = m1; m <= m2; m++) n += daysIn(y, m);
      return n;
    };
    const cases = [[String(y), 1, 12]];
    for (const h of [1, 2]) cases.push([`${y}-H${h}`, 6 * h - 5, 6 * h]);
    for (const q of [1, 2, 3, 4]) cases.push([`${y}-Q${q}`, 3 * q - 2, 3 * q]);
    for (let m = 1; m <= 12; m++) cases.push([`${y}-${String(m).padStart(2, '0')}`, m, m]);
    for (const [d, m1, m2] of cases) {
      const [start, end] = period(d);
      assert.equal(new Date(start).toISOString().slice(0, 10), `${y}-${String(m1).padStart(2, '0')}-01`, d);
      assert.equal((end - start) / DAY, days(m1, m2), `${d} lasts ${(end - start) / DAY} days`);
      assert.ok(midpoint(d) * 1000 > start && midpoint(d) * 1000 < end, `${d}: midpoint outside`);
      checked++;
    }
    for (let m = 1; m <= 12; m++) {
      for (let day = 1; day <= daysIn(y, m); day += 7) {
        const d = `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const [start, end] = period(d);
        assert.equal(new Date(start).toISOString().slice(0, 10), d);
        assert.equal(end - start, DAY, d);
        assert.equal(precision(d), 'day');
        checked++;
      }
    }
  }
  assert.ok(checked > 1000, `${checked} dates`);
});

test('anything else is no period', () => {
  for (const d of ['', null, undefined, '2024-Q5', '2024-H3', '24', '2024/05', 'soon']) assert.equal(period(d), null, String(d));
});

test('typed text becomes a search the API accepts', () => {
  assert.equal(searchText('bitu'), 'bitu*');
  assert.equal(searchText('  Caspi   bitu '), 'Caspi bitu*');
  assert.equal(searchText('CITIC AND (Sinopec)'), 'CITIC and Sinopec*');
  assert.equal(searchText('"road" +bitumen: {x} ^'), 'road bitumen x*');
  assert.equal(searchText('Beineu-Bozoi'), 'Beineu-Bozoi*');
  assert.equal(searchText('— * ()'), '');
  assert.equal(searchText(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ')).split(' ').length, 16);
});

// Generated inputs: whatever is typed, the search holds none of the
// characters or operator words the API refuses, at most 16 words, and the
// last one ends with the prefix star.
test('no typed text makes a search the API refuses', () => {
  const alphabet = ['a', 'B', 'з', '中', '1', ' ', '(', ')', '^', ':', '{', '}', '+', '"', '*', '-', 'AND', 'OR', 'NOT', 'NEAR', '\t'];
  let seed = 1;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let i = 0; i < 5000; i++) {
    let typed = '';
    for (let j = rand(30); j > 0; j--) typed += alphabet[rand(alphabet.length)] + (rand(3) ? '' : ' ');
    const q = searchText(typed);
    if (q === '') continue;
    assert.doesNotMatch(q, /[()^:{}+"]/, typed);
    const words = q.split(' ');
    assert.ok(words.length <= 16, typed);
    assert.ok(words.every((w) => !/^(AND|OR|NOT|NEAR)\*?$/.test(w)), `${typed} → ${q}`);
    assert.ok(words.slice(0, -1).every((w) => !w.includes('*')) && words.at(-1).endsWith('*') && !words.at(-1).slice(0, -1).includes('*'), q);
  }
});
