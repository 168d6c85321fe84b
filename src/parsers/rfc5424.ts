/** RFC5424 structured data `[id k="v" ...][id2 ...]` as `{ id: { k: v } }` (escapes `\" \\ \]` undone). */
export function parseStructuredData(sd: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let i = 0;
  const n = sd.length;
  while (i < n && sd.charCodeAt(i) === 91 /* [ */) {
    let j = i + 1;
    while (j < n && sd[j] !== ' ' && sd[j] !== ']') j++;
    const params: Record<string, string> = {};
    out[sd.slice(i + 1, j)] = params;
    while (j < n && sd[j] === ' ') {
      j++;
      const eq = sd.indexOf('=', j);
      if (eq < 0 || sd[eq + 1] !== '"') return out;
      const name = sd.slice(j, eq);
      let k = eq + 2;
      let v = '';
      while (k < n && sd[k] !== '"') {
        if (sd[k] === '\\' && k + 1 < n) k++;
        v += sd[k];
        k++;
      }
      params[name] = v;
      j = k + 1;
    }
    if (sd[j] !== ']') return out;
    i = j + 1;
  }
  return out;
}
