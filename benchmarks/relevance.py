"""The search's relevance on the shipped site: every question of tests/relevance.py typed into
the site's own search box in Chromium; prints what the box showed and the two figures (right
page among the first three pages; right section among the first three sections of that page).

Run from the project folder: ``.venv/bin/python benchmarks/relevance.py [SITE]`` (SITE: a built
site; default: a fresh strict build of the shipped content into benchmarks/out/). Not a test.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import relevance  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    from playwright.sync_api import sync_playwright

    if len(sys.argv) > 1:
        site = Path(sys.argv[1])
    else:
        site = ROOT / "benchmarks" / "out" / "relevance-site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                       cwd=ROOT, check=True, capture_output=True)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            outcomes = relevance.run(browser, f"http://127.0.0.1:{server.server_port}")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print(relevance.report(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
