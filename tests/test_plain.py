"""Plain-language measures (LIX), Danish sort order, and the editors' report."""

from __future__ import annotations

import pytest

from kvalitet.build import checked_site
from kvalitet.content.model import Term
from kvalitet.outputs.report import figures, report, summary_advice
from kvalitet.plain import readability, sentences
from kvalitet.site.glossary import by_letter, danish_key, sorted_terms
from tests.helpers import ROOT, copy_content


def test_lix_worked_example():
    # Sentence 1: 12 words, none longer than six letters ("fælles", "opgave", "støtte" have six).
    # Sentence 2: 4 words, all long. LIX = 16 / 2 + 100 * 4 / 16 = 8 + 25 = 33.
    text = ("Det er en fælles opgave at finde den rette støtte til dig. "
            "Kvalitetsstandarden beskriver kommunens serviceniveau.")
    r = readability(text)
    assert (r.words, r.sentences, r.long_words, r.lix, r.longest_sentence) == (16, 2, 4, 33.0, 12)


def test_danish_abbreviations_do_not_end_sentences():
    text = ("Det kan f.eks. dreje sig om påklædning, jf. loven, bl.a. mad, fx udflugter mv. og "
            "evt. mere. Det fremgår af § 11, stk. 2. Næste sætning kommer her!")
    assert sentences(text) == [
        "Det kan f.eks. dreje sig om påklædning, jf. loven, bl.a. mad, fx udflugter mv. og "
        "evt. mere.", "Det fremgår af § 11, stk. 2.", "Næste sætning kommer her!"]


def test_list_items_and_paragraphs_end_sentences_and_markdown_is_ignored():
    r = readability("Du skal:\n\n- have **betydelig** nedsat funktionsevne\n- have [behov](/x/)\n")
    assert r.sentences == 3 and r.words == 8


def term(name: str) -> Term:
    return Term(id="x", term=name, definition="d")


def test_danish_alphabetical_order():
    names = ["Åben tid", "Zone", "Ælling", "Aaben", "Øre", "ankestyrelse", "Yngre", "Bolig",
             "Ærø", "Åbne", "Funktionsnedsættelse", "Funktionsniveau", "Ødsel"]
    assert [t.term for t in sorted_terms([term(n) for n in names])] == [
        "ankestyrelse", "Bolig", "Funktionsnedsættelse", "Funktionsniveau", "Yngre", "Zone",
        "Ælling", "Ærø", "Ødsel", "Øre", "Aaben", "Åben tid", "Åbne"]
    letters = [letter for letter, _ in by_letter([term(n) for n in names])]
    assert letters == ["A", "B", "F", "Y", "Z", "Æ", "Ø", "Å"]
    assert danish_key("aa") == danish_key("å")


def test_report_figures_and_advice(tmp_path):
    content = copy_content(tmp_path / "c")
    std = content / "content/standards/aktivitets-og-samvaerstilbud/standard.yaml"
    text = std.read_text("utf-8")
    # Give one section a hard summary with a long sentence, and remove another's summary.
    long = " ".join(["Kvalitetsstandarden"] * 30) + "."
    start = text.index("summary:", text.index("  - id: svartid\n"))
    end = text.index("    body:", start)
    text = text[:start] + f"summary: {long}\n" + text[end:]
    std.write_text(text, "utf-8")
    site = checked_site(content)
    rows = {r.section_id: r for r in figures(site)}
    assert rows["svartid"].summary.lix == 130.0 and rows["svartid"].summary.longest_sentence == 30
    assert rows["svartid"].official.words == 20
    advice = [str(a) for a in summary_advice(list(rows.values()))]
    assert any('afsnittet "svartid": "Kort fortalt" har LIX 130 (over 40)' in a for a in advice)
    assert any('afsnittet "svartid": "Kort fortalt" har en sætning på 30 ord (over 25)' in a
               for a in advice)
    text = report(site)
    assert "svartid" in text and "Før offentliggørelse skal kommunen stadig levere:" in text
    assert "accessibility_statement" in text


@pytest.mark.parametrize("section",
                         [p.id for _, p in checked_site(ROOT).standards[0].standard.parts()])
def test_every_shipped_summary_is_plain(section):
    std = checked_site(ROOT).standards[0].standard
    summary = next(p for _, p in std.parts() if p.id == section).summary
    assert summary, f'afsnittet "{section}" mangler "Kort fortalt"'
    r = readability(summary)
    assert r.lix <= 40 and r.longest_sentence <= 25 and 2 <= r.sentences <= 4, r


def test_cli_report_exits_zero(capsys):
    from kvalitet.cli import main

    assert main(["--root", str(ROOT), "report"]) == 0
    out = capsys.readouterr().out
    assert "LIX tekst" in out and "hvordan-laeser-jeg" in out


