"""Editions of a standard: the text in force on a day, every edition at its own address, what
changed, and a new edition that goes live on its date (tests/fixtures/versions: editions of
2024-01-01 and 2026-03-01, frozen, and one of 2027-01-01 in standard.yaml)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys

import pytest

from kvalitet.build import checked_site
from kvalitet.cli import main
from tests.helpers import (
    FIXTURES,
    article_text,
    copy_content,
    edit,
    load_errors,
    make_project,
    mkdocs_build,
    read,
    searched,
)

VERSIONS = FIXTURES / "versions"
STD = "content/standards/ledsagerordning/standard.yaml"
OLD = "content/standards/ledsagerordning/versions/2024-01-01.yaml"
MIDDLE = "content/standards/ledsagerordning/versions/2026-03-01.yaml"
BEFORE, ON, AFTER = "2026-12-15", "2027-01-01", "2027-06-01"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, object]:
    """The fixture built strictly before, on and after the new edition's date."""
    project = make_project(tmp_path_factory.mktemp("versions") / "project", VERSIONS)
    sites = {}
    for date in (BEFORE, ON, AFTER):
        result = mkdocs_build(project, project.parent / f"site-{date}", date)
        assert result.returncode == 0, result.output
        assert "WARNING" not in result.output, result.output
        sites[date] = result.site
    return sites


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


@pytest.mark.parametrize("date, current, text", [
    (BEFORE, "2026-03-01", "Op til 15 timer om måneden"),
    (ON, "2027-01-01", "Op til 20 timer om måneden"),
    (AFTER, "2027-01-01", "Op til 20 timer om måneden"),
])
def test_the_edition_in_force_is_current(built, date, current, text):
    html = read(built[date], "/ledsagerordning/")
    page = article_text(html)
    assert text in page
    day = {"2026-03-01": "1. marts 2026", "2027-01-01": "1. januar 2027"}[current]
    assert f"Gældende fra {day}" in page
    assert ('En ny udgave gælder fra 1. januar 2027.' in page) == (date == BEFORE)
    data = json.loads((built[date] / "data" / "standarder.json").read_text("utf-8"))
    states = {v["in_force_from"]: v["state"] for v in data["standards"][0]["versions"]}
    assert states[current] == "current"
    assert list(states) == ["2024-01-01", "2026-03-01", "2027-01-01"]


def test_before_the_date_the_page_links_to_a_preview_of_the_new_edition(built):
    html = read(built[BEFORE], "/ledsagerordning/")
    assert 'href="udgaver/2027-01-01/"' in html.split("En ny udgave gælder fra")[1][:300]
    preview = read(built[BEFORE], "/ledsagerordning/udgaver/2027-01-01/")
    assert "Denne udgave gælder fra 1. januar 2027." in article_text(preview)
    assert '<meta name="robots" content="noindex">' in preview


@pytest.mark.parametrize("date", [BEFORE, ON, AFTER])
def test_every_published_anchor_of_every_edition_resolves(built, date):
    for link in (VERSIONS / "content" / "published-links.txt").read_text().split():
        path, _, anchor = link.partition("#")
        html = read(built[date], path)
        assert not anchor or anchor in _ids(html), (date, link)


def test_superseded_edition_links_each_section_to_the_current_one(built):
    html = read(built[ON], "/ledsagerordning/udgaver/2024-01-01/")
    text = article_text(html)
    assert "Denne udgave gjaldt fra 1. januar 2024 til 28. februar 2026." in text
    assert '<meta name="robots" content="noindex">' in html
    assert '<link rel="canonical" href="https://kvalitet.example.org/ledsagerordning/udgaver/' \
           '2024-01-01/">' in html
    after = html.split('id="maalgruppe"')[1]
    # maalgruppe is now hvem-kan-faa (former_ids): the link goes to the renamed section
    assert re.search(r'<a class="kv-now" href="\.\./\.\./#hvem-kan-faa">Afsnittet i den udgave, '
                     r'der gælder nu: Hvem kan få en ledsager\?</a>', after[:600]), after[:600]
    removed = html.split('id="egenbetaling"')[1][:600]
    assert "Det nærmeste afsnit i den udgave, der gælder nu" in removed
    assert 'href="../../#hvem-kan-faa"' in removed


def test_frozen_edition_links_follow_redirects(built):
    html = read(built[ON], "/ledsagerordning/udgaver/2026-03-01/")
    assert '<a href="../../../tilbud/ledsagerkorps/">Ledsagerkorpset</a>' in html


def test_change_page_marks_words_and_facts(built):
    html = read(built[BEFORE], "/ledsagerordning/udgaver/2026-03-01/aendringer/")
    assert '<del><span class="kv-sr-only">slettet: </span>65</del>' in html
    assert '<ins><span class="kv-sr-only">indsat: </span>67</ins>' in html
    text = article_text(html)
    facts = text.index("Nøgletal, der er ændret")
    assert facts < text.index("Afsnit, der er ændret")
    assert "Timer: før Op til 10 timer om måneden, nu Op til 15 timer om måneden" in text
    assert "Fjernet afsnit: Egenbetaling" in text and "Nyt afsnit: Frister for klage" in text
    renamed = read(built[BEFORE], "/ledsagerordning/udgaver/2027-01-01/aendringer/")
    assert "Afsnittet hed før #maalgruppe og hedder nu #hvem-kan-faa" in article_text(renamed)


def test_forskelle_prints_the_same_changes(capsys):
    assert main(["--root", str(VERSIONS), "--date", BEFORE, "forskelle", "ledsagerordning",
                 "2024-01-01", "2026-03-01"]) == 0
    out = capsys.readouterr().out
    assert "Timer: Op til 10 timer om måneden → Op til 15 timer om måneden" in out
    assert "Du skal være mellem 18 og [-65-] {+67+} år." in out
    assert "Fjernet afsnit: Egenbetaling (egenbetaling)" in out
    assert "Nyt afsnit: Frister for klage (frister)" in out


def test_versions_page_lists_dates_and_changes(built):
    text = article_text(read(built[BEFORE], "/ledsagerordning/udgaver/"))
    assert text.index("1. januar 2027") < text.index("1. marts 2026") < text.index(
        "1. januar 2024")
    assert "Godkendt af Byrådet den 10. februar 2026" in text
    assert "Gælder nu fra 1. marts 2026 til 31. december 2026" in text
    assert "Ændret: 1 afsnit ændret, 1 nyt, 1 fjernet, 2 nøgletal ændret" in text


def test_caseworkers_get_a_dated_link_for_today(built):
    html = read(built[BEFORE], "/for-sagsbehandlere/")
    text = article_text(html)
    assert "Link til den udgave, der gælder i dag:" in text
    assert "https://kvalitet.example.org/ledsagerordning/udgaver/2026-03-01/#klage" in \
        text.replace(" ", "")


def test_old_editions_are_out_of_the_navigation_and_search(built):
    front = read(built[BEFORE], "/")
    assert "udgaver/" not in front.split('class="md-nav')[1].split("</nav>")[0]
    assert not [url for url in searched(built[BEFORE]) if "udgaver" in url]
    assert "/ledsagerordning/" in searched(built[BEFORE])


def test_a_changed_frozen_edition_is_refused(tmp_path):
    content = copy_content(tmp_path / "c", VERSIONS)
    edit(content / OLD, "Du skal være mellem 18 og 65 år.", "Du skal være mellem 18 og 66 år.")
    assert load_errors(content) == [
        f"{OLD}, linje 22: udgaven er udgivet og må ikke ændres, men "
        '"sections.1.body" er ændret. Fortryd ændringen, eller skriv en rettelse under '
        '"corrections:" med date og note (fx - date: 2027-02-01 og note: Stavefejl rettet), som '
        "udgavens side viser"]
    # Re-saving with other indentation and quoting is not a change.
    text = (VERSIONS / OLD).read_text("utf-8").replace("title: Klage", 'title: "Klage"')
    (content / OLD).write_text(text.replace("    body: Du betaler", "    body:  Du betaler"),
                               "utf-8")
    assert load_errors(content) == []


def test_a_correction_note_allows_a_change_and_is_shown(tmp_path):
    project = make_project(tmp_path / "p", VERSIONS)
    edit(project / OLD, "Du skal være mellem 18 og 65 år.", "Du skal være mellem 18 og 66 år.")
    with open(project / OLD, "a", encoding="utf-8") as f:
        f.write("corrections:\n  - date: 2026-12-01\n"
                "    note: Aldersgrænsen var skrevet forkert.\n")
    assert load_errors(project) == []
    lock = (project / "content" / "published-versions.json").read_text("utf-8")
    # the publishing build publishes the corrected edition and locks it as it is now
    assert main(["--root", str(project), "--date", BEFORE, "build", "--site-dir", "site"]) == 0
    assert (project / "content" / "published-versions.json").read_text("utf-8") != lock
    edit(project / OLD, "Du skal være mellem 18 og 66 år.", "Du skal være mellem 18 og 67 år.")
    assert load_errors(project)  # locked again: a further change needs its own correction
    page = article_text(read(project / "site", "/ledsagerordning/udgaver/2024-01-01/"))
    assert "Rettet efter udgivelsen: 1. december 2026: Aldersgrænsen var skrevet forkert." in page


def test_edition_dates_are_checked(tmp_path):
    content = copy_content(tmp_path / "c", VERSIONS)
    edit(content / STD, "in_force_from: 2027-01-01", "in_force_from: 2026-03-01")
    errors = load_errors(content)
    assert any("to udgaver gælder fra samme dato (2026-03-01)" in e for e in errors), errors
    content = copy_content(tmp_path / "d", VERSIONS)
    shutil.move(content / MIDDLE, content / "content/standards/ledsagerordning/versions/x.yaml")
    errors = load_errors(content)
    assert any('filnavnet skal være datoen' in e for e in errors), errors


def test_review_date_in_the_past_is_advice(tmp_path):
    content = copy_content(tmp_path / "c", VERSIONS)
    advice = [str(a) for a in checked_site(content, today=dt.date(2031, 1, 1)).advice]
    assert any("skal revideres senest 2030-12-31" in a for a in advice), advice


def test_scheduled_edition_must_keep_published_anchors(tmp_path):
    content = copy_content(tmp_path / "c", VERSIONS)
    edit(content / STD, "    former_ids: [maalgruppe]\n", "")
    edit(content / "content/standards/ledsagerordning/guide.yaml", "section: maalgruppe",
         "section: formaal")
    edit(content / "content/standards/ledsagerordning/guide.yaml", "[maalgruppe, klage]",
         "[klage]")
    errors = load_errors(content)
    assert any("det udgivne link /ledsagerordning/#maalgruppe findes ikke i udgaven, der gælder "
               "fra 2027-01-01" in e for e in errors), errors


def test_new_edition_command_freezes_and_dates(tmp_path, capsys):
    project = copy_content(tmp_path / "c", VERSIONS)
    # Move to the future: the 2027 edition is in force, prepare the next one.
    assert main(["--root", str(project), "--date", AFTER, "ny-udgave", "ledsagerordning",
                 "--fra", "2028-01-01", "--godkendt", "2027-11-30", "--af", "Byrådet"]) == 0
    out = capsys.readouterr().out
    frozen = project / "content/standards/ledsagerordning/versions/2027-01-01.yaml"
    assert frozen.exists() and "frosset" in out
    text = (project / STD).read_text("utf-8")
    assert "in_force_from: 2028-01-01" in text and "approved: 2027-11-30" in text
    edit(project / STD, "Op til 20 timer", "Op til 25 timer")
    assert load_errors(project) == []
    site = checked_site(project, today=dt.date(2027, 6, 1))
    std = site.standard("ledsagerordning")
    assert [e.date.isoformat() for e in std.editions] == [
        "2024-01-01", "2026-03-01", "2027-01-01", "2028-01-01"]
    assert std.current.file.endswith("versions/2027-01-01.yaml")


def test_kvalitet_build_date_option_reaches_the_hook(tmp_path):
    project = make_project(tmp_path / "p", VERSIONS)
    result = subprocess.run([sys.executable, "-m", "kvalitet.cli", "--date", ON, "build",
                             "--site-dir", "site"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Op til 20 timer om måneden" in article_text(read(project / "site",
                                                              "/ledsagerordning/"))
