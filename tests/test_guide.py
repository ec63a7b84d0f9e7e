"""The guide: graph checks, golden paths, every path walked in the built HTML."""

from __future__ import annotations

import os
import posixpath
import re
from html import unescape
from pathlib import Path

import pytest

from kvalitet.build import checked_site
from kvalitet.content.guide import guide_paths
from tests.helpers import (
    FIXTURES,
    ROOT,
    article,
    article_text,
    copy_content,
    edit,
    load_errors,
    read,
    searched,
)

GOLDEN = Path(__file__).parent / "golden" / "guide-paths.txt"
GUIDE = "content/standards/aktivitets-og-samvaerstilbud/guide.yaml"


def all_paths() -> list[str]:
    lines = []
    for name, root in (("randers", ROOT), ("second", FIXTURES / "second")):
        for std in checked_site(root).standards:
            if std.guide:
                lines += [f"{name}/{std.id}: {p}" for p in guide_paths(std.guide)]
    return lines


def test_paths_match_the_golden_file():
    """Routing changes must be deliberate: update with KVALITET_UPDATE_GOLDEN=1 pytest."""
    current = "\n".join(all_paths()) + "\n"
    if os.environ.get("KVALITET_UPDATE_GOLDEN"):
        GOLDEN.write_text(current, "utf-8")
    assert GOLDEN.read_text("utf-8") == current


@pytest.fixture
def content(tmp_path):
    return copy_content(tmp_path / "c")


@pytest.mark.parametrize("old, new, line, words", [
    ("        next: behov\n", "        next: behoov\n", 64,
     'spørgsmålet "funktionsevne": svaret "Ja" fører til "behoov", som hverken er et spørgsmål '
     "eller et resultat"),
    ("start: voksen", "start: psykiatri", 24,
     'start peger på "psykiatri", men der er intet spørgsmål med det id'),
    ("        next: handicap\n", "        next: oenske\n", 83, "guiden går i ring: oenske → omraade"
     " → pensionist → oenske"),
    ("section: maalgruppe", "section: maalgrupe", 23,
     'section peger på "maalgrupe", som ikke er et afsnit'),
    ("    sections: [indhold]\n", "    sections: [indhold, pris]\n", 195,
     'resultatet "arbejde" henviser til afsnittet "pris", som ikke findes'),
    ("      areas: [psykiatri]", "      areas: [hjerne]", 259,
     'resultatet "psykiatri" viser tilbud fra området "hjerne", som ikke står i offers.yaml'),
    ("  anden-kommune:\n", "  oenske:\n", 143, '"oenske" er både et spørgsmål og et resultat'),
    ("        next: anden-kommune\n", "        next: funktionsevne\n", 143,
     'resultatet "anden-kommune" kan ikke nås fra start'),
])
def test_broken_guides_are_refused_with_file_and_line(content, old, new, line, words):
    edit(content / GUIDE, old, new)
    errors = load_errors(content)
    assert any(e.startswith(f"{GUIDE}, linje {line}:") and words in e for e in errors), errors


def test_unreachable_question(content):
    edit(content / GUIDE, "        next: bolig\n", "        next: helhedstilbud\n", count=2)
    errors = load_errors(content)
    assert f'{GUIDE}, linje 121: spørgsmålet "bolig" kan ikke nås fra start: intet svar fører ' \
        "hertil. Lad et svar føre hertil, eller slet det" in errors


def _links(html: str) -> dict[str, str]:
    """Link text -> href of the answers (and the start button) of a guide page."""
    return {unescape(re.sub(r"<[^>]+>", "", text)).strip(): href
            for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)}


@pytest.mark.parametrize("fixture", ["shipped", "second"])
def test_every_path_can_be_followed_by_links(fixture, request):
    built = request.getfixturevalue(fixture)
    site = checked_site(ROOT if fixture == "shipped" else FIXTURES / "second")
    walked = set()
    for std in site.standards:
        if not std.guide:
            continue
        start = f"/{std.id}/maalgruppe/"
        for path in guide_paths(std.guide):
            url = posixpath.normpath(posixpath.join(start, _links(read(built, start))[
                "Start guiden"])) + "/"
            for step in path.steps:
                html = read(built, url)
                answers = html.split('class="kv-answers"')[1].split("</div>")[0]
                url = posixpath.normpath(posixpath.join(url, _links(answers)[step.answer])) + "/"
            html = read(built, url)
            assert url == f"/{std.id}/maalgruppe/{path.outcome}/"
            assert std.guide.outcomes[path.outcome].title in article_text(html)
            assert "Det er ikke en afgørelse." in article_text(html)
            walked.add(path.outcome)
        assert walked >= set(std.guide.outcomes)


def test_an_outcome_that_promises_eligibility_is_refused(content):
    edit(content / GUIDE, "    title: Du er måske i målgruppen – brug de åbne tilbud\n",
         "    title: Du er i målgruppen – brug de åbne tilbud\n")
    errors = load_errors(content)
    assert len(errors) == 1
    assert 'siger "Du er i målgruppen". Guiden er hjælp, aldrig en afgørelse' in errors[0]


def test_no_outcome_says_you_are_eligible():
    guide = checked_site(ROOT).standard("aktivitets-og-samvaerstilbud").guide
    for outcome in guide.outcomes.values():
        text = f"{outcome.title} {outcome.body}".lower()
        assert "du er i målgruppen" not in text and "berettiget" not in text


def test_question_pages_have_back_and_restart_links(shipped):
    html = read(shipped, "/aktivitets-og-samvaerstilbud/maalgruppe/funktionsevne/")
    assert '<a class="kv-back" href="../handlekommune/">Tilbage</a>' in html
    assert '<a class="kv-restart" href="../">Start forfra</a>' in html
    first = read(shipped, "/aktivitets-og-samvaerstilbud/maalgruppe/voksen/")
    assert '<a class="kv-back" href="../">Tilbage</a>' in first
    second = read(shipped, "/aktivitets-og-samvaerstilbud/maalgruppe/handlekommune/")
    assert '<a class="kv-back" href="../voksen/">Tilbage</a>' in second
    assert "handlekommune" in article_text(second).lower()  # the hint explains the word
    several = read(shipped, "/aktivitets-og-samvaerstilbud/maalgruppe/tal-med-sagsbehandler/")
    assert "kv-back" not in article(several)  # reached from several questions: no back link


def test_guide_pages_stay_out_of_nav_and_search(shipped):
    locations = searched(shipped)
    assert "/aktivitets-og-samvaerstilbud/maalgruppe/" in locations
    assert not any(loc.startswith("/aktivitets-og-samvaerstilbud/maalgruppe/") and
                   loc != "/aktivitets-og-samvaerstilbud/maalgruppe/" for loc in locations)
    front = read(shipped, "/")
    assert 'href="aktivitets-og-samvaerstilbud/maalgruppe/"' in front
    nav = front.split('class="md-nav md-nav--primary"')[1].split("md-sidebar--secondary")[0]
    assert "maalgruppe/handlekommune" not in nav and "Er jeg i målgruppen?" in nav


def test_standard_offers_the_guide_at_its_section(shipped):
    html = read(shipped, "/aktivitets-og-samvaerstilbud/")
    section = html.split('<h2 class="kv-section" id="maalgruppe">')[1].split("<h2 ")[0]
    assert 'href="maalgruppe/"' in section


def test_overview_lists_every_node_and_path(shipped):
    guide = checked_site(ROOT).standard("aktivitets-og-samvaerstilbud").guide
    html = read(shipped, "/aktivitets-og-samvaerstilbud/maalgruppe-oversigt/")
    for node in [*guide.questions, *guide.outcomes]:
        assert f'id="{node}"' in html
    assert html.count("<li>") >= len(guide_paths(guide))


def test_second_municipality_has_its_own_guide(second):
    html = read(second, "/ledsagerordning/maalgruppe/alder/")
    assert "Er du mellem 18 og 67 år?" in article_text(html)
    outcome = article_text(read(second, "/ledsagerordning/maalgruppe/maaske/"))
    assert "Mødestedet" in outcome and "Ledsagerkorpset" in outcome
