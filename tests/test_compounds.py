"""Compound words split into the parts the search finds them by (kvalitet.site.compounds)."""

from __future__ import annotations

import pytest

from kvalitet.site.compounds import Splitter


@pytest.fixture(scope="module")
def splitter():
    # The site's own words count as words: "senhjerneskade" is not in the dictionary.
    return Splitter(["senhjerneskade og senhjerneskadeområdet"])


@pytest.mark.parametrize("word, tails", [
    ("folkepensionister", ["pensionister"]),
    ("folkepensionist", ["pensionist"]),
    ("senhjerneskade", ["hjerneskade"]),
    ("senhjerneskadeområdet", ["hjerneskadeområdet", "området"]),
    ("sagsbehandlingsfrist", ["behandlingsfrist", "frist"]),
    ("aktivitetstilbud", ["tilbud"]),        # a linking s on either side of the hyphen
    ("udsatteområdet", ["området"]),
    ("klagevejledning", ["vejledning"]),
])
def test_compounds_give_the_tails_a_query_for_a_part_begins(splitter, word, tails):
    assert splitter.tails(word) == tails


@pytest.mark.parametrize("word", [
    "tilbuddet",     # til-bud: a prefix, not a compound
    "forventer",     # for-venter
    "personlige",    # person|lige: a suffix, not a part
    "beskriver",     # besk|river
    "muligheder",    # mulig|heder: a suffix, not a word
    "visitation",
])
def test_words_that_are_no_compounds_stay_whole(splitter, word):
    assert splitter.tails(word) == []


def test_hidden_words_leave_out_what_the_text_says_already(splitter):
    words = splitter.hidden_words(["Særligt for folkepensionister og pensionister."])
    assert words == []
    assert splitter.hidden_words(["Når du bliver folkepensionist."]) == ["pensionist"]
