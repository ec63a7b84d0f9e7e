// kvalitet edit's server for Decap CMS: the admin page (/admin/) and the file-system API that
// Decap's proxy backend talks to (/api/v1), on 127.0.0.1 only.
//
// The API is decap-server's local file-system protocol (the JSON actions of Decap's proxy
// backend), answered here by our own small handler instead of decap-server's middleware, because
// that middleware does more than the form ever asks for: it writes a legacy `params.entry`, moves
// files to any `dataFiles[].newPath`, writes assets and media, deletes, reads any file of the
// project, answers every localhost origin with CORS headers, and truncates a file before it
// rewrites it. This server allows exactly what the form does:
//   - it listens on 127.0.0.1 and nowhere else, and answers only requests whose Host is
//     127.0.0.1:<port> or localhost:<port> (421 otherwise: DNS rebinding);
//   - an API request must come from the CMS's own page: an Origin header, when sent, must be
//     http://127.0.0.1:<port> or http://localhost:<port>; no CORS header is ever sent; the body
//     must be JSON (a plain HTML form cannot send that);
//   - it knows six actions (the ones Decap's form uses with the simple publish mode): reading the
//     content files the CMS edits, saving them, and two that answer "nothing" (media, deploy
//     preview). Every other action is refused;
//   - a read or a save may touch only the content files the CMS edits (kvalitet.outputs.cms
//     .WRITABLE), after resolving the path: no "..", no absolute path, no symbolic link on the
//     way, no legacy entry, no move, no asset;
//   - a save is atomic: written to a temporary file in the same folder, flushed, then renamed
//     over the old one, one save of a file at a time, so two saves at once never mix;
//   - a save never loses work: each file of a save names the version of the file the form's data
//     was read from (`base`: the SHA-256 of its text, added by the admin page's own script, or
//     null for a new file), and the save is refused (409, with a Danish message) when the file on
//     disk is no longer that version: changed in a text editor, or saved from another tab first;
//   - the version a save replaces is kept in the backup folder (outside content/, out of git;
//     `kvalitet gendan` restores it), the newest BACKUPS_KEPT per file;
//   - an error never shows a stack trace.
//
//   node server.js --root DIR --admin DIR --tools DIR --port N --writable JSON
//                  [--backup FOLDER-IN-PROJECT] [--stdin-parent 1]
// It prints one line of JSON, {"listening": PORT}, when it is ready. With --stdin-parent it
// stops when its standard input closes (the process that started it has ended).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const HOST = '127.0.0.1';
const BODY_LIMIT = '3mb';  // a content file is at most 1 MB (kvalitet's reader refuses more)
const CSP = ["default-src 'self'", "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "font-src 'self' data:",
  "connect-src 'self'", "worker-src 'self' blob:", "frame-ancestors 'none'", "base-uri 'self'",
  "form-action 'self'"].join('; ');
const BACKUPS_KEPT = 100;
const REFUSED = 'kan ikke læses, gemmes eller slettes herfra. I browseren kan du rette kommunen, ' +
  'ordforklaringen, tilbuddene, omdirigeringerne og standarderne; billeder kan ikke bruges i ' +
  'indholdet.';

class Refused extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function options(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['root', 'admin', 'tools', 'port', 'writable']) {
    if (out[k] === undefined) throw new Error(`server.js: --${k} is missing`);
  }
  return { ...out, root: path.resolve(out.root), port: Number(out.port), writable: JSON.parse(out.writable),
    backup: out.backup ? backupFolder(out.backup) : null };
}

// The backup folder, relative to the project (e.g. ".kvalitet/backup"), checked as text.
function backupFolder(rel) {
  const parts = rel.split('/');
  if (path.isAbsolute(rel) || parts.some(p => p === '' || p === '.' || p === '..')) {
    throw new Error('server.js: --backup must be a folder inside the project, e.g. .kvalitet/backup');
  }
  return rel;
}

// --- which files: the content files the CMS edits, and nothing on the way a link -------------

function patterns(globs) {
  return globs.map(p => new RegExp('^' + p.split('*').map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+') + '$'));
}

// A path as the form sends it, checked as text: relative, forward slashes, no "." or ".."
// segments, no control characters, one of the CMS's files. Returns the clean path or null.
function contentPath(file, res) {
  if (typeof file !== 'string' || file.length > 300 || /[\x00-\x1f\x7f\\]/.test(file)) return null;
  const parts = file.split('/');
  if (parts.some(p => p === '' || p === '.' || p === '..')) return null;
  return res.some(r => r.test(file)) ? file : null;
}

// The file on disk for a checked path, or a refusal when the path or any folder on the way is a
// symbolic link (or is not what it should be). `create`: folders may be missing (a new file);
// `folder`: the path names a folder, not a file.
function onDisk(root, file, create, folder = false) {
  let here = root;
  const parts = file.split('/');
  for (let i = 0; i < parts.length; i++) {
    here = path.join(here, parts[i]);
    let stat;
    try {
      stat = fs.lstatSync(here);
    } catch (e) {
      // the rest of the way does not exist yet (a new file, or a new folder): nothing to follow
      if (e.code === 'ENOENT' && (create || i === parts.length - 1)) return path.join(root, ...parts);
      throw e;
    }
    const last = i === parts.length - 1;
    if (stat.isSymbolicLink() || (last && !folder ? !stat.isFile() : !stat.isDirectory())) {
      throw new Refused(403, `"${file}" er ikke en almindelig fil, og den ${REFUSED}`);
    }
  }
  return here;
}

// A file's version: the SHA-256 of its text (as UTF-8), the same the admin page computes from
// the text it was given.
function version(text) {
  return crypto.createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

// The text of a file (null when there is none), refusing links on the way.
function readText(root, file) {
  try {
    const where = onDisk(root, file, false);
    return fs.existsSync(where) ? fs.readFileSync(where).toString('utf8') : null;
  } catch (e) {
    if (e instanceof Refused) throw e;
    return null;
  }
}

function entry(root, file, label) {
  const data = readText(root, file);
  return { data, file: { path: file, label, id: data === null ? null : version(data) } };
}

// --- atomic saves, one at a time per file ------------------------------------------------------

const queues = new Map();

function serial(key, job) {
  const before = queues.get(key) || Promise.resolve();
  const run = before.then(job, job);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  tail.then(() => { if (queues.get(key) === tail) queues.delete(key); });
  return run;
}

function writeAtomic(target, text) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  let fd;
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
    fs.writeFileSync(fd, text, 'utf8');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    try { fs.chmodSync(temp, fs.statSync(target).mode & 0o777); } catch (e) { /* a new file */ }
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw e;
  }
  try {  // the rename itself survives a power cut only once the folder is flushed
    const dir = fs.openSync(path.dirname(target), 'r');
    fs.fsyncSync(dir);
    fs.closeSync(dir);
  } catch (e) { /* not every file system can flush a folder */ }
}

// The version of `file` a save replaces goes into the backup folder first:
// <backup>/<file>/<UTC time>.yaml, the newest BACKUPS_KEPT kept.
function keepBackup(root, backup, file, text) {
  if (!backup) return;
  const folder = onDisk(root, `${backup}/${file}`, true, true);  // no link on the way
  fs.mkdirSync(folder, { recursive: true });
  let stamp = new Date().toISOString().replace(/:/g, '-').replace('.', '-');
  while (fs.existsSync(path.join(folder, `${stamp}.yaml`))) stamp += '-1';
  writeAtomic(path.join(folder, `${stamp}.yaml`), text);
  const kept = fs.readdirSync(folder).filter(n => /^\d{4}-.*\.yaml$/.test(n)).sort();
  for (const old of kept.slice(0, Math.max(kept.length - BACKUPS_KEPT, 0))) {
    fs.rmSync(path.join(folder, old), { force: true });
  }
}

function changedMessage(file) {
  return `Ikke gemt: ${file} er ændret, siden formularen læste den (gemt fra en anden fane ` +
    'eller rettet i en teksteditor). Intet er overskrevet, og din ændring er ikke gemt endnu. ' +
    'Sådan gør du: kopiér det, du har skrevet, genindlæs siden (F5), svar "Annuller", hvis ' +
    'browseren spørger om en lokal sikkerhedskopi, og lav ændringen igen i den nye udgave.';
}

// One file of a save, under its file's queue: refused unless the file is still the version the
// form read (`base`), then the old version is backed up and the new one written.
function saveOne(root, backup, w) {
  const now = readText(root, w.file);
  if (w.base === null && now !== null) {
    throw new Refused(409, `Ikke gemt: ${w.file} findes allerede. Intet er overskrevet. ` +
      'Genindlæs siden (F5), og ret den fil, der findes.');
  }
  // A file that does not exist yet reads as empty to the form (content/redirects.yaml before
  // the first redirect): its version is that of "".
  if (w.base !== null && version(now === null ? '' : now) !== w.base) {
    throw new Refused(409, changedMessage(w.file));
  }
  if (now !== null) keepBackup(root, backup, w.file, now);
  writeAtomic(w.target, w.raw);
  return version(w.raw);
}

// --- the actions ---------------------------------------------------------------------------------

function actions(root, globs, backup) {
  const res = patterns(globs);
  // The folders a folder collection lists: the part of a pattern before its first "*".
  const folders = globs.filter(g => g.includes('/*')).map(g => g.slice(0, g.indexOf('/*')));
  const checked = (file) => {
    const clean = contentPath(file, res);
    if (clean === null) throw new Refused(403, `${typeof file === 'string' ? `"${file.slice(0, 80)}"` : 'Filen'} ${REFUSED}`);
    return clean;
  };
  return {
    entriesByFolder({ folder, extension, depth }) {
      if (typeof folder !== 'string' || typeof extension !== 'string' || !Number.isInteger(depth)) {
        throw new Refused(400, 'Forespørgslen mangler folder, extension eller depth.');
      }
      const found = [];
      const walk = (rel, left) => {
        if (left <= 0) return;
        let names;
        try { names = fs.readdirSync(path.join(root, rel), { withFileTypes: true }); } catch (e) { return; }
        for (const d of names.sort((a, b) => (a.name < b.name ? -1 : 1))) {
          const child = `${rel}/${d.name}`;
          if (d.isDirectory()) walk(child, left - 1);
          else if (d.isFile() && child.endsWith(extension) && contentPath(child, res)) found.push(child);
        }
      };
      const clean = folder.replace(/\/+$/, '');
      if (!folders.includes(clean)) {
        throw new Refused(403, `Mappen "${folder.slice(0, 80)}" ${REFUSED}`);
      }
      onDisk(root, clean, true, true);  // no link on the way
      walk(clean, Math.min(depth, 3));
      return found.map(file => entry(root, file));
    },
    entriesByFiles({ files }) {
      if (!Array.isArray(files)) throw new Refused(400, 'Forespørgslen mangler files.');
      return files.map(f => entry(root, checked(f && f.path), f && typeof f.label === 'string' ? f.label : undefined));
    },
    getEntry({ path: file }) {
      return entry(root, checked(file));
    },
    async persistEntry(params) {
      if ('entry' in params) throw new Refused(403, 'Gem med formularen (dataFiles); en gammel "entry" bruges ikke.');
      const { dataFiles, assets } = params;
      if (!Array.isArray(dataFiles) || !dataFiles.length) throw new Refused(400, 'Forespørgslen mangler dataFiles.');
      if (assets !== undefined && (!Array.isArray(assets) || assets.length)) {
        throw new Refused(403, `Billeder og andre filer ${REFUSED}`);
      }
      const writes = dataFiles.map(f => {
        if (!f || typeof f !== 'object' || typeof f.raw !== 'string') throw new Refused(400, 'En fil i forespørgslen har ingen tekst (raw).');
        if (f.newPath !== undefined) throw new Refused(403, 'En fil kan ikke flyttes eller omdøbes herfra.');
        const file = checked(f.path);
        const target = onDisk(root, file, true);
        if (f.base !== null && !(typeof f.base === 'string' && /^[0-9a-f]{64}$/.test(f.base))) {
          throw new Refused(428, 'Ikke gemt: gemningen siger ikke, hvilken udgave af filen den ' +
            'bygger på, så den kunne overskrive andres ændringer. Gem fra formularen på ' +
            '/admin/ (kvalitet edit), og genindlæs den (F5), hvis det sker igen.');
        }
        return { file, target, raw: f.raw, base: f.base };
      });
      const versions = {};
      for (const w of writes) {
        versions[w.file] = await serial(w.file, () => saveOne(root, backup, w));
      }
      return { message: 'entry persisted', versions };
    },
    getMedia() { return []; },          // the content has no media: an empty library
    getDeployPreview() { return null; },  // the preview link comes from the config (site_url)
  };
}

// --- the server ----------------------------------------------------------------------------------

async function main() {
  const args = options(process.argv.slice(2));
  const tool = createRequire(path.join(args.tools, 'package.json'));
  const express = tool('express');
  const root = fs.realpathSync(args.root);
  const act = actions(root, args.writable, args.backup);
  const app = express();
  app.disable('x-powered-by');
  app.set('env', 'production');
  app.use((req, res, next) => {
    const port = req.socket.localPort;
    if (![`${HOST}:${port}`, `localhost:${port}`].includes(req.headers.host)) {
      return res.status(421).type('text/plain').send('Forkert værtsnavn: brug http://127.0.0.1:' + port + '/');
    }
    res.set({ 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY',
      'Cross-Origin-Resource-Policy': 'same-origin' });
    return next();
  });
  app.get('/', (req, res) => res.redirect('/admin/'));
  app.use('/admin', express.static(args.admin, { dotfiles: 'ignore', redirect: true }));
  app.all('/api/v1', (req, res, next) => {
    const port = req.socket.localPort;
    const origin = req.headers.origin;
    if (origin !== undefined && ![`http://${HOST}:${port}`, `http://localhost:${port}`].includes(origin)) {
      console.log(`Afvist: en anden side (${String(origin).slice(0, 80)}) prøvede at bruge redigeringen`);
      return res.status(403).json({ error: 'Kun redigeringssiden selv kan bruge denne adresse.' });
    }
    if (req.method !== 'POST') return res.status(405).set('Allow', 'POST').json({ error: 'Brug POST.' });
    if (!req.is('application/json')) return res.status(415).json({ error: 'Forespørgslen skal være JSON.' });
    return next();
  }, express.json({ limit: BODY_LIMIT, strict: true }), async (req, res) => {
    const body = req.body;
    const action = body && typeof body === 'object' ? body.action : undefined;
    const params = body && typeof body.params === 'object' && body.params !== null ? body.params : {};
    if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(act, action)) {
      console.log(`Afvist: handlingen ${JSON.stringify(action)} bruges ikke af formularen`);
      return res.status(422).json({ error: 'Den handling kan formularen ikke bruge her.' });
    }
    try {
      return res.json(await act[action](params));
    } catch (e) {
      if (e instanceof Refused) {
        console.log(`Afvist: ${action}: ${e.message}`);
        return res.status(e.status).json({ error: e.message });
      }
      console.log(`Fejl: ${action}: ${e && e.code ? e.code : 'ukendt fejl'}`);
      return res.status(500).json({ error: 'Filen kunne ikke læses eller gemmes. Prøv igen; virker det ikke, så giv beskeden i terminalen til den, der vedligeholder sitet.' });
    }
  });
  // Errors before the handler (a body that is not JSON, or too large): a short answer, never a
  // stack trace.
  app.use((err, req, res, next) => {  // eslint-disable-line no-unused-vars
    const status = err && Number.isInteger(err.status) && err.status >= 400 && err.status < 500 ? err.status : 500;
    const error = status === 413 ? 'Forespørgslen er for stor.' : status < 500 ? 'Forespørgslen kunne ikke læses (ikke gyldig JSON).' : 'Der skete en fejl.';
    res.status(status).json({ error });
  });
  const server = app.listen(args.port, HOST, 511, () => {
    console.log(JSON.stringify({ listening: server.address().port }));
  });
  server.headersTimeout = 20000;
  server.requestTimeout = 30000;
  server.keepAliveTimeout = 5000;
  server.on('error', err => { console.error(err.message); process.exit(1); });
  if (args['stdin-parent']) {  // the Python process that started us has ended: so do we
    process.stdin.on('end', () => process.exit(0));
    process.stdin.on('error', () => process.exit(0));
    process.stdin.resume();
  }
}

main().catch(err => { console.error(err && err.message || String(err)); process.exit(1); });
