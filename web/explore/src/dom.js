// dom.js builds elements without HTML strings, so that no text from the
// API is ever parsed as markup and no inline style reaches the page (its
// Content-Security-Policy allows none).

// h creates an element: attrs are set as attributes, except on* (listeners),
// class, and dataset; children are nodes or strings (as text).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// svg creates an SVG element with attributes.
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

// marked turns a search snippet, whose matches the API wraps in <mark>,
// into text and <mark> elements; nothing else in it is markup.
export function marked(snippet) {
  const out = [];
  const re = /<mark>(.*?)<\/mark>/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    out.push(snippet.slice(last, m.index), h('mark', {}, m[1]));
    last = m.index + m[0].length;
  }
  out.push(snippet.slice(last));
  return out;
}

// clear empties el and returns it.
export function clear(el) {
  el.replaceChildren();
  return el;
}

// show replaces el's children with the given ones, leaving out null,
// undefined and false (parts of a view that do not apply).
export function show(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}
