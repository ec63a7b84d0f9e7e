"""One build of the site, independent of MkDocs: load, check, plan the pages, render them."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kvalitet import urls
from kvalitet.content.checks import check_site
from kvalitet.content.linkcheck import check_links, check_published, check_redirects
from kvalitet.content.load import Site, load_site
from kvalitet.content.versions import build_date
from kvalitet.plain import genitive
from kvalitet.problems import Findings
from kvalitet.site.links import advise_unlocked
from kvalitet.site.pages import Page, StaticFile, data_files, site_pages, targets
from kvalitet.site.render import render_page, render_redirect
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


def checked_site(root: Path, today: dt.date | None = None) -> Site:
    """Load the content under ``root`` and cross-check it, for the day ``today`` (default: the
    build date, see ``versions.build_date``). Raises one ContentError listing every error; the
    Site carries the advice."""
    findings = Findings()
    today = today or build_date()
    site = load_site(root, findings, today)
    check_site(site, findings, today)
    if not findings.errors:  # links are checked against a sound site: errors would only echo
        check_plan(site, findings)
    findings.raise_errors()
    site.advice = sorted(set(findings.advice))
    return site


def check_plan(site: Site, findings: Findings) -> None:
    """The checks that need the page plan: every link to the site's own pages lands, every
    redirect leads to a page, every published link keeps a target; advice on new addresses
    that are not locked yet."""
    found = targets(site)
    check_links(site, found, findings)
    check_redirects(site, found, findings)
    check_published(site, found, findings)
    advise_unlocked(site, findings)


def build_site(root: Path) -> SiteBuild:
    """Load and check the content under ``root`` and render every page. Raises ContentError.
    The pages link the PDFs that ``KVALITET_PDFS`` holds (a publishing build), or say that
    they are made when the site is published."""
    site = checked_site(root)
    pages = site_pages(site)
    moved = {r.from_: r.to for r in site.redirects.redirects}
    folder = os.environ.get(PDF_VARIABLE)
    made = read_manifest(Path(folder) if folder else None)
    markdown = [render_page(p, moved, made) for p in pages]
    redirects = [StaticFile(r.from_, render_redirect(r.from_, r.to, site.municipality.name))
                 for r in site.redirects.redirects]
    pdfs = {url: Path(folder) / url.lstrip("/") for url in made} if folder else {}
    return SiteBuild(site, pages, markdown, data_files(site) + redirects, chrome(site, pages),
                     pdfs)


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
