"""The plain export builds the same site under MkDocs (with the hook and from the export),
ProperDocs and Zensical 0.0.73: the same pages, the same ids of every heading and anchor, the
same visible text of the main content, Danish, and nothing loaded from another host.

Differences that are the generator's own chrome (not compared here; README, "Generators"):
Zensical's own page frame (base.html), skip link (an extra ``<a id="__skip">`` first in every
article, left out of the comparison), search.json and sitemap without dates."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, ROOT, article_text, make_project, mkdocs_build, wait_js
from tests.test_build import external_resources

PROPERDOCS = ROOT / ".tools" / "properdocs" / "bin" / "properdocs"
ZENSICAL = ROOT / ".tools" / "zensical" / "bin" / "zensical"
ZENSICAL_OWN = {"__skip"}  # ids Zensical adds inside the article


def _run(command: list, cwd: Path) -> str:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
           "PYTHONPATH": str(ROOT)}  # the page extension, by name, for the other generators
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                            text=True)
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    assert result.returncode == 0, output
    return output


def _search(site: Path) -> None:
    _run([sys.executable, "-m", "kvalitet.cli", "search", site], ROOT)


@pytest.fixture(scope="module", params=["shipped", "second"])
def builds(request, tmp_path_factory) -> dict[str, Path]:
    """One site built four ways: MkDocs with the hook, and the export under MkDocs, ProperDocs
    and Zensical (each searched with Pagefind afterwards)."""
    assert PROPERDOCS.exists() and ZENSICAL.exists(), "run `make test` (make generators)"
    base = tmp_path_factory.mktemp(f"generators-{request.param}")
    content = ROOT if request.param == "shipped" else FIXTURES / "second"
    project = make_project(base / "project", None if request.param == "shipped" else content)
    hook = mkdocs_build(project, base / "hook")
    assert hook.returncode == 0 and "WARNING" not in hook.output, hook.output
    export = base / "export"
    _run([sys.executable, "-m", "kvalitet.cli", "--root", project, "export", export], ROOT)
    out = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", base / "mkdocs"],
               export)
    assert "WARNING" not in out, out
    out = _run([PROPERDOCS, "build", "--strict", "-f", "mkdocs.yml", "-d", base / "proper"],
               export)
    assert "WARNING" not in out, out
    out = _run([ZENSICAL, "build", "--clean", "--strict", "-f", "mkdocs.yml"], export)
    assert "Warning" not in out, out
    sites = {"mkdocs-hook": base / "hook", "mkdocs-export": base / "mkdocs",
             "properdocs": base / "proper", "zensical": export / "site"}
    for name, site in sites.items():
        if not (site / "pagefind").exists():
            _search(site)
        if name != "mkdocs-hook":  # what the hook does after its build: the CSP, hosts' files
            _run([sys.executable, "-m", "kvalitet.cli", "--root", project, "host", "files",
                  "--site-dir", site], ROOT)
    return sites


def pages(site: Path) -> dict[str, str]:
    """Site path -> HTML of every page (redirect pages left out: they are the engine's own)."""
    found = {}
    for file in site.rglob("*.html"):
        text = file.read_text("utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        rel = file.relative_to(site).as_posix()
        found["/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)] = text
    return found


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside = 0
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.inside += 1
        if self.inside and dict(attrs).get("id"):
            self.ids.add(dict(attrs)["id"])

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside -= 1


def ids(html: str) -> set[str]:
    parser = _Ids()
    parser.feed(html)
    return parser.ids - ZENSICAL_OWN


def test_same_pages_ids_and_text(builds):
    reference = pages(builds["mkdocs-hook"])
    for name, site in builds.items():
        built = pages(site)
        assert set(built) == set(reference), (name, set(built) ^ set(reference))
        for url, html in built.items():
            assert ids(html) == ids(reference[url]), (name, url)
            assert article_text(html) == article_text(reference[url]), (name, url)
            assert '<html lang="da"' in html, (name, url)
            assert external_resources(html) == [], (name, url)


def test_export_keeps_the_pages_the_hook_makes(builds):
    """The export is the hook's own build written to disk: MkDocs builds the two alike, chrome
    included (up to the order of attributes of a few elements)."""
    hook, export = pages(builds["mkdocs-hook"]), pages(builds["mkdocs-export"])
    for url, html in hook.items():
        strip = lambda t: re.sub(r"\s+", " ", t)  # noqa: E731
        assert strip(html) == strip(export[url]), url


@pytest.mark.browser
def test_search_works_on_the_zensical_build(builds, serve, browser):
    site = builds["zensical"]
    page = browser.new_page()
    start = serve(site)
    page.goto(start + "/")
    page.fill("#kv-search-q", "klage")
    wait_js(page, "document.querySelector('[data-kv-status]').textContent.includes('klage')")
    links = page.eval_on_selector_all("[data-kv-results] a", "a => a.map(x => x.href)")
    assert links and all(link.startswith(start) for link in links)
    page.close()


def _nu_errors(site: Path) -> list[str]:
    import json

    from tests.test_accessibility import VNU

    result = subprocess.run(["java", "-jar", str(VNU), "--skip-non-html", "--errors-only",
                             "--format", "json", str(site)], capture_output=True, text=True)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [f"{m['url'].split(str(site))[-1]}: {m['message']}" for m in messages
            if m["type"] == "error"]


def test_valid_html_under_properdocs_and_the_count_under_zensical(builds):
    assert _nu_errors(builds["properdocs"]) == []
    assert _nu_errors(builds["mkdocs-export"]) == []
    found = _nu_errors(builds["zensical"])  # Zensical's own frame: reported, not required
    kinds = sorted({re.sub(r"^[^:]*: ", "", e)[:90] for e in found})
    print(f"Zensical: {len(found)} Nu checker errors on {len(pages(builds['zensical']))} pages:",
          *kinds, sep="\n  ")


@pytest.mark.browser
@pytest.mark.parametrize("name", ["properdocs", "zensical"])
def test_the_csp_holds_under_the_other_generators(builds, name, serve, browser):
    """The export's pages, sealed by `kvalitet host files`, run without a CSP violation."""
    from kvalitet.outputs.csp import read_policy
    from tests.test_csp import page_paths, violations

    site = builds[name]
    for html in pages(site).values():
        assert read_policy(html)["script-src"][:2] == ("'self'", "'wasm-unsafe-eval'")
    assert violations(browser, serve(site), page_paths(site)) == {}
