// nav.js holds the explorer's URLs: every view is #/view/arg?params, with
// asOf=DATE when the views are drawn as of a date, so any view can be
// shared by its address.
import { h, clear } from './dom.js';

// route reads the hash: #/entity/ID?asOf=2023-12-31.
export function route() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [pathPart, query = ''] = raw.split('?');
  const [view = '', ...rest] = pathPart.split('/');
  return { view: decodeURIComponent(view), arg: decodeURIComponent(rest.join('/')), params: new URLSearchParams(query) };
}

// href builds a view's URL, keeping the current asOf and stated-only
// choice unless params set them.
export function href(view, arg = '', params = {}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, v);
  }
  const asOf = 'asOf' in params ? params.asOf : currentAsOf();
  const stated = 'stated' in params ? params.stated : (statedOnly() ? '1' : '');
  p.delete('asOf');
  p.delete('stated');
  if (stated) p.set('stated', stated);
  if (asOf) p.set('asOf', asOf);
  const q = p.toString();
  return `#/${view}${arg ? '/' + encodeURIComponent(arg) : ''}${q ? '?' + q : ''}`;
}

// currentAsOf is the date the views are drawn as of, or ''.
export function currentAsOf() {
  return route().params.get('asOf') || '';
}

// statedOnly reports whether the views show only what the sources state
// (stated=1 in the URL).
export function statedOnly() {
  return route().params.get('stated') === '1';
}

// setParams replaces the current URL's params (without a history entry
// when replace is set) and redraws unless quiet.
export function setParams(changes, { replace = false } = {}) {
  const r = route();
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === '') r.params.delete(k);
    else r.params.set(k, v);
  }
  const q = r.params.toString();
  const url = `#/${r.view}${r.arg ? '/' + encodeURIComponent(r.arg) : ''}${q ? '?' + q : ''}`;
  if (replace) {
    history.replaceState(null, '', url);
    window.dispatchEvent(new Event('explore:render'));
  } else {
    location.hash = url;
  }
}

// showError puts a message in the banner; the views call it for API errors.
export function showError(err) {
  const banner = document.getElementById('banner');
  banner.hidden = false;
  clear(banner).append(h('strong', {}, err.code ? `${err.code}: ` : 'Error: '), err.message);
}

export function hideError() {
  const banner = document.getElementById('banner');
  banner.hidden = true;
  clear(banner);
}

