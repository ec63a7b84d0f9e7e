"""Shared test helpers: building a project, reading built HTML, loading broken content."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "seed" / "000_64cbdfb7c71b521c.txt"  # a copy of shared/seeds/
ENGINE_PARTS = ("mkdocs.yml", "hooks", "overrides", "docs")


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path


def make_project(dest: Path, content_from: Path | None = None) -> Path:
    """A project folder: this repository's engine parts plus the content of ``content_from``
    (a folder holding content/ and offers.yaml; the shipped content when None)."""
    source = content_from or ROOT
    dest.mkdir(parents=True, exist_ok=True)
    for part in ENGINE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest / part)
    shutil.copytree(source / "content", dest / "content")
    if (source / "offers.yaml").exists():
        shutil.copy(source / "offers.yaml", dest / "offers.yaml")
    return dest


def mkdocs_build(project: Path, out: Path, date: str | None = None) -> BuildResult:
    """``mkdocs build --strict`` (never with -q or -v: they hide the warnings strict counts), for
    the build date ``date`` (ÅÅÅÅ-MM-DD) when given."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if date:
        env["KVALITET_DATE"] = date
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
         "-d", str(out)], capture_output=True, text=True, env=env, cwd=project)
    return BuildResult(result.returncode, result.stdout + result.stderr, out)


class _Text(HTMLParser):
    """The visible text of the main content, leaving out elements with the given classes."""

    def __init__(self, skip_classes: set[str]):
        super().__init__(convert_charrefs=True)
        self.skip_classes = skip_classes
        self.depth = 0  # > 0 inside the article
        self.skipping: list[int] = []
        self.parts: list[str] = []

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col"}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if self.depth:
            self.depth += 1
        elif tag == "article":
            self.depth = 1
        if self.depth and (classes & self.skip_classes or tag in ("script", "style")):
            self.skipping.append(self.depth)

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.depth:
            return
        if self.skipping and self.skipping[-1] == self.depth:
            self.skipping.pop()
        self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.parts.append(data)


def article_text(html: str, skip_classes: set[str] = frozenset()) -> str:
    parser = _Text(set(skip_classes))
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def searched(site: Path) -> set[str]:
    """The pages the search covers: those whose article is marked for Pagefind (only marked
    pages are indexed once any page is). Also checks that the index was built."""
    assert (site / "pagefind" / "pagefind-entry.json").exists(), "no search index"
    found = set()
    for file in site.rglob("index.html"):
        if "data-pagefind-body" in file.read_text("utf-8"):
            found.add("/" + file.relative_to(site).parent.as_posix().strip(".") + "/")
    return {u.replace("//", "/") for u in found}


def article(html: str) -> str:
    """The HTML of a page's article (without the inlined CSS in <head>)."""
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def read(site: Path, url: str) -> str:
    """The HTML of a built page, by its site path."""
    path = site / url.lstrip("/")
    if url.endswith("/"):
        path = path / "index.html"
    return path.read_text("utf-8")


def copy_content(dest: Path, content_from: Path | None = None) -> Path:
    """Only the editor-owned files (content/ and offers.yaml), for loader tests."""
    source = content_from or ROOT
    shutil.copytree(source / "content", dest / "content")
    shutil.copy(source / "offers.yaml", dest / "offers.yaml")
    return dest


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a content file; fails loudly if the text is not there."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), "utf-8")


def load_errors(root: Path) -> list[str]:
    """The Danish error lines for the content under ``root`` (empty when it loads)."""
    from kvalitet.build import checked_site
    from kvalitet.problems import ContentError

    try:
        checked_site(root)
    except ContentError as exc:
        return [str(p) for p in exc.errors]
    return []


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, tags: list[str] = WCAG_TAGS) -> list[str]:
    """axe-core's violations on the open page, for the given tags, as readable lines."""
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text("utf-8")
    page.evaluate(script)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']})", tags)
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                        for n in v["nodes"][:5])
            for v in result["violations"]]


def wait_js(page, expression: str, arg=None, seconds: float = 15.0) -> None:
    """Wait until a JavaScript expression (or function of ``arg``) is true on the page.
    Playwright's ``wait_for_function`` compiles its text inside the page, which the pages'
    Content-Security-Policy refuses (no 'unsafe-eval'); ``page.evaluate`` runs from outside it.
    A page that reloads meanwhile is asked again."""
    from playwright.sync_api import Error

    end = time.monotonic() + seconds
    while True:
        try:
            if page.evaluate(expression, arg):
                return
        except Error:  # the page is being replaced (a reload): ask the new one
            pass
        if time.monotonic() > end:
            raise AssertionError(f"not true within {seconds} s: {expression}")
        time.sleep(0.05)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, seconds: float = 30.0) -> bool:
    """Whether ``predicate()`` becomes true within ``seconds`` (a connection error counts as
    not yet)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False

