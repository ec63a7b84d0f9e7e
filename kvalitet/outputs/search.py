"""The site's search: Pagefind indexes the built HTML, whatever generator built it.

Only the article of a page is indexed (the theme marks it ``data-pagefind-body``; pages whose
front matter says ``search: {exclude: true}`` get no mark, so Pagefind leaves them out: the
guide's steps, the editions that are not in force). Pagefind stems Danish from ``<html
lang="da">``, and the browser fetches nothing of it until the search field gets focus.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Parts of an article that are not its content: the permalink signs, print-only lines, the
# copyable addresses, the glossary's one-letter headings (they would catch stray queries).
EXCLUDE = (".headerlink", ".kv-print-only", ".kv-address", "h2[id^=kv_bogstav_]", ".kv-copy")


def index(site_dir: Path) -> int:
    """Index the built site in ``site_dir`` (the bundle goes to ``site_dir/pagefind/``); return
    the number of pages indexed."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    for selector in EXCLUDE:
        command += ["--exclude-selectors", selector]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return sum(1 for _ in (site_dir / "pagefind").glob("fragment/*.pf_fragment"))
