"""First load of a page over a slow phone connection, as a citizen meets it: first contentful
paint, the render-blocking resources, and what the page fetches before it is usable.

The page is served from 127.0.0.1 (gzip for text, as a real web server would) and opened in
Debian's Chromium with Chromium's own emulation of a slow 4G connection (150 ms round trip,
1.6 Mbit/s down, 750 kbit/s up: Lighthouse's "Slow 4G") and a 4x slower CPU, with an empty cache.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import statistics
import threading
from html.parser import HTMLParser
from pathlib import Path

SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
           "uploadThroughput": 750_000 / 8}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TEXT = (".html", ".css", ".js", ".json", ".svg")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_head(self):  # gzip text files, as any web server in front of the site would
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in TEXT or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _Blocking(HTMLParser):
    """Render-blocking resources in <head>: style sheets, and scripts that are neither async,
    deferred nor modules."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.head = True

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.head = False
        if not self.head:
            return
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split():
            self.found.append(a.get("href", ""))
        if tag == "script" and a.get("src") and "async" not in a and "defer" not in a \
                and a.get("type") != "module":
            self.found.append(a["src"])


def blocking(html: str) -> list[str]:
    parser = _Blocking()
    parser.feed(html)
    return parser.found


# The first contentful paint, waited for: on a slowed CPU it can come after the load event.
_FCP = """new Promise(done => {
  const found = performance.getEntriesByName('first-contentful-paint')[0];
  if (found) return done(found.startTime);
  new PerformanceObserver(list => {
    const paint = list.getEntriesByName('first-contentful-paint')[0];
    if (paint) done(paint.startTime);
  }).observe({ type: 'paint', buffered: true });
})"""


def measure(site: Path, url: str, repeat: int = 3) -> dict:
    """Median first contentful paint (ms) over ``repeat`` cold loads, and one load's requests
    and bytes on the wire until the load event."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_port}{url}"
    paints, requests, wire = [], [], 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for _ in range(repeat):
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                cdp.send("Network.emulateNetworkConditions", SLOW_4G)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                sizes: dict[str, float] = {}
                cdp.on("Network.loadingFinished",
                       lambda e, s=sizes: s.__setitem__(e["requestId"], e["encodedDataLength"]))
                seen: list[str] = []
                page.on("request", lambda r, s=seen: s.append(r.url))
                page.goto(address, wait_until="load")
                paints.append(page.evaluate(_FCP))
                requests, wire = seen, sum(sizes.values())
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    html = (site / url.strip("/") / "index.html").read_text("utf-8")
    return {"fcp_ms": statistics.median(paints), "blocking": blocking(html),
            "requests": len(requests), "kb": wire / 1024,
            "files": sorted({r.split("/")[-1].split("?")[0] for r in requests})}
