"""Safe by construction: the editing server allows exactly what the form does, the preview server
answers only its own name and well-formed requests, and no page of either fixture site carries
anything that runs or loads from elsewhere (event handlers, script URLs, styles from content,
resources from other hosts)."""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kvalitet.outputs import preview
from tests.test_cms import _request, editing  # noqa: F401 - the fixture, shared

ALL = "content/standards/aktivitets-og-samvaerstilbud"


def _api(editing, action: str, params: dict | None = None, headers: dict | None = None,  # noqa: F811
         body: bytes | None = None, method: str = "POST") -> tuple[int, dict, str]:
    """One request to the CMS's API: (status, headers, body)."""
    port = editing["ports"][1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    if body is None:
        body = json.dumps({"action": action, "params": {"branch": "main", **(params or {})}})
        body = body.encode()
    sent = {"Content-Type": "application/json", **(headers or {})}
    connection.request(method, "/api/v1", body=body, headers=sent)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def _snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in project.rglob("*")
            if p.is_file() and not p.is_symlink() and "tools" not in p.parts}


def test_the_cms_reads_only_the_content_files_the_form_edits(editing):  # noqa: F811
    status, _, body = _api(editing, "getEntry", {"path": "offers.yaml"})
    assert status == 200 and "perron-4" in json.loads(body)["data"]
    status, _, body = _api(editing, "entriesByFolder", {"folder": "content/standards",
                                                        "extension": "yaml", "depth": 2})
    assert status == 200
    assert [e["file"]["path"] for e in json.loads(body)] == [f"{ALL}/standard.yaml"]
    for path in ("mkdocs.yml", "hooks/kvalitet_hook.py", "content/published-links.txt",
                 f"{ALL}/guide.yaml", "../etc/passwd", "/etc/passwd", "content/../mkdocs.yml",
                 "./offers.yaml", "offers.yaml\x00.png", "content\\municipality.yaml"):
        for action, params in (("getEntry", {"path": path}),
                               ("entriesByFiles", {"files": [{"path": path}]})):
            status, _, body = _api(editing, action, params)
            assert status == 403 and "error" in json.loads(body), (action, path, body)
    for folder in ("", ".", "content", "hooks", "..", "/", "content/standards/../.."):
        status, _, body = _api(editing, "entriesByFolder",
                               {"folder": folder, "extension": "", "depth": 5})
        assert status == 403, (folder, body)


def test_the_cms_saves_only_through_the_form_and_nowhere_else(editing):  # noqa: F811
    project = editing["project"]
    before = _snapshot(project)
    hostile = [
        # the legacy single entry decap-server still writes
        ("persistEntry", {"entry": {"path": "kvalitet_x.py", "raw": "import os", "slug": "x"},
                          "assets": [], "options": {"status": "x"}}),
        # a move to anywhere
        ("persistEntry", {"dataFiles": [{"path": "offers.yaml", "raw": "x", "slug": "x",
                                         "newPath": "hooks/x.py"}], "assets": [],
                          "options": {"status": "x"}}),
        ("persistEntry", {"dataFiles": [{"path": "mkdocs.yml", "raw": "x", "slug": "x"}],
                          "assets": [], "options": {}}),
        ("persistEntry", {"dataFiles": [{"path": f"{ALL}/versions/2020-01-01.yaml", "raw": "x",
                                         "slug": "x"}], "assets": [], "options": {}}),
        ("persistEntry", {"dataFiles": [{"path": "content/standards/../../x.yaml", "raw": "x",
                                         "slug": "x"}], "assets": [], "options": {}}),
        # an asset beside a good save: nothing of the request is written
        ("persistEntry", {"dataFiles": [{"path": "offers.yaml", "raw": "x", "slug": "x"}],
                          "assets": [{"path": "hooks/x.py", "content": "eA==",
                                      "encoding": "base64"}], "options": {}}),
        ("persistMedia", {"asset": {"path": "content/media/x.png", "content": "eA==",
                                    "encoding": "base64"}, "options": {}}),
        ("deleteFile", {"path": "offers.yaml", "options": {}}),
        ("deleteFiles", {"paths": ["offers.yaml"], "options": {}}),
        ("unpublishedEntries", {}), ("publishUnpublishedEntry", {"collection": "x", "slug": "y"}),
        ("getMediaFile", {"path": "mkdocs.yml"}), ("info", {}), ("__proto__", {}),
        ("constructor", {}), ("toString", {}),
    ]
    for action, params in hostile:
        status, _, body = _api(editing, action, params)
        assert status in (400, 403, 422) and "error" in json.loads(body), (action, body)
    assert _snapshot(project) == before


def test_the_cms_follows_no_symbolic_link(editing):  # noqa: F811
    project = editing["project"]
    (project / "content" / "standards" / "link").symlink_to(project / "hooks")
    (project / "content" / "standards" / "file").mkdir()
    (project / "content" / "standards" / "file" / "standard.yaml").symlink_to(
        project / "mkdocs.yml")
    before = _snapshot(project)
    for path in ("content/standards/link/standard.yaml", "content/standards/file/standard.yaml"):
        status, _, body = _api(editing, "persistEntry", {
            "dataFiles": [{"path": path, "raw": "x: 1\n", "slug": "x"}], "assets": [],
            "options": {}})
        assert status == 403, body
        status, _, body = _api(editing, "getEntry", {"path": path})
        assert status == 403, body
    status, _, body = _api(editing, "entriesByFolder", {"folder": "content/standards",
                                                        "extension": "yaml", "depth": 2})
    assert [e["file"]["path"] for e in json.loads(body)] == [f"{ALL}/standard.yaml"]
    assert _snapshot(project) == before
    assert not (project / "hooks" / "standard.yaml").exists()


def test_only_the_cms_page_itself_may_use_the_api(editing):  # noqa: F811
    project = editing["project"]
    port = editing["ports"][1]
    before = _snapshot(project)
    save = {"dataFiles": [{"path": "offers.yaml", "raw": "x", "slug": "x"}], "assets": [],
            "options": {}}
    for origin in (f"http://127.0.0.1:{port + 1}", f"http://localhost:{editing['ports'][0]}",
                   "null", "https://evil.example", f"http://127.0.0.1:{port}.evil.example"):
        for action, params in (("getEntry", {"path": "offers.yaml"}), ("persistEntry", save)):
            status, headers, _ = _api(editing, action, params, {"Origin": origin})
            assert status == 403, (origin, action)
            assert not any(h.startswith("access-control-") for h in headers), headers
        status, headers, _ = _api(editing, "", method="OPTIONS", body=b"", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert not any(h.startswith("access-control-") for h in headers), headers
    # the page's own origin is fine, and gets no CORS headers either (it needs none)
    status, headers, _ = _api(editing, "getEntry", {"path": "offers.yaml"},
                              {"Origin": f"http://127.0.0.1:{port}"})
    assert status == 200 and not any(h.startswith("access-control-") for h in headers)
    # a plain HTML form can only send form data or text: refused before anything is read
    for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        status, _, body = _api(editing, "persistEntry", save, {"Content-Type": kind})
        assert status == 415, (kind, body)
    assert _snapshot(project) == before


def test_bad_bodies_get_a_short_answer_without_a_stack_trace(editing):  # noqa: F811
    for body, status in ((b"{not json", 400), (b'{"action": "getEntry", "params": ', 400),
                         (b"[]", 422), (b'"x"', 400), (b"null", 400),
                         (b'{"action": "getEntry", "params": {"path": 7}}', 403),
                         (b'{"action": "entriesByFiles", "params": {"files": "x"}}', 400),
                         (b'{"action": "persistEntry", "params": {"dataFiles": [null]}}', 400),
                         (b"x" * (4 * 1024 * 1024), 413)):
        got, headers, text = _api(editing, "", body=body)
        assert got == status, (body[:60], got, text)
        assert "node_modules" not in text and "    at " not in text and "Error:" not in text
        assert headers["content-type"].startswith("application/json")
    got, _, text = _api(editing, "", method="GET", body=b"")
    assert got in (405, 415) and "    at " not in text


@pytest.mark.browser
def test_a_page_on_another_local_port_can_neither_read_nor_write(editing, browser, serve,  # noqa: F811
                                                                 tmp_path):
    """The attack of issue 20: script on a page served from 127.0.0.1 on another port (another
    dev server, or script injected into the preview) tries the CMS's API in the editor's
    browser: with CORS, without (no-cors), and as a form post."""
    project = editing["project"]
    before = _snapshot(project)
    api = editing["admin"].replace("/admin/", "/api/v1")
    evil = tmp_path / "evil"
    evil.mkdir()
    payload = json.dumps({"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"path": "offers.yaml", "raw": "pwned: 1\n",
                                         "slug": "x"}], "assets": [], "options": {}}})
    (evil / "index.html").write_text(f"""<!doctype html><html lang="en"><title>x</title>
<form id="f" method="post" action="{api}" enctype="text/plain">
<input name='{payload[:-1]}, "x": "' value='"}}'></form>""", "utf-8")
    page = browser.new_page()
    page.goto(serve(evil) + "/index.html")
    read = page.evaluate("""async (api) => {
        const out = {};
        const body = JSON.stringify({action: 'getEntry', params: {branch: 'main',
                                     path: 'offers.yaml'}});
        try {
            const r = await fetch(api, {method: 'POST', body,
                                        headers: {'Content-Type': 'application/json'}});
            out.cors = await r.text();
        } catch (e) { out.cors = 'blocked'; }
        try {
            const r = await fetch(api, {method: 'POST', mode: 'no-cors', body,
                                        headers: {'Content-Type': 'text/plain'}});
            out.nocors = r.type + ':' + (await r.text());
        } catch (e) { out.nocors = 'blocked'; }
        return out;
    }""", api)
    assert read["cors"] == "blocked"
    assert read["nocors"] in ("blocked", "opaque:")  # never the file's text
    page.evaluate("""async ({api, payload}) => {
        await fetch(api, {method: 'POST', mode: 'no-cors', body: payload,
                          headers: {'Content-Type': 'text/plain'}}).catch(() => null);
    }""", {"api": api, "payload": payload})
    with page.expect_navigation():
        page.evaluate("document.getElementById('f').submit()")
    assert "perron" not in page.content()
    page.close()
    time.sleep(0.5)
    assert _snapshot(project) == before


# --- the preview server ---------------------------------------------------------------------------

def _raw(port: int, request: bytes, wait: float = 5) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(request)
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


def test_the_preview_answers_only_its_own_name_and_clean_paths(editing):  # noqa: F811
    port = editing["ports"][0]
    ok = _raw(port, b"GET /tilbud/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n"
              % port)
    assert ok.startswith(b"HTTP/1.1 200") or ok.startswith(b"HTTP/1.0 200"), ok[:200]
    for host in (b"evil.example", b"evil.example:%d" % port, b"127.0.0.1.nip.io:%d" % port, b""):
        answer = _raw(port, b"GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % host)
        assert answer.split(b"\r\n", 1)[0].endswith(b"421 Misdirected Request"), answer[:200]
        assert b"kvalitet" not in answer.split(b"\r\n\r\n", 1)[-1].lower()
    for path in (b"/%0d%0aSet-Cookie:%20x=1/%2e%2e/assets", b"/x%0aLocation:%20//evil",
                 b"/%00/", b"/assets%09/", b"/tilbud%7f/"):
        answer = _raw(port, b"GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n"
                      % (path, port))
        head = answer.split(b"\r\n\r\n", 1)[0]
        assert head.split(b"\r\n", 1)[0].endswith(b"400 Bad Request"), head
        assert b"set-cookie" not in head.lower() and b"location" not in head.lower(), head
    # a folder without its slash still gets its redirect, and only to itself
    answer = _raw(port, b"GET /tilbud HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n"
                  % port)
    assert b"\r\nLocation: /tilbud/\r\n" in answer, answer[:300]
    answer = _raw(port, b"GET //evil.example/%%2e%%2e/tilbud HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                  b"Connection: close\r\n\r\n" % port)
    assert b"Location: //" not in answer


def test_the_preview_holds_many_connects_and_drops_idle_ones(editing):  # noqa: F811
    port = editing["ports"][0]
    # 300 connections at once, each sending nothing: all are accepted without waiting
    started = time.monotonic()
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(300)]
    assert time.monotonic() - started < 10
    # ... and a real request still gets its answer meanwhile
    got = []
    thread = threading.Thread(target=lambda: got.append(_raw(
        port, b"GET /tilbud/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % port)))
    thread.start()
    thread.join(20)
    assert got and b" 200 " in got[0].split(b"\r\n", 1)[0]
    # idle connections are closed by the server after its timeout
    time.sleep(preview.IDLE_SECONDS + 3)
    closed = 0
    for s in idle:
        s.settimeout(1)
        try:
            closed += s.recv(1) == b""
        except (TimeoutError, ConnectionError):
            pass
        s.close()
    assert closed == len(idle)


def test_the_preview_bounds_its_long_polls(editing):  # noqa: F811
    port = editing["ports"][0]
    status = _request(f"http://127.0.0.1:{port}/_kvalitet/status")
    version = json.loads(status[1])["version"]
    started = time.monotonic()
    answer = _raw(port, b"GET /_kvalitet/status?v=%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                  b"Connection: close\r\n\r\n" % (version, port), wait=60)
    assert b" 200 " in answer.split(b"\r\n", 1)[0]
    assert time.monotonic() - started < 40
    # more waiting polls than the preview keeps are answered at once, not held
    polls = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(150)]
    for s in polls:
        s.sendall(b"GET /_kvalitet/status?v=%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                  b"Connection: close\r\n\r\n" % (version, port))
    time.sleep(2)
    answered = 0
    for s in polls:
        s.settimeout(0.2)
        try:
            answered += s.recv(12).startswith(b"HTTP/1.")
        except TimeoutError:
            pass
        s.close()
    assert answered >= 50


# --- every built page -------------------------------------------------------------------------

class _Scan(HTMLParser):
    """Everything on a page that runs, styles from content, or loads from elsewhere."""

    URL_ATTRS = {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href",
                 "background", "cite", "ping"}
    LOADS = {("img", "src"), ("img", "srcset"), ("script", "src"), ("link", "href"),
             ("iframe", "src"), ("source", "src"), ("video", "src"), ("audio", "src"),
             ("object", "data"), ("embed", "src"), ("input", "src"), ("video", "poster"),
             ("track", "src"), ("image", "href")}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.depth = 0  # inside the article

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in self.URL_ATTRS and re.match(r"\s*(javascript|data|vbscript):",
                                                   re.sub(r"[\x00-\x20]", "", value), re.I):
                self.found.append(f"<{tag} {name}={value[:40]}>")
            fetched = tag != "link" or set((names.get("rel") or "").lower().split()) & {
                "stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest",
                "preconnect", "dns-prefetch"}
            if (tag, name) in self.LOADS and fetched and re.match(r"\s*(https?:)?//", value):
                self.found.append(f"<{tag} {name}={value[:60]}> loads from another host")
            if name == "style" and tag not in ("svg", "path"):
                self.found.append(f"<{tag} style={value[:40]}>")
        if tag in ("iframe", "object", "embed", "form", "base", "meta") and (
                tag != "meta" or names.get("http-equiv", "").lower() == "refresh"
                and "url=" in (names.get("content") or "").lower()
                and re.search(r"url=\s*['\"]?\s*(javascript|data|https?:|//)",
                              names.get("content") or "", re.I)):
            if tag != "form" or "kv-search__form" not in (names.get("class") or ""):
                self.found.append(f"<{tag}>")


def _scan_site(site: Path) -> list[str]:
    found = []
    for file in sorted(site.rglob("*.html")):
        if "pagefind" in file.parts:
            continue
        scan = _Scan()
        scan.feed(file.read_text("utf-8"))
        found += [f"{file.relative_to(site)}: {what}" for what in scan.found]
    return found


@pytest.mark.parametrize("fixture", ["shipped", "second"])
def test_no_page_has_anything_that_runs_or_loads_from_elsewhere(fixture, request):
    site = request.getfixturevalue(fixture)
    assert _scan_site(site) == []
    assert len(list(site.rglob("*.html"))) > 10


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """The scanner itself: each hostile construct is reported."""
    (tmp_path / "a.html").write_text(
        '<p onclick="x">a</p><a href=" javascript:alert(1)">b</a><img src="https://t.example/x">'
        '<p style="position:fixed">c</p><a href="data:text/html,x">d</a><iframe src="/x">'
        '</iframe><meta http-equiv="refresh" content="0; url=javascript:x">', "utf-8")
    found = _scan_site(tmp_path)
    assert len(found) == 7, found


# --- the guard behind the gate ----------------------------------------------------------------

def _markdown(root: Path, site):
    """A Markdown converter configured as the site's mkdocs.yml says, with the page extension."""
    import markdown
    import yaml

    from kvalitet.build import markup_settings
    from kvalitet.site import markup

    settings = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    names, configs = [], {}
    for entry in settings["markdown_extensions"]:
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = config or {}
    names.append(markup.NAME)
    configs[markup.NAME] = markup_settings(site)
    return lambda: markdown.Markdown(extensions=names, extension_configs=configs)


class _Parts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.parts.append((tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_data(self, data):
        if data.strip():
            self.parts.append(("#text", " ".join(data.split())))


def _parts(html: str) -> list[tuple]:
    parser = _Parts()
    parser.feed(html)
    return parser.parts


@pytest.mark.parametrize("fixture,date", [("", None), ("second", None),
                                          ("versions", "2026-12-15")])
def test_the_guard_removes_nothing_the_engine_makes(fixture, date, monkeypatch):
    """Every page of the three fixture sites: the same elements, attributes and text with and
    without the guard, so the allowlist holds everything the engine emits."""
    from kvalitet.build import build_site
    from tests.helpers import FIXTURES, ROOT

    if date:
        monkeypatch.setenv("KVALITET_DATE", date)
    root = FIXTURES / fixture if fixture else ROOT
    project = ROOT if not fixture else root
    built = build_site(project)
    make = _markdown(ROOT, built.site)
    for page, text in zip(built.pages, built.markdown, strict=True):
        body = text.split("\n---\n", 1)[1]
        guarded = make().convert(body)
        md = make()
        md.postprocessors.deregister("kvalitet_guard")
        assert _parts(guarded) == _parts(md.convert(body)), page.url


@pytest.mark.parametrize("html", [
    '<p onclick="alert(1)">x</p>', '<a href="javascript:alert(1)">x</a>',
    '<a href="data:text/html,x">x</a>', '<a href=" vbscript:x">x</a>',
    '<img src="https://tracker.example/x.png">', '<p style="position:fixed">x</p>',
    '<script>alert(1)</script>', '<iframe src="https://x.example"></iframe>',
    '<svg onload="alert(1)"></svg>', '<a href="https://x.dk" onmouseover="x">x</a>',
    '<form action="https://x.example"><input name="x"></form>', '<link rel=stylesheet href=//x>',
    '<div style="background:url(https://t.example/x)">x</div>', '<base href="https://x.example">',
    '<meta http-equiv="refresh" content="0;url=https://x.example">',
    '<a href="/x/" target="_blank" formaction="javascript:x">x</a>',
    '<object data="x.swf"></object>', '<video poster="https://t.example/p.png"></video>',
])
def test_the_guard_removes_what_could_run_or_load(html):
    from kvalitet.site.markup import guard

    kept = _parts(guard(html))
    for tag, attrs in ((t, a) for t, a in kept if t != "#text"):
        assert tag not in ("img", "script", "iframe", "svg", "form", "input", "link", "base",
                           "meta", "object", "video"), kept
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("style", "target", "formaction")
            assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), kept
    assert "tracker" not in guard(html) and "alert" not in guard(html).replace("x", "")


def test_the_guard_holds_under_every_generator(tmp_path):
    """A syntax the gate missed, simulated by writing it into an exported page's Markdown: under
    MkDocs, ProperDocs and Zensical the built page carries none of it."""
    import sys

    from tests.helpers import FIXTURES, make_project
    from tests.test_generators import PROPERDOCS, ZENSICAL, _run

    project = make_project(tmp_path / "project", FIXTURES / "second")
    export = tmp_path / "export"
    _run([sys.executable, "-m", "kvalitet.cli", "--root", project, "export", export],
         project.parent)
    page = export / "docs" / "ledsagerordning" / "index.md"
    text = page.read_text("utf-8")
    hostile = ('\n\n[Læs mere](https://x.dk/){: onclick="alert(1)" style="position:fixed"}\n\n'
               'Tekst\n{: onmouseover="alert(2)"}\n\n<img src="https://tracker.example/x.png">\n\n'
               '<a href="javascript:alert(3)">klik</a>\n')
    page.write_text(text + hostile, "utf-8")
    builds = {"mkdocs": [sys.executable, "-m", "mkdocs", "build", "-d", tmp_path / "m"],
              "properdocs": [PROPERDOCS, "build", "-d", tmp_path / "p"],
              "zensical": [ZENSICAL, "build", "--clean"]}
    for command in builds.values():
        _run(command + ["-f", "mkdocs.yml"], export)
    for site in (tmp_path / "m", tmp_path / "p", export / "site"):
        html = (site / "ledsagerordning" / "index.html").read_text("utf-8")
        assert "Læs mere" in html and "klik" in html, site  # the text stays, nothing else
        body = html.split("<article", 1)[1]
        for bad in ("onclick", "onmouseover", "tracker.example", "javascript:", "position:fixed"):
            assert bad not in body, (site, bad)
