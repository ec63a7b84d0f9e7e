"""The editors' preview (``kvalitet serve``): the site on 127.0.0.1, rebuilt on every save.

``mkdocs serve`` freezes on a content error (every request waits until the file is fixed) and
prints the editor's message once per session. This preview owns the error path instead: it
rebuilds in the background into a fresh folder and serves the last good build, or, while the
content has errors, answers every page with a Danish error page listing every message with its
file and line. No request ever waits for a build. Every page it serves polls a small status
address and reloads itself when a new build is ready, so a fixed file shows within about a
second. The terminal says in Danish what happened at every build, the same mistake as often as it
is made.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import posixpath
import re
import shutil
import signal
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from kvalitet.content.load import CONTENT, OFFERS
from kvalitet.outputs import advice
from kvalitet.problems import AFTER_PREVIEW, Problem, error_count, format_advice, format_errors

HOST = "127.0.0.1"  # never another interface: the preview has no authentication
STATUS = "/_kvalitet/status"
WATCHED = (CONTENT, OFFERS, "mkdocs.yml", "docs", "overrides")
WAIT_SECONDS = 20  # how long a status request waits for a new build before it answers anyway
MAX_WAITING = 64  # status requests held at once; more are answered at once (the page polls again)
IDLE_SECONDS = 10  # a connection that sends nothing for this long is closed
BACKLOG = 1024  # connects the system queues before the server takes them
# A path with a control character (a CR/LF would end the status line and start a header) or a
# backslash is never a page of the site.
_UNSAFE_PATH = re.compile(r"[\x00-\x1f\x7f\\]")
# Every page the preview serves asks for the status with its own build number (the script is a
# file, so the pages' Content-Security-Policy allows it); a newer build reloads the page.
RELOAD = "/_kvalitet/reload.js"


@dataclass(frozen=True)
class State:
    """One build's result, swapped in whole when the build is done."""

    version: int = 0
    site: Path | None = None  # the last good build (kept while the content has errors)
    errors: list[Problem] = field(default_factory=list)
    technical: str | None = None  # not the content's fault: for a developer

    @property
    def ok(self) -> bool:
        return self.version > 0 and not self.errors and self.technical is None


class Preview:
    """Builds the project at ``root`` on every change and holds what the server shows."""

    def __init__(self, root: Path, port: int, out=print):
        from kvalitet.outputs.mkdocs.session import Session

        self.root = root
        self.port = port
        self.state = State()
        self.say = lambda text="": out(text, flush=True)
        self._advice: list[Problem] | None = None
        self._folders: list[Path] = []
        self.changed = threading.Condition()
        self.banners = advice.Banners(root)
        self._waiting = threading.BoundedSemaphore(MAX_WAITING)
        self.session = Session(root / "mkdocs.yml")
        self._indexing = threading.Lock()
        self._to_index: tuple[Path, int] | None = None  # the folder to index, for build

    @property
    def address(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def rebuild(self, whole: bool = False, still=lambda: True) -> State | None:
        """Build after a change: only the pages it changed, or the whole site (the first build,
        ``whole``: the theme or mkdocs.yml changed, or a change every page shows) into a fresh
        folder. The site shown changes only when the build succeeds. Errors found while the
        files changed again (``still()`` false: the editor's program was still writing) are not
        shown; the caller builds again (None)."""
        started = time.monotonic()
        made: list[Path] = []

        def new_folder() -> Path:
            made.append(Path(tempfile.mkdtemp(prefix="kvalitet-preview-")))
            return made[-1]

        errors: list[Problem] = []
        technical = None
        advice: list[Problem] = []
        site = None
        pages = None
        try:
            outcome = self.session.build(new_folder, whole)
            errors, advice, pages = outcome.errors, outcome.advice, outcome.pages
            if outcome.warnings:
                technical = self._private("\n".join(outcome.warnings), *made)
            elif not errors:
                site = outcome.site
        except Exception as exc:  # an engine or theme bug, never the editor's mistake
            technical = self._private(f"{type(exc).__name__}: {exc}", *made)
            self.say(self._private(traceback.format_exc(), *made))
        ok = site is not None
        if not ok and not still():
            for folder in made:
                shutil.rmtree(folder, ignore_errors=True)
            return None
        if ok and site in made:  # a whole build: keep one older folder for requests under way
            self._folders.append(site)
            for old in self._folders[:-2]:
                shutil.rmtree(old, ignore_errors=True)
            self._folders = self._folders[-2:]
        for folder in made:
            if folder != site:
                shutil.rmtree(folder, ignore_errors=True)
        with self.changed:
            self.state = State(self.state.version + 1, site if ok else self.state.site, errors,
                               technical)
            self.changed.notify_all()
        self._report(time.monotonic() - started, advice, pages)
        if ok:  # the page shows now; its search index follows a moment later
            self._index_later(site)
        return self.state

    def _index_later(self, site: Path) -> None:
        """Index ``site`` for the search in the background, one index at a time (a build during
        indexing is indexed again after it)."""
        with self._indexing:
            running = self._to_index is not None
            self._to_index = (site, self.state.version)
        if not running:
            threading.Thread(target=self._index, daemon=True).start()

    def _index(self) -> None:
        from kvalitet.outputs.search import index

        while True:
            with self._indexing:
                wanted = self._to_index
            assert wanted is not None
            try:
                index(wanted[0])
            except Exception as exc:  # noqa: BLE001 - the search is not the editor's concern
                if wanted[0].exists():
                    self.say(f"Søgningen i forhåndsvisningen kunne ikke laves: {exc}")
            with self._indexing:
                if self._to_index == wanted:
                    self._to_index = None
                    return

    def wait_for_change(self, version: int, seconds: float) -> State:
        """The state as soon as its build is newer than ``version`` (or after ``seconds``; at
        once when ``MAX_WAITING`` requests are waiting already)."""
        if not self._waiting.acquire(blocking=False):
            return self.state
        try:
            with self.changed:
                self.changed.wait_for(lambda: self.state.version != version, timeout=seconds)
                return self.state
        finally:
            self._waiting.release()

    def _private(self, text: str, *folders: Path) -> str:
        """Text without the machine's paths."""
        for folder in [*folders, *self._folders]:
            text = text.replace(str(folder), "<site>")
        return text.replace(str(self.root) + os.sep, "").replace(str(self.root), ".")

    def _report(self, seconds: float, advice: list[Problem], pages: int | None = None) -> None:
        stamp = time.strftime("%H:%M:%S")
        state = self.state
        if state.errors:
            self.say(f"[{stamp}] " + format_errors(state.errors, AFTER_PREVIEW))
        elif state.technical:
            self.say(f"[{stamp}] Siden kunne ikke bygges på grund af en teknisk fejl, som ikke "
                     "skyldes indholdet. Giv beskeden til den, der vedligeholder sitet:")
            self.say("    " + state.technical.replace("\n", "\n    "))
        else:
            what = "" if pages is None else " (1 side)" if pages == 1 else f" ({pages} sider)"
            self.say(f"[{stamp}] Siden er opdateret på {_seconds(seconds)}{what}: {self.address}")
            if advice != self._advice:
                self.say(format_advice(advice))
            elif advice:
                self.say(f"{len(advice)} råd som før (make check viser dem).")
            self._advice = advice
        self.say()

    def signature(self) -> frozenset:
        """What the watched files look like now (path, modification time, size)."""
        found = set()
        for name in WATCHED:
            base = self.root / name
            paths = [base] if base.is_file() else base.rglob("*") if base.is_dir() else []
            for path in paths:
                try:
                    stat = path.stat()
                except OSError:  # removed while we looked
                    continue
                if path.is_file():
                    found.add((str(path), stat.st_mtime_ns, stat.st_size))
        return frozenset(found)

    def watch(self, stop: threading.Event) -> None:
        """Rebuild whenever a watched file changes, until ``stop`` is set: the whole site when
        a file of the theme or mkdocs.yml changed, else the pages the change touches."""
        seen = self.signature()
        while not stop.wait(0.1):
            now = self.signature()
            if now != seen:
                stop.wait(0.05)  # let the editor's program finish writing the file
                now = self.signature()
                touched = {Path(entry[0]) for entry in now ^ seen}
                seen = now
                self.rebuild(whole=any(not self._content(path) for path in touched),
                             still=lambda now=now: self.signature() == now)

    def _content(self, path: Path) -> bool:
        """Whether ``path`` is an editor's content file (content/ or offers.yaml)."""
        return path == self.root / OFFERS or (self.root / CONTENT) in path.parents

    def cleanup(self) -> None:
        for folder in self._folders:
            shutil.rmtree(folder, ignore_errors=True)


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " s"


# --- the server ---------------------------------------------------------------------------------

def _is_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return path.endswith("/") or last.endswith(".html") or "." not in last


def error_page(preview: Preview, state: State) -> bytes:
    from kvalitet.site.render import environment

    count = len(state.errors)
    if count:
        heading = f"Indholdet har {error_count(count)}"
        lead = ("Siden kan ikke vises, før fejlene er rettet. Ret dem i browserens formular "
                "eller i filerne herunder, og gem.")
    else:
        heading = "Siden kan ikke bygges"
        lead = "Der er en fejl, som ikke skyldes indholdet. Se beskeden nederst."
    places = advice.form_places(preview.root, [(p.file, p.line) for p in state.errors])
    problems = [{"where": p.where, "message": p.message, "example": p.example, "line": p.line,
                 "excerpt": _excerpt(preview.root, p), "place": place}
                for p, place in zip(state.errors, places, strict=True)]
    template = environment().get_template("preview_error.html.j2")
    return template.render(heading=heading, lead=lead, problems=problems,
                           technical=state.technical,
                           reload_script=_reload_script(state.version)).encode("utf-8")


def _excerpt(root: Path, problem: Problem) -> list[tuple[int, str, bool]]:
    """The lines around a problem's line, as the file says now."""
    if not problem.line:
        return []
    try:
        lines = (root / problem.file).read_text("utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []
    first, last = max(problem.line - 2, 1), min(problem.line + 1, len(lines))
    return [(n, lines[n - 1][:120].replace("\t", "→"), n == problem.line)
            for n in range(first, last + 1)]


def _reload_script(version: int) -> str:
    return f'<script src="{RELOAD}" data-version="{version}" data-status="{STATUS}"></script>'


class _Handler(BaseHTTPRequestHandler):
    server_version = "kvalitet-preview"
    sys_version = ""
    timeout = IDLE_SECONDS  # an idle connection is closed (socket timeout while reading)
    preview: Preview  # set on the subclass made by ``server``

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the terminal is for the editor's messages

    def do_HEAD(self):  # noqa: N802 - http.server's name
        self._answer(head=True)

    def do_GET(self):  # noqa: N802
        self._answer(head=False)

    def _send(self, status: int, body: bytes, kind: str, head: bool, extra=()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _answer(self, head: bool) -> None:
        own = {f"{HOST}:{self.preview.port}", f"localhost:{self.preview.port}"}
        if self.headers.get("Host", "").lower() not in own:
            # Another name that resolves to 127.0.0.1 (DNS rebinding): a page on the internet
            # could otherwise read the preview, error page and file excerpts included.
            return self._send(421, f"Brug http://{HOST}:{self.preview.port}/".encode(),
                              "text/plain; charset=utf-8", head)
        state = self.preview.state
        parts = urlsplit(self.path)
        try:
            path = unquote(parts.path, errors="strict")
        except UnicodeDecodeError:
            path = ""
        if _UNSAFE_PATH.search(self.path) or _UNSAFE_PATH.search(path) or \
                not path.startswith("/") or path.startswith("//") or ".." in path.split("/"):
            return self._send(400, b"Ugyldig adresse", "text/plain; charset=utf-8", head)
        if path == advice.STYLE:
            return self._send(200, advice.STYLE_FILE.read_bytes(), "text/css; charset=utf-8",
                              head)
        if path == RELOAD:
            from kvalitet.site.render import environment

            script = environment().loader.get_source(environment(), "preview-reload.js")[0]
            return self._send(200, script.encode(), "text/javascript; charset=utf-8", head)
        if path == STATUS:
            known = parse_qs(parts.query).get("v", [""])[0]
            if known.isdigit():
                state = self.preview.wait_for_change(int(known), WAIT_SECONDS)
            body = json.dumps({"version": state.version, "ok": state.ok}).encode()
            return self._send(200, body, "application/json", head)
        if not state.ok and _is_page(path):
            return self._send(500, error_page(self.preview, state), "text/html; charset=utf-8",
                              head)
        clean = posixpath.normpath(path)
        if state.site is None:
            return self._send(404, b"Ikke fundet", "text/plain; charset=utf-8", head)
        file = state.site / clean.lstrip("/")
        if file.is_dir():
            if not path.endswith("/"):
                # Built from the cleaned path (one leading "/"): never "//host", never a header.
                location = "/" + clean.strip("/") + "/"
                return self._send(301, b"", "text/plain", head, [("Location", location)])
            file = file / "index.html"
        status = 200
        if not file.is_file():
            status, file = 404, state.site / "404.html"
            if not file.is_file():
                return self._send(404, b"Ikke fundet", "text/plain; charset=utf-8", head)
        body = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            script = _reload_script(state.version).encode()
            body = body.replace(b"</body>", script + b"</body>", 1)
            body = self._with_advice(body, advice.page_of(path))
            kind += "; charset=utf-8"
        self._send(status, body, kind, head)


    def _with_advice(self, body: bytes, page: str) -> bytes:
        """The page with the banner of what will look wrong on it (advice.Banners)."""
        banner = self.preview.banners.html(self.preview._advice or [], page)
        if not banner:
            return body
        start = body.find(b">", body.find(b"<body")) + 1
        link = f'<link rel="stylesheet" href="{advice.STYLE}">'.encode()
        body = body[:start] + banner.encode("utf-8") + body[start:]
        return body.replace(b"</head>", link + b"</head>", 1)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = BACKLOG  # http.server's default of 5 made connects wait under load

    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser left (a reload while a request was under way): nothing to tell
        super().handle_error(request, client_address)


def server(preview: Preview) -> ThreadingHTTPServer:
    """The preview's HTTP server, bound to 127.0.0.1 only."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    return _Server((HOST, preview.port), handler)


def start(root: Path, port: int = 8000) -> tuple[Preview, ThreadingHTTPServer] | None:
    """The preview's first build and its server, answering on 127.0.0.1 (None if the port is
    taken, after saying so)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    preview = Preview(root, port)
    try:
        httpd = server(preview)
    except OSError:
        preview.say(f"Port {port} er optaget, måske af en anden forhåndsvisning. Stop den, eller "
                    f"vælg en anden port, fx --port {port + 1}")
        return None
    preview.port = httpd.server_port
    preview.say(f"Forhåndsvisning: {preview.address}")
    return preview, httpd


def run(preview: Preview, httpd: ThreadingHTTPServer, stop: threading.Event | None = None) -> None:
    """Build, serve, and rebuild on every save until Ctrl+C (or until ``stop`` is set)."""
    preview.say("Siden opdaterer sig selv, når du gemmer en fil. Stop med Ctrl+C.")
    preview.say()
    preview.rebuild()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    stop = stop or threading.Event()
    try:
        preview.watch(stop)
    except KeyboardInterrupt:
        preview.say("Forhåndsvisningen er stoppet.")
    finally:
        httpd.shutdown()
        httpd.server_close()
        preview.cleanup()


@contextlib.contextmanager
def stopped_by_signals():
    """SIGTERM and SIGHUP (a closed terminal) stop the servers like Ctrl+C does, so every
    ``finally`` runs: child processes stop and temporary folders go. Python's own handling of
    SIGTERM ends the process at once, without them."""
    def interrupt(signum, frame):
        for number in (signal.SIGTERM, signal.SIGHUP):  # once: let the cleanup finish
            signal.signal(number, signal.SIG_IGN)
        raise KeyboardInterrupt

    before = {n: signal.signal(n, interrupt) for n in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def serve(root: Path, port: int = 8000) -> int:
    """``kvalitet serve``."""
    with stopped_by_signals():
        started = start(root, port)
        if started is None:
            return 1
        run(*started)
    return 0
