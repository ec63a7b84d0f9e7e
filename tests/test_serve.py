"""The editors' preview (`kvalitet serve`, which `make serve` runs): a bad edit shows a Danish
error page in the open browser tab, no request waits, the fixed file shows again by itself, and
the terminal gives the Danish messages at every build, also when the same mistake comes twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.helpers import (
    FIXTURES,
    ROOT,
    axe_violations,
    edit,
    free_port,
    make_project,
    wait_js,
    wait_until,
)

ARTIFACTS = ROOT / "test-artifacts"
STD = "content/standards/ledsagerordning/standard.yaml"
MESSAGE = ('content/standards/ledsagerordning/standard.yaml, linje 23: afsnittet "klage": "titel" '
           'er ikke en kendt nøgle her. Mente du "title"?')


def _get(url: str, timeout: float = 2.0) -> tuple[int, str]:
    """Status and body; a request that takes longer than ``timeout`` fails the test."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.fixture
def preview(tmp_path):
    """`kvalitet serve` on a copy of the second municipality, its terminal output in a file."""
    project = make_project(tmp_path / "p", FIXTURES / "second")
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "kvalitet.cli", "serve", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=project)
    base = f"http://127.0.0.1:{port}"
    try:
        def up() -> bool:
            try:
                return _get(base + "/ledsagerordning/")[0] == 200
            except OSError:
                return False

        assert wait_until(up), log.read_text()
        yield project, base, log
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_error_page_shows_in_the_open_tab_and_goes_away(preview, browser):
    project, base, log = preview
    page = browser.new_page()
    page.goto(base + "/ledsagerordning/")
    assert page.locator("h1").inner_text().startswith("Ledsagerordning")

    for attempt in (1, 2):  # the same mistake twice
        edit(project / STD, "    title: Klage", "    titel: Klage")
        # The open tab reloads by itself to the error page; nobody presses F5.
        wait_js(page, "document.title.indexOf('Indholdet har 2 fejl') === 0")
        assert "afsnittet \"klage\": \"titel\" er ikke en kendt nøgle her" in page.inner_text(
            "main")
        status, body = _get(base + "/tilbud/")  # every page, answered at once
        assert status == 500 and "Indholdet har 2 fejl" in body
        assert str(project) not in body and "/tmp" not in body and "Traceback" not in body
        assert _get(base + "/assets/kvalitet.js")[0] == 200  # the last good build's files
        if attempt == 1:
            ARTIFACTS.mkdir(exist_ok=True)
            page.set_viewport_size({"width": 390, "height": 844})
            page.screenshot(path=str(ARTIFACTS / "preview-error-390.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 800})
            page.screenshot(path=str(ARTIFACTS / "preview-error-1280.png"), full_page=True)
            assert axe_violations(page) == []
        saved = time.monotonic()
        edit(project / STD, "    titel: Klage", "    title: Klager")
        wait_js(page, "document.querySelector('h2#klage') && "
                      "document.querySelector('h2#klage').textContent.indexOf('Klager') === 0")
        print(f"fixed file shown {time.monotonic() - saved:.2f} s after saving")
        edit(project / STD, "    title: Klager", "    title: Klage")
        wait_js(page, "document.querySelector('h2#klage').textContent.indexOf('Klager') !== 0")
    text = log.read_text("utf-8")
    assert text.count(MESSAGE) == 2, text
    assert "Traceback" not in text and "WARNING" not in text and "INFO" not in text
    assert "Aborted" not in text and "appear stuck" not in text
    page.close()


def test_terminal_output_is_danish(preview):
    _, _, log = preview
    lines = [ln for ln in log.read_text("utf-8").splitlines() if ln.strip()]
    assert lines[0].startswith("Forhåndsvisning: http://127.0.0.1:")
    assert any("Siden er opdateret på" in ln for ln in lines), lines


def test_preview_listens_on_loopback_only(preview):
    _, base, _ = preview
    port = base.rsplit(":", 1)[1]
    listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True,
                               text=True).stdout
    addresses = [line.split()[3] for line in listening.splitlines() if line.strip()]
    assert addresses == [f"127.0.0.1:{port}"], listening


def test_error_page_before_the_first_good_build(tmp_path, browser):
    """Content broken from the start: the preview still starts and explains."""
    project = make_project(tmp_path / "p", FIXTURES / "second")
    edit(project / "offers.yaml", 'opens: "09:00"', 'opens: "09:00')
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kvalitet.cli", "serve", "--port",
                               str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        base = f"http://127.0.0.1:{port}"

        def answered() -> bool:
            try:
                return _get(base + "/")[0] == 500
            except OSError:
                return False

        assert wait_until(answered)
        status, body = _get(base + "/")
        assert "anførselstegnet (&#34;) i begyndelsen af værdien er ikke lukket" in body
        assert '<span class="kv-mark">  18          opens: &#34;09:00</span>' in body
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_pages_served_in_the_preview_reload_themselves(preview):
    _, base, _ = preview
    status, body = _get(base + "/ledsagerordning/")
    assert status == 200 and "/_kvalitet/status" in body
