// kvalitet edit's server for Decap CMS: the admin page (/admin/) and decap-server's file-system
// API (/api/v1) on 127.0.0.1 only. decap-server has no authentication and its own start listens
// on every interface, so its middleware runs here instead, behind three guards:
//   - it listens on 127.0.0.1 and nowhere else;
//   - it answers only requests whose Host is 127.0.0.1:<port> or localhost:<port> (a page on
//     another site whose name resolves to 127.0.0.1 gets 421);
//   - a save may write only the content files the CMS edits (kvalitet.outputs.cms.WRITABLE),
//     never an engine file, a frozen edition or the list of published links; deletes are refused.
//
//   node server.js --root DIR --admin DIR --tools DIR --port N --writable JSON
// It prints one line of JSON, {"listening": PORT}, when it is ready.
'use strict';
const path = require('path');
const { createRequire } = require('module');

const HOST = '127.0.0.1';
const CSP = ["default-src 'self'", "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "font-src 'self' data:",
  "connect-src 'self'", "worker-src 'self' blob:", "frame-ancestors 'none'", "base-uri 'self'",
  "form-action 'self'"].join('; ');

function options(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['root', 'admin', 'tools', 'port', 'writable']) {
    if (out[k] === undefined) throw new Error(`server.js: --${k} is missing`);
  }
  return { ...out, root: path.resolve(out.root), port: Number(out.port), writable: JSON.parse(out.writable) };
}

function matcher(patterns) {
  const res = patterns.map(p => new RegExp('^' + p.split('*').map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+') + '$'));
  return file => {
    if (typeof file !== 'string') return false;
    const clean = path.posix.normalize(file.replace(/\\/g, '/'));
    return !clean.startsWith('/') && !clean.startsWith('..') && res.some(r => r.test(clean));
  };
}

// The paths an API action would write, or null for a read.
const WRITES = {
  persistEntry: p => [...(p.dataFiles || []).map(f => f.path), ...(p.assets || []).map(a => a.path)],
  persistMedia: p => [p.asset && p.asset.path],
  deleteFile: () => [null],
  deleteFiles: () => [null],
};

async function main() {
  const args = options(process.argv.slice(2));
  const tool = createRequire(path.join(args.tools, 'package.json'));
  const express = tool('express');
  process.env.GIT_REPO_DIRECTORY = args.root;   // decap-server reads it when registered
  const { registerLocalFs } = tool('decap-server/dist/middlewares');
  const writable = matcher(args.writable);
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const port = req.socket.localPort;
    if (![`${HOST}:${port}`, `localhost:${port}`].includes(req.headers.host)) {
      return res.status(421).type('text/plain').send('Forkert værtsnavn: brug http://127.0.0.1:' + port + '/');
    }
    res.set({ 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    return next();
  });
  app.get('/', (req, res) => res.redirect('/admin/'));
  app.use('/admin', express.static(args.admin));
  app.post('/api/v1', express.json({ limit: '50mb' }), (req, res, next) => {
    const { action, params } = req.body || {};
    const paths = WRITES[action] ? WRITES[action](params || {}) : [];
    const refused = paths.filter(p => !writable(p));
    if (!refused.length) return next();
    const what = refused[0] ? `"${refused[0]}"` : 'filer';
    console.log(`Afvist: ${action} ${refused.join(', ')}`);
    return res.status(403).json({ error: `${what} kan ikke gemmes eller slettes herfra. I browseren ` +
      'kan du rette kommunen, ordforklaringen, tilbuddene, omdirigeringerne og standarderne; ' +
      'billeder kan ikke bruges i indholdet.' });
  });
  await registerLocalFs(app, { logLevel: 'warn' });
  const server = app.listen(args.port, HOST, () => {
    console.log(JSON.stringify({ listening: server.address().port }));
  });
  server.on('error', err => { console.error(err.message); process.exit(1); });
}

main().catch(err => { console.error(err && err.stack || err); process.exit(1); });
