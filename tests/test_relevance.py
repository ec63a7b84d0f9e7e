"""The search answers citizens' and caseworkers' questions (tests/relevance.py), typed into the
site's own search box in Chromium and read from what the box shows; and the words it finds
sections by without showing them stay hidden: not on the page, not to screen readers, not in
the excerpts."""

from __future__ import annotations

import re

import pytest

from tests import relevance
from tests.relevance import STD

pytestmark = pytest.mark.browser


def test_the_right_page_and_section_come_first(shipped, serve, browser):
    outcomes = relevance.run(browser, serve(shipped))
    print(relevance.report(outcomes))
    assert len(outcomes) >= 30
    page_share, section_share = relevance.figures(outcomes)
    assert page_share >= 0.9, relevance.report(outcomes)
    assert section_share >= 0.8, relevance.report(outcomes)


HIDDEN = ["egenbetaling", "koster", "sagsbehandlingstid", "hjerneskadeområdet", "pensionister"]


def _excerpts(page) -> str:
    return " ".join(page.eval_on_selector_all(
        "[data-kv-results] .kv-search__excerpt", "ps => ps.map(p => p.textContent)"))


def test_hidden_words_are_found_but_never_shown(shipped, serve, browser):
    page = browser.new_page()
    base = serve(shipped)
    page.goto(base + STD)
    # Not on the page, not in the accessibility tree.
    text = page.inner_text("body").lower().split()
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    values = [str(n.get("name", {}).get("value", "")) for n in nodes] + [
        str(p.get("value", {}).get("value", "")) for n in nodes for p in n.get("properties", [])]
    tree = " ".join(values).lower()
    tree = set(re.findall(r"\w+", tree))
    assert "gratis" in tree and "senhjerneskadeområdet" in tree  # the tree holds the text
    for word in HIDDEN[:4]:
        assert word not in text and word not in tree, word
    assert "pensionister" not in text  # only "folkepensionister" is
    # A search word finds its section; the excerpt is the section's own text.
    pages, sections = relevance.ask(page, base, "egenbetaling")
    assert sections[STD][0] == f"{STD}#udgifter"
    shown = _excerpts(page).lower()
    assert "gratis" in shown and not any(w in shown.split() for w in HIDDEN)
    # A compound's part finds the compound; the excerpt marks the word the page shows.
    relevance.ask(page, base, "hjerneskade")
    marks = page.eval_on_selector_all("[data-kv-results] mark", "ms => ms.map(m => m.textContent)")
    assert "senhjerneskadeområdet" in [m.strip(".,").lower() for m in marks]
    assert not any(w in _excerpts(page).lower().split() for w in HIDDEN)
    page.close()


def test_a_common_word_alone_shows_no_section(shipped, serve, browser):
    """Sections are chosen by the rare words of the question: "hvad koster det" shows the
    section on costs, not every section with "hvad" or "det" in it."""
    page = browser.new_page()
    base = serve(shipped)
    page.goto(base + "/")
    pages, sections = relevance.ask(page, base, "hvad koster det")
    assert pages[0] == STD and sections[STD] == [f"{STD}#udgifter"]
    page.close()
