"""Lighthouse 12 (mobile: a phone's screen, slow 4G, a slower CPU) on the four page kinds of the
shipped site, served gzip-compressed as every host serves it; and each page's first load: the
HTML and the CSS and JavaScript its tags load, gzip-compressed.

Run from the project folder: ``.venv/bin/python benchmarks/lighthouse.py [SITE]`` (SITE: a built
site; default: a fresh strict build of the shipped content into benchmarks/out/). Lighthouse
comes from npm into benchmarks/node_modules (``npm ci --prefix benchmarks``; benchmarks/
package.json pins lighthouse 12.2.3, the newest that runs on Node 20) and drives Debian's
Chromium. Not a test: it prints the scores.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from firstload import _Handler  # noqa: E402 - gzip for text files, as a web server does

PAGES = {"front page": "/", "standard": "/aktivitets-og-samvaerstilbud/",
         "guide question": "/aktivitets-og-samvaerstilbud/maalgruppe/funktionsevne/",
         "offer": "/tilbud/perron-4/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def first_load_kb(site: Path, url: str) -> float:
    """gzip -9 of the page and the style sheets and scripts its tags load."""
    page = site / url.strip("/") / "index.html"
    html = page.read_text("utf-8")
    total = len(gzip.compress(html.encode(), 9))
    for ref in re.findall(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"', html):
        target = (page.parent / ref).resolve()
        total += len(gzip.compress(target.read_bytes(), 9))
    return total / 1024


def lighthouse(address: str) -> dict:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund",
                        "--silent"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [str(binary), address, "--quiet", "--output=json", f"--output-path={out}",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
             "--only-categories=" + ",".join(CATEGORIES)],
            check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
        report = json.loads(out.read_text("utf-8"))
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    errors = report["audits"].get("errors-in-console", {}).get("details", {}).get("items", [])
    return {**scores, "console": [e.get("description", "") for e in errors],
            "fcp_ms": report["audits"]["first-contentful-paint"]["numericValue"],
            "lcp_ms": report["audits"]["largest-contentful-paint"]["numericValue"]}


def main() -> int:
    if len(sys.argv) > 1:
        site = Path(sys.argv[1])
    else:
        site = HERE / "out" / "lighthouse-site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                       cwd=ROOT, check=True, capture_output=True)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        print("page kind        perf  a11y  best   seo   FCP ms   LCP ms  first load KB gz")
        for kind, url in PAGES.items():
            found = lighthouse(f"http://127.0.0.1:{server.server_port}{url}")
            print(f"{kind:15} {found['performance']:5} {found['accessibility']:5} "
                  f"{found['best-practices']:5} {found['seo']:5} {found['fcp_ms']:8.0f} "
                  f"{found['lcp_ms']:8.0f} {first_load_kb(site, url):10.1f}")
            for error in found["console"]:
                print(f"  console error: {error}")
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
