"""`mkdocs serve` with a bad edit: the Danish error shows in the terminal, the server keeps
running (MkDocs holds new requests until the content is fixed, so an open browser tab keeps the
last good page), and the next good edit is served."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from tests.helpers import FIXTURES, edit, make_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait(predicate, seconds: float = 30.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_bad_edit_under_serve_keeps_the_last_good_site(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "second")
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a",
             f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=project)
    try:
        url = f"http://127.0.0.1:{port}/ledsagerordning/"

        def served() -> bool:
            try:
                return "Ledsagerordning" in _get(url)
            except OSError:
                return False

        assert _wait(served), log.read_text()
        standard = project / "content/standards/ledsagerordning/standard.yaml"
        edit(standard, "    title: Klage", "    titel: Klage")
        assert _wait(lambda: "Indholdet har 2 fejl" in log.read_text()), log.read_text()
        text = log.read_text()
        assert ('content/standards/ledsagerordning/standard.yaml, linje 23: afsnittet "klage": '
                '"titel" er ikke en kendt nøgle her. Mente du "title"?') in text
        assert "Traceback" not in text
        assert server.poll() is None  # still running; an open browser tab keeps its page
        edit(standard, "    titel: Klage", "    title: Klager")
        assert _wait(lambda: 'id="klage">Klager' in _get(url)), log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
