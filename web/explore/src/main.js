// main.js is the explorer's shell: the hash router (every view has a URL
// that can be shared, #/view/arg?param=...&asOf=DATE), the "as of" control
// that redraws the current view, and the keyboard shortcuts.
import 'uplot/dist/uPlot.min.css';
import './style.css';

import { h, clear } from './dom.js';
import { renderHome } from './views/home.js';
import { renderSearch } from './views/search.js';
import { renderEntity } from './views/entity.js';
import { renderNetwork } from './views/network.js';
import { renderMoney } from './views/money.js';
import { renderTimeline } from './views/timeline.js';
import { renderExports } from './views/exports.js';

const views = {
  '': renderHome,
  search: renderSearch,
  entity: renderEntity,
  network: renderNetwork,
  money: renderMoney,
  timeline: renderTimeline,
  exports: renderExports,
};

import { route, href, hideError, showError, setParams } from './nav.js';

let generation = 0;

// render draws the view the URL names. A view gets a token; drawing stops
// when a newer render has started.
async function render() {
  const r = route();
  const gen = ++generation;
  const main = document.getElementById('view');
  const asOf = r.params.get('asOf') || '';
  const input = document.getElementById('asof');
  // A shared address may name a month, a quarter or a year, which a date
  // input cannot hold: it is shown beside it instead.
  const day = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  input.value = day ? asOf : '';
  const partial = document.getElementById('asof-partial');
  partial.hidden = day || asOf === '';
  partial.textContent = day ? '' : asOf;
  document.body.classList.toggle('has-asof', asOf !== '');
  const stated = r.params.get('stated') === '1';
  document.getElementById('stated').checked = stated;
  document.body.classList.toggle('stated-only', stated);
  for (const a of document.querySelectorAll('nav a[data-view]')) {
    const active = a.dataset.view === r.view;
    a.setAttribute('aria-current', active ? 'page' : 'false');
    a.href = href(a.dataset.view);
  }
  if (r.view !== 'search') {
    const q = document.getElementById('q');
    if (document.activeElement !== q) q.value = '';
  }
  hideError();
  const draw = views[r.view];
  if (!draw) {
    clear(main).append(h('h1', {}, 'No such view'), h('p', {}, h('a', { href: href('') }, 'Start page')));
    return;
  }
  const ctx = {
    ...r,
    asOf,
    // basis is what the API's basis arguments get: [STATED] with the
    // "stated only" control on, null (every fact) otherwise.
    basis: stated ? ['STATED'] : null,
    stated,
    main,
    live: () => gen === generation,
  };
  try {
    await draw(ctx);
  } catch (err) {
    if (gen === generation) showError(err);
  }
  if (gen === generation) {
    document.body.dataset.rendered = `${r.view}:${asOf}:${stated ? 'stated' : 'all'}:${gen}`;
    document.body.dataset.renderedHash = location.hash;
  }
}

function setupSearch() {
  const q = document.getElementById('q');
  let timer;
  q.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const r = route();
      if (r.view === 'search') setParams({ q: q.value }, { replace: true });
      else location.hash = href('search', '', { q: q.value, types: '' });
    }, 150);
  });
  q.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      document.querySelector('#view .results a')?.focus();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(timer);
      const first = document.querySelector('#view .results a');
      if (first && route().params.get('q') === q.value) first.click();
      else location.hash = href('search', '', { q: q.value, types: route().params.get('types') || '' });
    } else if (e.key === 'Escape') {
      q.value = '';
      q.blur();
    }
  });
}

function setupAsOf() {
  const input = document.getElementById('asof');
  input.addEventListener('change', () => setParams({ asOf: input.value }));
  document.getElementById('asof-clear').addEventListener('click', () => setParams({ asOf: '' }));
  const stated = document.getElementById('stated');
  stated.addEventListener('change', () => setParams({ stated: stated.checked ? '1' : '' }));
}

// Keyboard: / focuses the search, and arrow keys move through any list of
// links marked .results.
function setupKeys() {
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
    if (e.key === '/' && !typing) {
      e.preventDefault();
      document.getElementById('q').focus();
      return;
    }
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && t.closest?.('.results')) {
      const links = [...t.closest('.results').querySelectorAll('a.result')];
      const i = links.indexOf(t);
      if (i < 0) return;
      e.preventDefault();
      const next = links[i + (e.key === 'ArrowDown' ? 1 : -1)];
      if (next) next.focus();
      else if (e.key === 'ArrowUp') document.getElementById('q').focus();
    }
  });
}

window.addEventListener('hashchange', render);
window.addEventListener('explore:render', render);
setupSearch();
setupAsOf();
setupKeys();
render();
