"""The accessible PDF of every standard and edition: made by the publishing build, linked with
its real size, tagged as PDF/UA-1 asks (checked with pikepdf, see tests/pdfcheck.py), and
holding the standard's own text."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pdfplumber
import pikepdf
import pytest

from kvalitet.build import checked_site
from kvalitet.cli import main
from kvalitet.plain import plain_text
from kvalitet.site.render import danish_date
from tests import pdfcheck
from tests.helpers import FIXTURES, ROOT, SEED, article_text, make_project, read

ARTIFACTS = ROOT / "test-artifacts"
STD = "aktivitets-og-samvaerstilbud"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The shipped site, built for publishing (``kvalitet build``: PDFs first)."""
    project = make_project(tmp_path_factory.mktemp("publish") / "p")
    assert main(["--root", str(project), "build", "--site-dir", "site"]) == 0
    return project / "site"


def _pdf(site):
    return site / STD / f"{STD}.pdf"


def test_the_standard_page_links_its_pdf_with_its_real_size(published):
    path = _pdf(published)
    assert path.exists()
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    size = round(path.stat().st_size / 1024)
    html = read(published, f"/{STD}/")
    assert f'<a class="kv-pdf" href="{STD}.pdf">Hent som PDF ({pages} sider, {size} KB)</a>' \
        in html


def test_the_pdf_passes_the_machine_checks(published):
    assert pdfcheck.all_problems(_pdf(published)) == []


def test_headings_and_bookmarks_follow_the_sections(published):
    standard = checked_site(ROOT).standard(STD).standard
    expected = ["/H1", "/H2"]  # the title, the facts
    for section in standard.sections:
        expected += ["/H2"] + ["/H3"] * len(section.subsections)
    expected += ["/H2", "/H2"]  # the word list, the contacts
    with pikepdf.open(_pdf(published)) as pdf:
        assert pdfcheck.headings(pdf) == expected
        marks = [title for depth, title in pdfcheck.outline(pdf) if depth == 1]
        assert [t for t in marks if t not in ("Nøgletal", "Ordforklaring", "Kontakt")] == [
            s.title for s in standard.sections]
        subs = [title for depth, title in pdfcheck.outline(pdf) if depth == 2]
        assert subs == [u.title for s in standard.sections for u in s.subsections]


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _official_words(path) -> list[str]:
    """The words of the PDF's body (running header and page numbers cropped off), without the
    "Kort fortalt" summaries, which are not the standard's text (as on the site's test)."""
    with pdfplumber.open(path) as pdf:
        text = " ".join(page.crop((0, 60, page.width, page.height - 55)).extract_text() or ""
                        for page in pdf.pages)
    # The addresses printed after links are not the standard's words either.
    words = _words(re.sub(r"\((?:https?:|/)[^()]*\)", " ", text))
    standard = checked_site(ROOT).standard(STD).standard
    label = _words("Kort fortalt (ikke en del af den godkendte tekst)")
    for summary in [label] + [_words(plain_text(p.summary)) for _, p in standard.parts()
                              if p.summary]:
        n = len(summary)
        i = 0
        while i <= len(words) - n:
            if words[i:i + n] == summary:
                del words[i:i + n]
            else:
                i += 1
    return words


def test_the_pdf_text_keeps_the_seed(published):
    built = " ".join(_official_words(_pdf(published)))
    with pdfplumber.open(_pdf(published)) as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
    seed = [w for w in (_words(ln) for ln in SEED.read_text("utf-8").splitlines()) if w]
    missing = [" ".join(w) for w in seed if f" {' '.join(w)} " not in f" {built} "]
    kept = 1 - len(missing) / len(seed)
    print(f"{kept:.1%} of {len(seed)} seed lines in the PDF")
    assert kept >= 0.95, f"{kept:.1%} kept; missing:\n" + "\n".join(missing)
    assert "æ" in text and "ø" in text and "å" in text


def test_links_are_clickable_and_their_addresses_printed(published):
    with pikepdf.open(_pdf(published)) as pdf:
        uris = {str(a.A.URI) for page in pdf.pages for a in page.obj.get("/Annots", [])
                if "/A" in a and "/URI" in a.A}
    assert "https://www.randers.dk" in uris
    with pdfplumber.open(_pdf(published)) as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert "Telefonnumre og åbningstider står på https://www.randers.dk." in " ".join(
        text.split())
    assert "Side 1 af" in text


def test_first_two_pages_as_pictures(published):
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / "pdf-side"
    subprocess.run(["pdftoppm", "-r", "70", "-f", "1", "-l", "2", "-png", str(_pdf(published)),
                    str(prefix)], check=True)
    pictures = sorted(ARTIFACTS.glob("pdf-side-*.png"))
    assert len(pictures) >= 2 and all(p.stat().st_size > 10_000 for p in pictures)


def test_every_edition_has_its_pdf_with_its_date(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "versions")
    assert main(["--root", str(project), "--date", "2026-12-15", "build", "--site-dir",
                 "site"]) == 0
    site = project / "site"
    for day, shown in (("2024-01-01", "Gjaldt fra 1. januar 2024 til 28. februar 2026"),
                       ("2026-03-01", "Gældende fra 1. marts 2026 til 31. december 2026"),
                       ("2027-01-01", "Gælder fra 1. januar 2027")):
        path = site / "ledsagerordning" / "udgaver" / day / "ledsagerordning.pdf"
        assert pdfcheck.all_problems(path) == [], day
        with pdfplumber.open(path) as pdf:
            text = " ".join((pdf.pages[0].extract_text() or "").split()).replace("/ ", "/")
        assert shown in text, (day, text[:300])
        assert text.startswith("Ledsagerordning Udgaven fra "
                               + danish_date(dt.date.fromisoformat(day)))
        assert "kvalitet.example.org/ledsagerordning/udgaver/" + day in text
        page = read(site, f"/ledsagerordning/udgaver/{day}/")
        assert 'href="ledsagerordning.pdf">Hent som PDF (' in page
    assert (site / "ledsagerordning" / "ledsagerordning.pdf").exists()


def test_the_preview_makes_no_pdf(shipped):
    text = article_text(read(shipped, f"/{STD}/"))
    assert "PDF'en laves, når sitet udgives" in text
    assert not (shipped / STD / f"{STD}.pdf").exists()
    assert shutil.which("pdftoppm"), "poppler-utils (make test installs it)"


def test_site_links_print_a_full_address_or_none():
    """A link to the site's own pages shows its full address on paper when the site's address
    is known, and no address otherwise: a site path such as "/tilbud/perron-4/" means nothing
    on paper."""
    from kvalitet.outputs.pdf import document_html

    site = checked_site(ROOT)  # no site_url
    assert site.municipality.site_url is None
    html = document_html(site, site.standard(STD), None)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert not re.search(r"\(/[a-z0-9-]*/", text), re.findall(r".{40}\(/[a-z0-9-]*/.{20}", text)
    assert "ud fra siden" not in text and f"/{STD}/" not in text
    assert "ud fra Randers Kommunes site med kvalitetsstandarder" in text
    assert "Perron 4" in text  # the link's text stays

    second = checked_site(FIXTURES / "second")
    std = second.standards[0]
    html = document_html(second, std, None)
    assert f'<a href="https://kvalitet.example.org/{std.id}/">' \
           f"https://kvalitet.example.org/{std.id}/</a>" in html
