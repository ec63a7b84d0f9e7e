"""The publishing build's PDF cache (outputs/pdfcache.py): a PDF is made again only when
something it prints changed, or what lays it out.

The versions fixture has four PDFs on 2026-12-15: the text in force and three editions (the
superseded, the current and the scheduled one). The layout itself (WeasyPrint) is replaced by a
stand-in that records what it was asked to make, except in the last test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kvalitet.build import checked_site
from kvalitet.outputs import pdf, pdfcache
from tests.helpers import FIXTURES, ROOT, copy_content, edit

IN_FORCE = "/ledsagerordning/ledsagerordning.pdf"
SCHEDULED = "/ledsagerordning/udgaver/2027-01-01/ledsagerordning.pdf"
CURRENT = "/ledsagerordning/udgaver/2026-03-01/ledsagerordning.pdf"
EVERY = {IN_FORCE, SCHEDULED, CURRENT, "/ledsagerordning/udgaver/2024-01-01/ledsagerordning.pdf"}


class _Project:
    def __init__(self, tmp: Path, monkeypatch):
        self.root = copy_content(tmp / "c", FIXTURES / "versions")
        self.cache = pdfcache.PdfCache(self.root / pdfcache.FOLDER)
        self.tmp, self.runs, self.made = tmp, 0, []
        monkeypatch.setenv("KVALITET_DATE", "2026-12-15")
        monkeypatch.setattr(pdf, "render_pdf", self._render)

    def _render(self, html: str, target: Path, base_url: str) -> int:
        self.made.append("/" + target.relative_to(self.out).as_posix())
        target.write_bytes(html.encode("utf-8"))
        return 1

    def build(self) -> set[str]:
        """Build the PDFs; return the addresses of those made (not copied from the cache)."""
        self.runs += 1
        self.out = self.tmp / f"pdf-{self.runs}"
        self.made = []
        files = pdf.build_pdfs(checked_site(self.root), self.out, self.cache, workers=1)
        assert {f.url for f in files} == EVERY
        for file in files:
            assert (self.out / file.url.lstrip("/")).is_file()
        return set(self.made)


@pytest.fixture
def project(tmp_path, monkeypatch):
    found = _Project(tmp_path, monkeypatch)
    assert found.build() == EVERY
    assert found.build() == set()  # nothing changed: every PDF from the cache
    return found


def test_an_edition_remakes_its_own_pdf(project):
    edit(project.root / "content/standards/ledsagerordning/standard.yaml",
         "Op til 20 timer om måneden", "Op til 25 timer om måneden")
    assert project.build() == {SCHEDULED}


def test_the_municipality_remakes_every_pdf(project):
    muni = project.root / "content/municipality.yaml"
    edit(muni, 'phone: "70 00 00 00"', 'phone: "70 00 00 01"')  # the contacts
    assert project.build() == EVERY
    edit(muni, "site_url: https://kvalitet.example.org/", "site_url: https://ny.example.org/")
    assert project.build() == EVERY
    edit(muni, "name: Eksempel Kommune", "name: Eksempel Kommune Nord")
    assert project.build() == EVERY


def test_the_build_date_remakes_every_pdf(project, monkeypatch):
    """Another day prints another "lavet <dato>"; the first of January 2027 also makes the
    scheduled edition the one in force ("Gældende", "Gjaldt")."""
    monkeypatch.setenv("KVALITET_DATE", "2026-12-16")
    assert project.build() == EVERY
    monkeypatch.setenv("KVALITET_DATE", "2027-01-01")
    assert project.build() == EVERY


def test_the_layout_remakes_every_pdf(project, monkeypatch):
    pdfcache.renderer.cache_clear()
    monkeypatch.setattr(pdfcache, "fonts", lambda: ["Liberation Sans: another file"])
    try:
        assert project.build() == EVERY
        monkeypatch.setattr(pdf, "_style", lambda: "body { font-size: 12pt }\n")
        assert project.build() == EVERY
    finally:
        pdfcache.renderer.cache_clear()


def test_what_the_pdfs_do_not_print_remakes_none(project):
    edit(project.root / "offers.yaml", "Et værested med åben tid.", "Et værested.")
    edit(project.root / "content/standards/ledsagerordning/guide.yaml", "Er du mellem 18 og 67 år?",
         "Er du mellem 18 og 67 år gammel?")
    assert project.build() == set()


def test_the_cache_keeps_only_what_the_build_used(project):
    edit(project.root / "content/standards/ledsagerordning/standard.yaml",
         "Op til 20 timer om måneden", "Op til 25 timer om måneden")
    project.build()
    assert len(list(project.cache.folder.glob("*.pdf"))) == len(EVERY)


def test_a_real_pdf_from_the_cache_is_the_same_file(tmp_path):
    site = checked_site(ROOT)
    cache = pdfcache.PdfCache(tmp_path / "cache")
    first = pdf.build_pdfs(site, tmp_path / "one", cache)
    second = pdf.build_pdfs(site, tmp_path / "two", cache)
    assert cache.reused == len(second) == len(first) == 1
    name = first[0].url.lstrip("/")
    assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert first == second
