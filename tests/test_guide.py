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


def _add_offers(offers_file: Path, count: int, areas: str, prefix: str = "ekstra") -> None:
    """Append ``count`` open offers (in ``areas``, a YAML flow list, or for everyone when
    empty) to an offers.yaml."""
    text = offers_file.read_text("utf-8").rstrip("\n") + "\n"
    for i in range(count):
        text += (f"  - id: {prefix}-{i}\n    name: Ekstra {i}\n    kind: Værested\n"
                 + (f"    areas: {areas}\n" if areas else "") + "    referral: false\n")
    offers_file.write_text(text, "utf-8")


def _markdown(root: Path, url: str) -> str:
    from kvalitet.build import build_site

    built = build_site(root)
    return next(m for p, m in zip(built.pages, built.markdown, strict=True) if p.url == url)


def test_a_long_list_of_offers_is_cut_and_links_the_directory(tmp_path):
    """An outcome lists at most SHOWN_OFFERS offers, says how many match, and links the
    sections of /tilbud/ that list them all (divided by area: the area and the offers for
    every area); the overview says the same. No new address."""
    from kvalitet.site.guide_pages import SHOWN_OFFERS

    root = copy_content(tmp_path / "c", FIXTURES / "second")
    _add_offers(root / "offers.yaml", 11, "[handicap]")
    _add_offers(root / "offers.yaml", 1, "", "alle")
    outcome = _markdown(root, "/ledsagerordning/maalgruppe/maaske/")
    listed = outcome.split('<div class="kv-offer-list" markdown>')[1].split("</div>")[0]
    assert listed.count("{ .kv-card-title }") == SHOWN_OFFERS
    assert ("Her er 10 af de 14 tilbud, der kan passe til dig. Se dem alle på siden Tilbud under "
            "[Handicap](../../../tilbud/index.md#handicap) og "
            "[Andre tilbud](../../../tilbud/index.md#kv_andre).") in outcome
    overview = _markdown(root, "/ledsagerordning/maalgruppe-oversigt/")
    assert "Resultatet viser de første 10 af 14 tilbud, der passer." in overview
    from kvalitet.site.pages import site_pages, targets

    site = checked_site(root)
    before = checked_site(FIXTURES / "second")
    assert {p.url for p in site_pages(site)} == {p.url for p in site_pages(before)} | {
        f"/tilbud/ekstra-{i}/" for i in range(11)} | {"/tilbud/alle-0/"}
    assert {"handicap", "kv_andre"} <= targets(site)["/tilbud/"]


def test_the_shipped_guide_lists_every_match_and_grouped_offers_link_the_directory(tmp_path):
    """The shipped outcomes match at most 9 offers: all are listed (the golden pages hold).
    With more, a directory divided by groups is linked as a whole."""
    shipped = _markdown(ROOT, "/aktivitets-og-samvaerstilbud/maalgruppe/omraade-ved-ikke/")
    assert shipped.count("{ .kv-card-title }") == 9 and "Her er" not in shipped
    root = copy_content(tmp_path / "c")
    _add_offers(root / "offers.yaml", 3, "")
    outcome = _markdown(root, "/aktivitets-og-samvaerstilbud/maalgruppe/omraade-ved-ikke/")
    assert ("Her er 10 af de 12 tilbud, der kan passe til dig. Se dem alle på "
            "[siden Tilbud](../../../tilbud/index.md).") in outcome
