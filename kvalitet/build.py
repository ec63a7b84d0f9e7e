"""One build of the site, independent of MkDocs: load, check, plan the pages, render them."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kvalitet.content.checks import check_site
from kvalitet.content.load import Site, load_site
from kvalitet.content.versions import build_date
from kvalitet.outputs.pdf import read_manifest
from kvalitet.problems import Findings
from kvalitet.site import urls
from kvalitet.site.pages import Page, StaticFile, data_files, site_pages
from kvalitet.site.plain import genitive
from kvalitet.site.render import REDIRECT_SCRIPT, redirect_script, render_page, render_redirect
from kvalitet.site.termlinks import term_entries

PDF_VARIABLE = "KVALITET_PDFS"  # the folder of the PDFs a publishing build made


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
    findings.raise_errors()
    site.advice = sorted(set(findings.advice))
    return site


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
    if redirects:
        redirects.append(StaticFile(REDIRECT_SCRIPT, redirect_script()))
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
