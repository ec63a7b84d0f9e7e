"""The preview's builds after a save (outputs/mkdocs/session.py): only the pages a change touches
are rendered and written, and the site is the one a whole build makes, byte for byte.

Each edit below is saved in a project under one preview session; after it, the session's
folder is compared file by file with a fresh whole build of the same content. The whole build
renders every page's Markdown again, so a page the session wrongly kept (a spec that did not
change while its Markdown would have, or HTML that depends on another page) shows up as a
difference.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kvalitet.outputs.mkdocs import build_once
from kvalitet.outputs.mkdocs.session import Session
from tests.helpers import FIXTURES, edit, make_project

STD = "content/standards/aktivitets-og-samvaerstilbud/standard.yaml"
GUIDE = "content/standards/aktivitets-og-samvaerstilbud/guide.yaml"
NEW_OFFER = """
  - id: nyt-vaerested
    name: Nyt Værested
    kind: Værested
    group: cafeer-og-vaeresteder
    referral: false
    description: Et nyt sted at mødes.
"""


def differences(a: Path, b: Path) -> list[str]:
    """The files that are not the same in two site folders."""
    found = []
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} | {
        p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    for name in sorted(names):
        left, right = a / name, b / name
        if not left.is_file() or not right.is_file() or left.read_bytes() != right.read_bytes():
            found.append(str(name))
    return found


class _Run:
    """A project, its preview session, and whole builds to compare with."""

    def __init__(self, project: Path, tmp: Path):
        self.project, self.tmp, self.count = project, tmp, 0
        self.session = Session(project / "mkdocs.yml")
        outcome = self.session.build(self.folder)
        assert outcome.ok and outcome.pages is None, outcome
        self.site = outcome.site

    def folder(self) -> Path:
        self.count += 1
        made = self.tmp / f"site-{self.count}"
        made.mkdir()
        return made

    def save(self, name: str, old: str, new: str, count: int = 1) -> int | None:
        """Edit a content file, build, and check the site against a whole build; return how
        many pages the session wrote (None: it built the whole site)."""
        edit(self.project / name, old, new, count)
        outcome = self.session.build(self.folder)
        assert outcome.ok, outcome
        self.site = outcome.site
        whole = build_once(self.project / "mkdocs.yml", self.folder(), search=False)
        assert whole.ok, whole
        assert differences(self.site, self.tmp / f"site-{self.count}") == []
        return outcome.pages


@pytest.fixture
def run(tmp_path):
    """The shipped content with the site's address (so the sitemap lists every page)."""
    project = make_project(tmp_path / "p")
    edit(project / "content/municipality.yaml", "website: https://www.randers.dk\n",
         "website: https://www.randers.dk\nsite_url: https://kvalitet.randers.dk/\n")
    return _Run(project, tmp_path)


def test_section_offer_and_guide_edits_write_only_their_pages(run):
    section = run.save(STD, "Dernæst kan du læse om, hvordan du kan søge om støtte",
                       "Dernæst kan du læse om, hvordan du søger om støtte")
    assert section == 1  # the standard's page: nothing else shows a section's text
    offer = run.save("offers.yaml", "Åbent aktivitets- og samværstilbud. Du kan møde op",
                     "Åbent aktivitets- og samværstilbud med café. Du kan møde op")
    assert offer is not None and offer < 10  # the offer's page, the lists of its first sentence
    outcome = run.save(GUIDE, "title: Kontakt din handlekommune", "title: Kontakt kommunen")
    assert outcome is not None and outcome < 30


def test_a_rule_in_a_section_changes_the_style_sheet(run):
    """The first horizontal rule on the site brings the style sheet's rules for it (Material's
    ``hr`` rules), and they go with it."""
    css = (run.site / "assets/kvalitet.css").read_text("utf-8")
    before = "\n      Dernæst kan du læse om"
    rule = "\n      ***\n" + before
    assert run.save(STD, before, rule) == 1
    assert (run.site / "assets/kvalitet.css").read_text("utf-8") != css
    assert run.save(STD, rule, before) == 1
    assert (run.site / "assets/kvalitet.css").read_text("utf-8") == css


def test_adding_and_removing_an_offer_changes_the_list_of_pages(run):
    added = run.save("offers.yaml", "\noffers:\n", "\noffers:\n" + NEW_OFFER.lstrip("\n"))
    assert added is not None and (run.site / "tilbud/nyt-vaerested/index.html").is_file()
    assert "/tilbud/nyt-vaerested/" in (run.site / "sitemap.xml").read_text("utf-8")
    removed = run.save("offers.yaml", NEW_OFFER.lstrip("\n"), "")
    assert removed is not None and not (run.site / "tilbud/nyt-vaerested").exists()


def test_a_renamed_offer_with_a_redirect_leaves_a_redirect_page_at_its_old_address(run):
    """The officer's path in the form: an offer gets a new id and its old address a redirect in
    the same save. The old page goes and the redirect page takes its place in the same build."""
    old = run.site / "tilbud/rusfri-cafe/index.html"
    assert old.is_file() and "http-equiv=\"refresh\"" not in old.read_text("utf-8")
    (run.project / "content/redirects.yaml").write_text(
        "redirects:\n  - from: /tilbud/rusfri-cafe/\n    to: /tilbud/rusfri-cafe-randers/\n",
        "utf-8")
    assert run.save("offers.yaml", "  - id: rusfri-cafe\n",
                    "  - id: rusfri-cafe-randers\n") is not None
    assert 'http-equiv="refresh"' in old.read_text("utf-8")
    assert (run.site / "tilbud/rusfri-cafe-randers/index.html").is_file()


def test_a_glossary_term_and_the_municipality_name_build_the_whole_site(run):
    text = (run.project / "content/glossary.yaml").read_text("utf-8")
    definition = re.search(r"^    definition: [>|]-?\n      (\S+ \S+)", text, re.M)
    assert definition, "the glossary's first definition"
    assert run.save("content/glossary.yaml", definition.group(1),
                    definition.group(1) + " egentlig") is None  # its tooltip is on every page
    assert run.save("content/municipality.yaml", "name: Randers Kommune",
                    "name: Randers Kommune Test") is None


def test_an_error_keeps_the_last_site_and_the_fix_is_built_like_a_whole_build(run):
    before = {p: p.read_bytes() for p in run.site.rglob("*.html")}
    edit(run.project / STD, "title: ", "titel: ")
    outcome = run.session.build(run.folder)
    assert outcome.errors and outcome.site is None
    assert {p: p.read_bytes() for p in run.site.rglob("*.html")} == before
    assert run.save(STD, "titel: ", "title: ") is not None


def test_an_editions_date_moves_its_pages(tmp_path, monkeypatch):
    """The scheduled edition's date moves (its addresses with it, and the lock follows), then
    it comes into force: the editions' states, the change pages and the dated links change."""
    monkeypatch.setenv("KVALITET_DATE", "2026-12-15")
    run = _Run(make_project(tmp_path / "p", FIXTURES / "versions"), tmp_path)
    lock = "content/published-links.txt"
    std = "content/standards/ledsagerordning/standard.yaml"
    for new in ("2027-02-01", "2026-12-01"):
        old = re.search(r"in_force_from: (\S+)",
                        (run.project / std).read_text("utf-8")).group(1)
        edit(run.project / lock, f"/udgaver/{old}/", f"/udgaver/{new}/", count=-1)
        assert run.save(std, f"in_force_from: {old}", f"in_force_from: {new}") is not None


def test_a_theme_change_builds_the_whole_site(run):
    css = run.project / "overrides/partials/kvalitet-css.html"
    css.write_text(css.read_text("utf-8") + "\n/* ændret */\n", "utf-8")
    outcome = run.session.build(run.folder, whole=True)
    assert outcome.ok and outcome.pages is None and "/* ændret */" in (
        outcome.site / "assets/kvalitet.css").read_text("utf-8")


def test_the_session_uses_the_build_date(run, monkeypatch):
    """Nothing the session keeps hides a change of day (KVALITET_DATE): a build that changes
    nothing writes nothing."""
    monkeypatch.delenv("KVALITET_DATE", raising=False)
    outcome = run.session.build(run.folder)
    assert outcome.ok and outcome.pages == 0 and outcome.site == run.site
    assert os.environ.get("KVALITET_DATE") is None
