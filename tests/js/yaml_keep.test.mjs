// The CMS's YAML format (kvalitet/outputs/admin/yaml-keep.js) on the project's own files.
// Run by tests/test_cms.py:  node --test tests/js/yaml_keep.test.mjs   (from the project root)
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import YAML from '../../tools/node_modules/yaml/browser/index.js';
import { yamlKeepFormat, SOURCE_KEY, SCHEMA_KEY } from '../../kvalitet/outputs/admin/yaml-keep.js';

const fmt = yamlKeepFormat(YAML);
const STANDARD = 'content/standards/aktivitets-og-samvaerstilbud/standard.yaml';
const GUIDE = 'content/standards/aktivitets-og-samvaerstilbud/guide.yaml';
const FILES = ['offers.yaml', 'content/glossary.yaml', 'content/municipality.yaml', STANDARD, GUIDE,
  'tests/fixtures/second/offers.yaml', 'tests/fixtures/second/content/standards/ledsagerordning/standard.yaml'];
const original = f => fs.readFileSync(f, 'utf8');
const load = f => fmt.fromFile(original(f));
const clean = d => { const { [SOURCE_KEY]: _s, [SCHEMA_KEY]: _k, ...rest } = d; return rest; };
// the lines of `after` that `before` does not have (as many times as they are new)
const added = (before, after) => {
  const left = new Map();
  for (const l of before.split('\n')) left.set(l, (left.get(l) || 0) + 1);
  return after.split('\n').filter(l => { const n = left.get(l) || 0; left.set(l, n - 1); return n <= 0; });
};

for (const f of FILES) {
  test(`unchanged ${f} is written back byte for byte`, () => {
    assert.equal(fmt.toFile(load(f)), original(f));
  });
}

test('the kind of file, from the schema line or from the keys', () => {
  assert.equal(load('offers.yaml')[SCHEMA_KEY], 'offers');
  assert.equal(load(STANDARD)[SCHEMA_KEY], 'standard');
  assert.equal(load(GUIDE)[SCHEMA_KEY], 'guide');
  const bare = s => fmt.fromFile(s)[SCHEMA_KEY];
  assert.equal(bare('title: X\nsections:\n  - id: a\n'), 'standard');
  assert.equal(bare('start: a\nquestions:\n  a: {}\n'), 'guide');
});

test('an edit changes only its lines; times are quoted for YAML 1.1 readers', () => {
  const d = load('offers.yaml');
  const p = d.offers.find(o => o.id === 'perron-4');
  p.phone = '89 15 15 15';
  p.opening_hours = [{ days: ['mon', 'tue'], opens: '9:30', closes: '15:00' }];
  const out = fmt.toFile(d);
  assert.deepEqual(added(original('offers.yaml'), out), ['    phone: 89 15 15 15', '    opening_hours:',
    '      - days: [mon, tue]', '        opens: "9:30"', '        closes: "15:00"']);
  assert.deepEqual(YAML.parse(out, { version: '1.1' }), clean(d));
});

test('numbers reach the form as written, and stay as written', () => {
  const source = '# top\noffers:\n  - id: a\n    address: {street: Vej 1, postcode: 8900, city: By}\n' +
    '    opening_hours:\n      - {days: [mon], opens: 9.30, closes: 15}\n';
  const d = fmt.fromFile(source);
  assert.equal(d.offers[0].opening_hours[0].opens, '9.30');
  assert.equal(d.offers[0].address.postcode, '8900');
  assert.equal(fmt.toFile(d), source);
  d.offers[0].address.postcode = '8930';
  assert.match(fmt.toFile(d), /postcode: "8930"/);
});

test('multi-line text becomes a | block, long text a >- block', () => {
  const d = load('offers.yaml');
  d.offers[0].description = 'Linje et.\n\n- punkt\n- punkt\n';
  d.offers[1].description = 'x'.repeat(50) + ' ' + 'y'.repeat(50);
  const out = fmt.toFile(d);
  assert.match(out, /description: \|\n {6}Linje et\.\n\n {6}- punkt\n {6}- punkt\n/);
  assert.match(out, /description: >-\n {6}x{50}\n {6}y{50}\n/);
  assert.deepEqual(YAML.parse(out), clean(d));
});

test("Decap's key order does not reorder the file, and the header stays on top", () => {
  const d = load(STANDARD);
  const order = ['law', 'facts', 'sections', 'source_note', 'subtitle', 'title', 'description'];
  const shuffled = Object.fromEntries([...order, ...Object.keys(d).filter(k => !order.includes(k))].map(k => [k, d[k]]));
  shuffled.subtitle = 'Ny undertitel';
  const out = fmt.toFile(shuffled);
  assert.ok(out.startsWith('# yaml-language-server: $schema=../../../schemas/standard.schema.json\ntitle:'));
  assert.deepEqual(added(original(STANDARD), out), ['subtitle: Ny undertitel']);
});

test('removing the first key keeps the leading comment', () => {
  const d = load(STANDARD);
  delete d.title;
  const out = fmt.toFile(d);
  assert.ok(out.startsWith('# yaml-language-server: $schema=../../../schemas/standard.schema.json\nsubtitle:'));
});

test('one word changed in a | body changes only its line', () => {
  const d = load(STANDARD);
  const section = d.sections.find(s => s.body.includes('\n'));
  const line = section.body.split('\n').find(l => l.split(' ').length > 3);
  const changed = line.replace(/ (\S+)$/, ' ÆNDRET');
  section.body = section.body.replace(line, changed);
  const out = fmt.toFile(d);
  assert.equal(added(original(STANDARD), out).length, 1);
  assert.ok(added(original(STANDARD), out)[0].endsWith(changed));
});

test("a changed | text keeps its final line break (Decap's Markdown editor drops it)", () => {
  const d = load(STANDARD);
  const section = d.sections.find(s => s.body.includes('\n') && s.body.endsWith('\n'));
  const last = section.body.trimEnd().split('\n').pop();
  section.body = section.body.trimEnd() + ' Tilføjet.';
  const out = fmt.toFile(d);
  assert.deepEqual(added(original(STANDARD), out), [`      ${last} Tilføjet.`]);
  const one = fmt.fromFile('a:\n  body: |\n    Kort.\n');
  one.a.body = 'Lidt længere.';
  assert.equal(fmt.toFile(one), 'a:\n  body: |\n    Lidt længere.\n');
});

test('list items are matched by id: delete, move and add keep the others as written', () => {
  const d = load('offers.yaml');
  const [a, b, ...rest] = d.offers;
  d.offers = [b, ...rest, { id: 'nyt', name: 'Nyt', kind: 'Værested', referral: false }];
  const out = fmt.toFile(d);
  assert.ok(!out.includes(`id: ${a.id}\n`));
  assert.match(out, /\n\n {2}- id: nyt\n {4}name: Nyt\n/);
  assert.ok(out.includes('  - id: nyt\n    name: Nyt\n    kind: Værested\n    referral: false\n'));
  assert.ok(added(original('offers.yaml'), out).filter(l => l.trim()).every(l => out.includes(`nyt\n${l}`) ||
    ['  - id: nyt', '    name: Nyt', '    kind: Værested', '    referral: false'].includes(l)));
  assert.deepEqual(YAML.parse(out), clean(d));
});

test('strings YAML 1.1 would read as something else are quoted', () => {
  const d = load('offers.yaml');
  Object.assign(d.offers[0], { phone: '88888888', kind: 'yes', name: 'on', verified: '2026-01-01', price: '1:30' });
  const back = YAML.parse(fmt.toFile(d), { version: '1.1' });
  for (const k of ['phone', 'kind', 'name', 'verified', 'price']) assert.equal(typeof back.offers[0][k], 'string', k);
});

test('no source (a new file): written fresh, still reads back', () => {
  const out = fmt.toFile({ title: 'Ny', body: 'a\nb\n', count: 3, ok: true, none: null });
  assert.equal(out, 'title: Ny\nbody: |\n  a\n  b\ncount: 3\nok: true\nnone: null\n');
});

test('odd strings still read back exactly', () => {
  const d = load('offers.yaml');
  const odd = ['  leading spaces\nline', 'trailing spaces   \nx', 'tab\there', '# not a comment', '- dash',
    'a: b', "it's \"quoted\"", 'ends with newlines\n\n\n', '\nstarts with newline', '', ' ', 'null', '~'];
  odd.forEach((s, i) => { d.offers[i % d.offers.length].description = s; d.offers[i % d.offers.length][`x${i}`] = s; });
  const out = yamlKeepFormat(YAML, { dropEmpty: false }).toFile(d);   // keep "" here
  assert.deepEqual(YAML.parse(out), clean(d));
  assert.deepEqual(YAML.parse(out, { version: '1.1' }), clean(d));
});

test('an emptied optional field or group of fields is left out, not written as "" or {}', () => {
  const d = load('offers.yaml');
  Object.assign(d.offers[0], { description: '', phone: '', address: { street: '', postcode: '', city: '' } });
  const out = fmt.toFile(d);
  assert.ok(!/description: ""|phone: ""|address:/.test(out));
  assert.equal(YAML.parse(out).offers[0].description, undefined);
  assert.equal(yamlKeepFormat(YAML, { dropEmpty: false }).toFile(d).includes('phone: ""'), true);
});

test('a second save in the same session (data still carries the first-loaded text) gives the same file', () => {
  const d = load('offers.yaml');
  d.offers[0].phone = '11111111';
  const first = fmt.toFile(structuredClone(d));
  d.offers[1].phone = '22222222';
  const fromStale = fmt.toFile(structuredClone(d));
  const reloaded = fmt.fromFile(first);
  reloaded.offers[1].phone = '22222222';
  assert.equal(fromStale, fmt.toFile(reloaded));
});

test('each text written is reported with the text it was made from (the version a save is based on)', () => {
  const seen = [];
  const f = yamlKeepFormat(YAML, { onWrite: (text, source) => seen.push([text, source]) });
  const d = f.fromFile(original('offers.yaml'));
  d.offers[0].phone = '11111111';
  const text = f.toFile(d);
  assert.deepEqual(seen, [[text, original('offers.yaml')]]);
  f.toFile({ redirects: [{ from: '/a/', to: '/' }] });
  assert.equal(seen[1][1], null);  // a new file
});

test('a new file (or one read as empty) starts with the lines of its kind', () => {
  const head = '# yaml-language-server: $schema=../schemas/redirects.schema.json\n';
  const f = yamlKeepFormat(YAML, { headers: { redirects: head } });
  const data = { redirects: [{ from: '/tilbud/gammel/', to: '/tilbud/' }] };
  const expected = `${head}redirects:\n  - from: /tilbud/gammel/\n    to: /tilbud/\n`;
  assert.equal(f.toFile(structuredClone(data)), expected);
  assert.equal(f.toFile({ ...structuredClone(data), [SOURCE_KEY]: '' }), expected);
});

// For tests/test_cms.py: tricky strings through the format, for PyYAML and the engine's reader.
const out = process.env.YAML_KEEP_CROSSCHECK;
if (out) {
  test('write the cross-check files', () => {
    const d = yamlKeepFormat(YAML, { dropEmpty: false }).fromFile(original('offers.yaml'));
    const odd = ['  leading spaces\nline', 'trailing spaces   \nx', 'tab\there', '# not a comment', '- dash', 'a: b',
      "it's \"quoted\"", 'ends with newlines\n\n\n', '\nstarts with newline', '', ' ', 'null', '~', 'yes', 'No', 'on',
      'y', 'n', '15:00', '9:30', '09:00', '0800', '8900', '1e3', '0x1F', '.inf', '2026-01-01', '2026-01-01 10:00', '=',
      '<<', 'æøå ÆØÅ', '1_000', '+12', '-1', '0b101', '017', '1.5', '.5', '1:20:30', 'True', 'OFF', 'Null', 'NULL',
      '2001-12-14t21:59:43.10-05:00', '2026-1-1', '@at', '`tick', '%pct', '!bang', '&amp', '*star', '|pipe', '>gt', '?q',
      '{a}', '[a]', 'a #b', 'a# b', 'x'.repeat(120),
      'para one\n\npara two that is rather long and goes on past the line width of one hundred characters easily\n'];
    odd.forEach((s, i) => { d.offers[0][`k${i}`] = s; });
    fs.writeFileSync(`${out}.yaml`, yamlKeepFormat(YAML, { dropEmpty: false }).toFile(d));
    fs.writeFileSync(`${out}.json`, JSON.stringify(clean(d).offers[0]));
  });
}
