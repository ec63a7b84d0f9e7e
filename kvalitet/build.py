"""One build of the site, independent of MkDocs: load, check, plan the pages, render them."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kvalitet import urls
from kvalitet.content.checks import check_site
from kvalitet.content.linkcheck import check_links, check_published, check_redirects
from kvalitet.content.load import FileCache, Site, load_site
from kvalitet.content.versions import build_date
from kvalitet.plain import genitive
from kvalitet.problems import Findings
from kvalitet.site.pages import Page, StaticFile, data_files, site_pages, targets
from kvalitet.site.render import REDIRECT_SCRIPT, redirect_script, render_page, render_redirect
from kvalitet.site.termlinks import term_entries

PDF_VARIABLE = "KVALITET_PDFS"  # the folder of the PDFs a publishing build made
MANIFEST = "manifest.json"  # in that folder: what it holds (written by outputs.pdf.build_pdfs)


@dataclass(frozen=True)
class PdfFile:
    """One PDF the site publishes: its address, pages and size in bytes."""

    url: str
    pages: int
    size: int

    @property
    def label(self) -> str:
        """ "3 sider, 85 KB" """
        pages = "1 side" if self.pages == 1 else f"{self.pages} sider"
        return f"{pages}, {max(1, round(self.size / 1024))} KB"


def read_manifest(folder: Path | None) -> dict[str, PdfFile]:
    """The PDFs a publishing build made (none in a preview)."""
    if folder is None or not (folder / MANIFEST).exists():
        return {}
    data = json.loads((folder / MANIFEST).read_text("utf-8"))
    return {f["url"]: PdfFile(f["url"], f["pages"], f["size"]) for f in data["files"]}


@dataclass(frozen=True)
class SiteBuild:
    """Everything a site generator needs: pages with their Markdown, static files, theme data,
    and the PDFs a publishing build made (site path -> file on disk)."""

    site: Site
    pages: list[Page]
    markdown: list[str]
    static: list[StaticFile]
    chrome: dict[str, Any]
    pdfs: dict[str, Path]
    moved: dict[str, str] = field(default_factory=dict)  # the redirects every page may follow
    made: dict[str, PdfFile] = field(default_factory=dict)  # the PDFs the pages link


def checked_site(root: Path, today: dt.date | None = None, cache: FileCache | None = None
                 ) -> Site:
    """Load the content under ``root`` and cross-check it, for the day ``today`` (default: the
    build date, see ``versions.build_date``). Raises one ContentError listing every error; the
    Site carries the advice. ``cache``: the files read before (``load.FileCache``)."""
    findings = Findings()
    today = today or build_date()
    site = load_site(root, findings, today, cache)
    check_site(site, findings, today)
    if not findings.errors:  # links are checked against a sound site: errors would only echo
        check_plan(site, findings)
    findings.raise_errors()
    site.advice = sorted(set(findings.advice))
    return site


def check_plan(site: Site, findings: Findings) -> None:
    """The checks that need the page plan: every link to the site's own pages lands, every
    redirect leads to a page, every published link keeps a target."""
    found = targets(site)
    check_links(site, found, findings)
    check_redirects(site, found, findings)
    check_published(site, found, findings)


def build_site(root: Path) -> SiteBuild:
    """Load and check the content under ``root`` and render every page. Raises ContentError.
    The pages link the PDFs that ``KVALITET_PDFS`` holds (a publishing build), or say that
    they are made when the site is published."""
    return _assemble(checked_site(root), None)


def _assemble(site: Site, before: SiteBuild | None) -> SiteBuild:
    """Render the planned pages of ``site``. A page whose spec equals its spec in ``before``
    (and the redirects and PDFs every page may link are the same) keeps its Markdown: a spec
    holds every value its template reads (``spec.Page``), and rendering is a function of them."""
    pages = site_pages(site)
    moved = {r.from_: r.to for r in site.redirects.redirects}
    folder = os.environ.get(PDF_VARIABLE)
    made = read_manifest(Path(folder) if folder else None)
    known = {}
    if before is not None and before.moved == moved and before.made == made:
        known = {p.url: (p, text) for p, text in zip(before.pages, before.markdown, strict=True)}
    markdown = []
    for page in pages:
        old = known.get(page.url)
        markdown.append(old[1] if old and old[0] == page else render_page(page, moved, made))
    redirects = [StaticFile(r.from_, render_redirect(r.from_, r.to, site.municipality.name))
                 for r in site.redirects.redirects]
    if redirects:
        redirects.append(StaticFile(REDIRECT_SCRIPT, redirect_script()))
    pdfs = {url: Path(folder) / url.lstrip("/") for url in made} if folder else {}
    return SiteBuild(site, pages, markdown, data_files(site) + redirects, chrome(site, pages),
                     pdfs, moved, made)


@dataclass(frozen=True)
class Changes:
    """What a build changed since the build before it (site paths)."""

    pages: frozenset[str]  # pages that are new or whose Markdown changed
    removed: frozenset[str]  # pages the site no longer has
    static: frozenset[str]  # static files (data, redirect pages) new or changed
    removed_static: frozenset[str]

    @staticmethod
    def between(before: SiteBuild, after: SiteBuild) -> Changes:
        old = dict(zip((p.url for p in before.pages), before.markdown, strict=True))
        new = dict(zip((p.url for p in after.pages), after.markdown, strict=True))
        old_static = {f.url: f.content for f in before.static}
        new_static = {f.url: f.content for f in after.static}
        return Changes(frozenset(u for u, text in new.items() if old.get(u) != text),
                       frozenset(old.keys() - new.keys()),
                       frozenset(u for u, text in new_static.items() if old_static.get(u) != text),
                       frozenset(old_static.keys() - new_static.keys()))


class Rebuilds:
    """The builds of one project in one process (the preview, after every save): a content
    file is read and validated again only when its bytes changed, every check runs on the whole
    site, and a page is rendered again only when its spec changed. ``build`` says which pages'
    Markdown changed since the last build that loaded."""

    def __init__(self, root: Path):
        self.root = root
        self.cache = FileCache()
        self.last: SiteBuild | None = None

    def build(self) -> tuple[SiteBuild, Changes | None]:
        """The site now and what changed since the last good build (None for the first).
        Raises ContentError (and keeps the last good build to compare with)."""
        built = _assemble(checked_site(self.root, cache=self.cache), self.last)
        changes = Changes.between(self.last, built) if self.last is not None else None
        self.last = built
        return built, changes

    def forget(self) -> None:
        """Start again from nothing (the next build compares with nothing)."""
        self.last = None


def markup_settings(site: Site) -> dict:
    """The configuration of the page extension (kvalitet.site.markup): the glossary."""
    return {"terms": term_entries(site.glossary.terms), "glossary": urls.glossary()}


def chrome(site: Site, pages: list[Page]) -> dict[str, Any]:
    """What the theme's header and footer show, all from municipality.yaml (URLs as site paths
    without the leading slash, for the theme's ``url`` filter)."""
    muni = site.municipality
    published = {p.url for p in pages}
    return {
        "name": muni.name,
        "website": muni.website,
        "website_label": f"{genitive(muni.name)} hjemmeside",
        "accessibility_statement": muni.accessibility_statement,
        "contacts": [{**c.model_dump(), "tel": urls.tel(c.phone) if c.phone else None}
                     for c in muni.contacts],
        "caseworkers": urls.caseworkers().lstrip("/") if urls.caseworkers() in published else None,
        "glossary": urls.glossary().lstrip("/") if urls.glossary() in published else None,
    }
