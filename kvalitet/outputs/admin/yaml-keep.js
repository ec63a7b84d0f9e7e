// A YAML format for Decap CMS that keeps the file as people wrote it (`kvalitet edit`, `kvalitet cms`).
//
//   CMS.registerCustomFormat('yaml-keep', 'yaml', yamlKeepFormat(YAML));   // YAML = npm "yaml" v2
//   collections: - {format: yaml-keep, ...}
//
// Decap's own YAML writer (yaml 1.10) rebuilds the file from the data: it drops every comment
// (also the first-line "# yaml-language-server: $schema=..." that gives editors completion),
// blank lines and flow lists, folds long strings as plain multi-line scalars, turns "|" blocks
// into ">" blocks with doubled line breaks, and writes "closes: 15:00" unquoted, which YAML 1.1
// readers (PyYAML) read as the number 900.
//
// This format instead parses the file into a yaml Document (which keeps comments, blank lines and
// each scalar's style), and on save writes the new data into that same Document, changing only
// the nodes whose values changed. New or changed strings that hold a line break are written as
// "|" blocks, long ones as ">-" blocks. Output uses YAML 1.1 rules, so a string that a 1.1 reader
// would take for a number, a boolean or a date ("15:00", "yes", "2026-01-01") is quoted.
// Every save is checked: the text must read back (as YAML 1.2 and as 1.1) to exactly the data
// Decap handed over; if not, the file is written fresh from the data instead (still with its
// leading comment lines). The engine's checks then read the file like any hand-edited one.
//
// fromFile() only gets the text and toFile() only the data, so the original text rides along in
// the entry data under SOURCE_KEY (Decap keeps keys it has no field for, and this format removes
// it again before writing). options.onWrite(text, source) is told, for every text toFile returns,
// which text it was made from (null for a new file): kvalitet edit's admin page sends the version
// of that text with the save, so a file changed in the meantime is never overwritten.
// options.headers ({redirects: "# yaml-language-server: $schema=...\n"}) start a new file.

export const SOURCE_KEY = '__yaml_source';
// The kind of file: the schema named on a leading comment line
// ("# yaml-language-server: $schema=../x/standard.schema.json" -> "standard"), or, in a file
// without one, what its top-level keys say. A folder collection lists only one kind of file:
//   filter: {field: __schema, value: standard}      (standard.yaml, not guide.yaml beside it)
export const SCHEMA_KEY = '__schema';
// A new standard's id, typed in the form: it names the folder (Decap's slug), never a key in the file.
export const ID_KEY = '__id';
const LONG = 80;        // strings longer than this (and without line breaks) become ">-" blocks
const ID_KEYS = ['id', 'name', 'label', 'term']; // list items of objects are matched by these

export function yamlKeepFormat(YAML, options = {}) {
  const { Document, isMap, isSeq, isScalar, isPair, Scalar } = YAML;
  const stringifyOptions = { indentSeq: true, flowCollectionPadding: false, ...(options.stringify || {}) };
  const lineWidth = options.lineWidth ?? 100;
  const onWrite = options.onWrite || (() => undefined);
  // An optional field the editor emptied comes back from Decap as "" (phone: ""), not as absent.
  // Leave such keys out of the file (options.dropEmpty: false keeps them).
  const dropEmpty = options.dropEmpty ?? true;
  // An optional group of fields left empty ("address" with nothing filled in) is left out too.
  const isEmptyObject = x => x && typeof x === 'object' && !Array.isArray(x) && !Object.keys(x).length;
  function withoutEmpty(v) {
    if (Array.isArray(v)) return v.map(withoutEmpty);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '')
        .map(([k, x]) => [k, withoutEmpty(x)]).filter(([, x]) => !isEmptyObject(x)));
    }
    return v;
  }

  function leadingComments(text) {
    const lines = [];
    for (const line of text.split('\n')) {
      if (line.startsWith('#')) lines.push(line);
      else if (line.trim() === '' && lines.length) lines.push(line);
      else break;
    }
    while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
    return lines.length ? lines.join('\n') + '\n' : '';
  }

  function styleString(node, value, original) {
    // node: a Scalar holding a string that is new or changed
    // PyYAML reads a plain = or << as its "value" / "merge" tags (and SafeLoader then fails)
    if (value === '=' || (/\t/.test(value) && !value.includes('\n'))) node.type = Scalar.QUOTE_DOUBLE; // pure-Python PyYAML rejects a tab in a plain scalar
    else if (value === '<<') node.tag = 'tag:yaml.org,2002:str';   // yaml writes it as !!str <<
    else if (value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
    else if (original && original.type === Scalar.BLOCK_LITERAL) node.type = Scalar.BLOCK_LITERAL;
    else if (value.length > LONG) node.type = Scalar.BLOCK_FOLDED;
    else if (original && original.type && original.type !== Scalar.BLOCK_LITERAL &&
             original.type !== Scalar.BLOCK_FOLDED) node.type = original.type;
    return node;
  }

  function fresh(doc, value) {
    const node = doc.createNode(value);
    YAML.visit(node, {
      Scalar(_, n) {
        if (typeof n.value === 'string') styleString(n, n.value, null);
      },
      Seq(_, n) {
        // a short list of words on one line, like the hand-written files: days: [mon, tue]
        const words = n.items.every(i => isScalar(i) && typeof i.value === 'string' && !/[\n,\[\]{}#:]/.test(i.value));
        if (n.items.length && words && n.items.reduce((a, i) => a + i.value.length + 2, 0) < 60) n.flow = true;
      },
    });
    return node;
  }

  function keyOf(item) {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      for (const k of ID_KEYS) if (typeof item[k] === 'string') return `${k}=${item[k]}`;
    }
    return null;
  }
  function nodeKeyOf(node) {
    if (!isMap(node)) return null;
    for (const k of ID_KEYS) {
      const v = node.get(k, true);
      if (isScalar(v) && typeof v.value === 'string') return `${k}=${v.value}`;
    }
    return null;
  }

  // Decap's Markdown editor hands back a changed text without its final line break: keep the one
  // the file had (a "|" block stays "|", not "|-"; the line break means nothing in Markdown).
  // The caller stores the result in the data, so the read-back check compares the same value.
  function keepEnding(node, value) {
    const block = isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED);
    if (block && typeof node.value === 'string' && typeof value === 'string' && value.trim() &&
        value !== node.value && node.value.endsWith('\n') && !value.endsWith('\n')) {
      return value + '\n';
    }
    return value;
  }

  // Write `value` into `node` (a node of doc), keeping what is unchanged. Returns the node to use.
  // `kept` collects unchanged string scalars, whose source text is put back verbatim later.
  function update(doc, node, value, kept, order) {
    if (value === null || value === undefined) {
      return isScalar(node) && node.value === null ? node : doc.createNode(null);
    }
    if (Array.isArray(value)) {
      if (!isSeq(node)) return fresh(doc, value);
      const old = node.items.slice();
      const byKey = new Map();
      old.forEach(n => { const k = nodeKeyOf(n); if (k && !byKey.has(k)) byKey.set(k, n); });
      const used = new Set();
      node.items = value.map((v, i) => {
        const k = keyOf(v);
        let match = k ? byKey.get(k) : undefined;
        if (!match && !k && i < old.length && !used.has(old[i]) && !nodeKeyOf(old[i])) match = old[i];
        if (match && !used.has(match)) { used.add(match); return update(doc, match, v, kept); }
        const n = fresh(doc, v);
        if (i > 0 && old.slice(1).some(o => o && o.spaceBefore)) n.spaceBefore = true; // blank line between items, as around it
        return n;
      });
      return node;
    }
    if (typeof value === 'object') {
      if (!isMap(node)) return fresh(doc, value);
      const pairs = new Map();
      for (const p of node.items) if (isPair(p)) pairs.set(String(isScalar(p.key) ? p.key.value : p.key), p);
      // Decap does not keep the file's key order in its data (a folder entry came back as
      // law, facts, sections, source_note, subtitle, title, ...): keep the file's order, and put
      // a new key after the key that comes before it in `order` (Decap's field order, or the data's).
      const keys = [...pairs.keys()].filter(k => k in value);
      const hint = order && order.length ? order : Object.keys(value);
      for (const k of Object.keys(value)) {
        if (keys.includes(k)) continue;
        const before = hint.slice(0, Math.max(hint.indexOf(k), 0)).reverse().find(b => keys.includes(b));
        keys.splice(before === undefined ? keys.length : keys.indexOf(before) + 1, 0, k);
      }
      node.items = keys.map(k => {
        const p = pairs.get(k);
        if (p) { value[k] = keepEnding(p.value, value[k]); p.value = update(doc, p.value, value[k], kept); return p; }
        return doc.createPair(k, fresh(doc, value[k]));
      });
      return node;
    }
    // a scalar
    const same = isScalar(node) && (node.value === value ||
      (typeof node.value === 'number' && node.source === value));   // a number, as written
    if (same) {                                                 // unchanged: keep its style
      if (typeof node.value === 'string') kept.push(node);
      return node;
    }
    const n = doc.createNode(value);
    if (typeof value === 'string') styleString(n, value, isScalar(node) ? node : null);
    if (isScalar(node)) { n.comment = node.comment; n.commentBefore = node.commentBefore; n.spaceBefore = node.spaceBefore; }
    return n;
  }

  const lineIndent = (text, offset) => {
    const start = text.lastIndexOf('\n', offset - 1) + 1;
    return text.slice(start).match(/^ */)[0].length;
  };

  // Stringify doc; unchanged string scalars come back exactly as they were written in source
  // (yaml would otherwise re-wrap folded and multi-line text). Each is swapped for a one-word
  // placeholder, and the placeholder is then replaced by the original text, when its line is
  // indented as before and (for plain scalars) a YAML 1.1 reader still reads a string.
  function keepSource(doc, source, kept) {
    const tag = `yamlkeep${Math.random().toString(36).slice(2)}x`;
    const raws = new Map();
    kept.forEach((node, i) => {
      if (!node.range) return;
      let raw = source.slice(node.range[0], node.range[1]);
      if (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL) {
        if (/^[|>][1-9]?\+|^[|>]\+/.test(raw)) return;       // keep-chomping: leave it to yaml
        raw = raw.replace(/\n+$/, '');
      } else if (node.type === Scalar.PLAIN && raw === node.value) {
        // yaml writes it the same way itself, unless a YAML 1.1 reader would not read a string
        // (a date such as 2026-10-01, which yaml would now quote): then keep it as written
        try { if (typeof YAML.parse(raw, { version: '1.1' }) === 'string') return; } catch (e) { /* keep */ }
      }
      const ph = `${tag}${i}`;
      raws.set(ph, { raw, indent: lineIndent(source, node.range[0]), node, value: node.value, type: node.type });
      node.value = ph;
      node.type = Scalar.PLAIN;
    });
    let text = doc.toString({ ...stringifyOptions, lineWidth });
    for (const r of raws.values()) { r.node.value = r.value; r.node.type = r.type; }
    if (!raws.size) return text;
    let failed = false;
    text = text.replace(new RegExp(`${tag}\\d+`, 'g'), (ph, offset) => {
      const r = raws.get(ph);
      if (!r || lineIndent(text, offset) !== r.indent) { failed = true; return ph; }
      return r.raw;
    });
    return failed ? doc.toString({ ...stringifyOptions, lineWidth }) : text;
  }

  // deep equality that ignores key order (Decap's data order is not the file's) and reads numbers
  // as text, as the engine does
  function same(a, b) {
    if (a === b) return true;
    if (typeof a === 'number' || typeof b === 'number') return String(a) === String(b); // read as text
    if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
      const ka = Object.keys(a), kb = Object.keys(b);
      return ka.length === kb.length && ka.every(k => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
    }
    return false;
  }

  // Numbers (and YAML 1.1 dates) as their text, as the engine reads every value.
  function asWritten(doc) {
    YAML.visit(doc, {
      Scalar(_, n) {
        if ((typeof n.value === 'number' || n.value instanceof Date) && n.source) n.value = n.source;
      },
    });
    return doc;
  }

  function readsBack(text, data) {
    try {
      return ['1.2', '1.1'].every(version => {
        const doc = YAML.parseDocument(text, { version });
        return !doc.errors.length && same(asWritten(doc).toJS(), data);
      });
    } catch (e) {
      return false;
    }
  }

  function kindOf(data) {
    if (Array.isArray(data.sections)) return 'standard';
    if (data.questions && typeof data.questions === 'object') return 'guide';
    if (Array.isArray(data.terms)) return 'glossary';
    if (Array.isArray(data.offers) || Array.isArray(data.areas)) return 'offers';
    if (Array.isArray(data.redirects)) return 'redirects';
    return undefined;
  }

  return {
    fromFile(content) {
      const doc = YAML.parseDocument(content, { prettyErrors: true });
      if (doc.errors.length) throw new Error(doc.errors.map(e => e.message).join('\n'));
      // A number is handed to the form as written ("9.30", "8900"): the engine reads every value
      // as text, and a form must not show 9.3 for the "9.30" an editor wrote.
      const data = asWritten(doc).toJS() || {};
      if (data && typeof data === 'object' && !Array.isArray(data)) {
        data[SOURCE_KEY] = content;
        const m = /^#\s*yaml-language-server:\s*\$schema=(?:.*\/)?([^/\s]+?)(?:\.schema)?\.json\s*$/m.exec(leadingComments(content));
        data[SCHEMA_KEY] = m ? m[1] : kindOf(data);
      }
      return data;
    },
    toFile(data, sortedKeys /*, comments */) {
      const { [SOURCE_KEY]: source } = data;
      const text = write(data, sortedKeys);
      onWrite(text, typeof source === 'string' ? source : null);
      return text;
    },
  };

  function write(data, sortedKeys) {
    const { [SOURCE_KEY]: given, [SCHEMA_KEY]: _schema, [ID_KEY]: _id, ...clean } = data;
    const source = typeof given === 'string' && given.trim() ? given : undefined;  // "": no file yet
    const plain = dropEmpty ? withoutEmpty(JSON.parse(JSON.stringify(clean))) : JSON.parse(JSON.stringify(clean));
    if (typeof source === 'string') {
      const doc = YAML.parseDocument(source);
      if (!doc.errors.length) {
        doc.setSchema('1.1');
        const kept = [];
        // yaml hangs the file's leading comment lines on the first key: keep them on top
        const first = isMap(doc.contents) && doc.contents.items[0];
        const lead = first && isScalar(first.key) ? first.key.commentBefore : undefined;
        doc.contents = update(doc, doc.contents, plain, kept, sortedKeys);
        const now = isMap(doc.contents) && doc.contents.items[0];
        if (lead && now && now !== first && isScalar(now.key)) {
          first.key.commentBefore = undefined;
          now.key.commentBefore = lead + (now.key.commentBefore ? '\n' + now.key.commentBefore : '');
        }
        const text = keepSource(doc, source, kept);
        if (readsBack(text, plain)) return text;
        console.warn('yaml-keep: edited document did not read back; writing it fresh');
      }
    }
    const doc = new Document(null, { version: '1.1' });
    doc.contents = fresh(doc, plain);
    // a new file starts with the comment lines of its kind (options.headers, e.g. the schema line)
    const head = typeof source === 'string' ? leadingComments(source) :
      (options.headers || {})[kindOf(plain)] || '';
    const text = head + doc.toString({ ...stringifyOptions, lineWidth });
    if (!readsBack(text, plain)) throw new Error('yaml-keep: the YAML written does not read back');
    return text;
  }
}
