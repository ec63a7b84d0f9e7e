"""Glossary links in running text: edge cases on Markdown, and the built pages."""

from __future__ import annotations

import re

import markdown

from kvalitet.build import checked_site
from kvalitet.content.model import Term
from kvalitet.site.markup import PageMarkup, page_marker
from kvalitet.site.termlinks import TermLinker, term_entries
from tests.helpers import FIXTURES, ROOT, article, read

TERMS = [
    Term(id="skoen", term="Skøn", forms=["skøn", "skønnet"],
         definition="Skøn er det samme som vurdering. Mere tekst."),
    Term(id="indsats", term="Indsats", forms=["indsats", "indsatsen"], definition="En hjælp."),
    Term(id="helhed", term="Helhedsorienteret indsats", forms=["helhedsorienterede indsats"],
         definition="En samlet indsats."),
    Term(id="aeldre", term="Ældre", forms=["ældre", "ældres"], definition="Gamle."),
    Term(id="oe", term="Ø", forms=["ø"], definition="Land i vand."),
]


def html(text: str) -> str:
    ext = PageMarkup(terms=term_entries(TERMS))
    return markdown.markdown(f"{page_marker('/side/', True)}\n{text}",
                             extensions=["attr_list", ext])


def linked(text: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="kv-term" href="\.\./ordforklaring/index\.md#([^"]+)"[^>]*>'
                      r'([^<]+)</a>', html(text))


def test_first_occurrence_only_with_tooltip():
    out = html("Et skøn. Endnu et skøn og skønnet.")
    assert out.count('class="kv-term"') == 1
    assert 'title="Skøn: Skøn er det samme som vurdering."' in out


def test_inflected_forms_and_case():
    assert linked("SKØNNET er vigtigt.") == [("skoen", "SKØNNET")]


def test_not_in_headings_links_or_code():
    text = ("## Skøn i overskrift\n\n[et skøn](https://x.dk) og `skøn` og\n\n    skøn i kode\n\n"
            "Her er et skøn.")
    out = html(text)
    assert linked(text) == [("skoen", "skøn")]
    assert out.index('class="kv-term"') > out.index("Her er")


def test_whole_words_at_danish_letters():
    assert linked("skønsmæssig, uskøn og skønå") == []
    assert linked("de ældres liv") == [("aeldre", "ældres")]
    assert linked("æø og ø.") == [("oe", "ø")]
    assert linked("Borgerø og øen") == []


def test_longer_term_wins_over_the_term_inside_it():
    assert linked("Den helhedsorienterede indsats og en indsats.") == [
        ("helhed", "helhedsorienterede indsats"), ("indsats", "indsats")]


def test_term_across_a_line_break_and_inside_emphasis():
    assert linked("den helhedsorienterede\nindsats") == [("helhed", "helhedsorienterede\nindsats")]
    assert linked("**et skøn** her") == [("skoen", "skøn")]


def test_each_term_once_across_paragraphs_and_lists():
    text = "Et skøn.\n\n- et skøn\n- en indsats\n\nEn indsats og de ældre."
    assert linked(text) == [("skoen", "skøn"), ("indsats", "indsats"), ("aeldre", "ældre")]


def test_shipped_standard_links_at_least_eight_terms_once_each(shipped):
    page = read(shipped, "/aktivitets-og-samvaerstilbud/")
    found = re.findall(r'class="kv-term" href="../ordforklaring/#([a-z0-9-]+)"', page)
    assert len(found) == len(set(found)) >= 8, found
    ids = {t.id for t in checked_site(ROOT).glossary.terms}
    assert set(found) <= ids
    headings = re.findall(r"<h[1-6][^>]*>.*?</h[1-6]>", page, re.S)
    assert not any("kv-term" in h for h in headings)


def test_glossary_page_links_no_terms(shipped):
    assert "kv-term" not in article(read(shipped, "/ordforklaring/"))


def test_second_municipality_links_its_own_terms(second):
    page = read(second, "/ledsagerordning/")
    found = re.findall(r'class="kv-term" href="../ordforklaring/#([a-z0-9-]+)"', page)
    assert "ledsager" in found
    assert {t.id for t in checked_site(FIXTURES / "second").glossary.terms} >= set(found)


def test_several_links_between_inline_elements_keep_the_text_in_order():
    text = "Et skøn *her* en indsats og de ældre *igen* på en ø."
    assert linked(text) == [("skoen", "skøn"), ("indsats", "indsats"), ("aeldre", "ældre"),
                            ("oe", "ø")]
    assert re.sub(r"<[^>]+>", "", html(text)) == "Et skøn her en indsats og de ældre igen på en ø."


def test_forms_of_several_words_allow_hyphens_and_line_breaks_but_not_other_words():
    linker = TermLinker(term_entries([Term(id="a", term="Aktivitets- og samværstilbud",
                                           definition="x.")]))
    assert [m[2] for m in linker.matches("et aktivitets-  og samværstilbud")] == ["a"]
    assert list(linker.matches("aktivitets og andre samværstilbud")) == []
