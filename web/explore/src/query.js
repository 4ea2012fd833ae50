// query.js turns what a person types into a search the API accepts.

// searchText turns what is typed into a query the API accepts: its
// operator characters dropped, operator words in lower case, at most 16
// words, the last one a prefix (bitu finds Bitum) as the user is typing.
export function searchText(typed) {
  const words = typed
    .replace(/[()^:{}+"*]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (/^(AND|OR|NOT|NEAR)$/.test(w) ? w.toLowerCase() : w))
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, 16);
  if (!words.length) return '';
  words[words.length - 1] += '*';
  return words.join(' ');
}

