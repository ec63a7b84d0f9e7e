"""Fixtures: one strict build of the shipped site per session, a local web server, a browser."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, ROOT, make_project, mkdocs_build

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic",
                 "--no-first-run"]


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> Path:
    """The shipped content, built strictly; the path of the built site."""
    out = tmp_path_factory.mktemp("shipped") / "site"
    result = mkdocs_build(ROOT, out)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output, result.output
    return out


@pytest.fixture(scope="session")
def second(tmp_path_factory) -> Path:
    """A second municipality's content (tests/fixtures/second), built strictly with this engine."""
    project = make_project(tmp_path_factory.mktemp("second") / "project", FIXTURES / "second")
    out = project.parent / "site"
    result = mkdocs_build(project, out)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output, result.output
    return out


@pytest.fixture(scope="session")
def versions(tmp_path_factory) -> Path:
    """tests/fixtures/versions built before its new edition's date: superseded, current and
    scheduled editions and their change pages all exist."""
    project = make_project(tmp_path_factory.mktemp("versions") / "project", FIXTURES / "versions")
    out = project.parent / "site"
    result = mkdocs_build(project, out, "2026-12-15")
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output, result.output
    return out


class _Server:
    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """``serve(site_dir) -> base URL``: serves built sites on localhost for the browser."""
    servers: dict[Path, _Server] = {}

    def start(root: Path) -> str:
        if root not in servers:
            servers[root] = _Server(root)
        return servers[root].url

    yield start
    for server in servers.values():
        server.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browser download fails here)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does it as root)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
