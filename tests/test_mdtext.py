"""Editors' Markdown: refused HTML and link schemes, plain text escaped for Markdown."""

from __future__ import annotations

import re
from html import unescape

import markdown
import pytest

from kvalitet import mdtext


@pytest.mark.parametrize("text", [
    "Hej <script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<iframe src='https://x'></iframe>",
    "<object data=x></object>",
    "<embed src=x>",
    "<style>body{}</style>",
    "tekst <b>fed</b>",
    "<!-- kommentar -->",
    "<div\nclass=x>",
])
def test_html_is_refused(text):
    found = mdtext.problems(text)
    assert len(found) == 1 and "indeholder HTML" in found[0] and "Brug Markdown" in found[0]


@pytest.mark.parametrize("text", [
    "Hvis 3 < 5 og Jensen & Co.",
    "a < b og c > d, 5<6",
    "Se <https://www.example.org> eller skriv til <navn@example.org>.",
    "Kode: `<script>` er ikke HTML her.",
    "```\n<div>\n```",
])
def test_lone_brackets_autolinks_and_code_are_fine(text):
    assert mdtext.problems(text) == []


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JavaScript:alert(1)",
                                    "data:text/html,x", "vbscript:x", "java\tscript:alert(1)",
                                    "file:///etc/passwd"])
def test_unsafe_link_schemes_are_refused(target):
    found = mdtext.problems(f"[klik]({target})")
    assert len(found) == 1 and "ikke er tilladt" in found[0]


@pytest.mark.parametrize("target", ["https://x.dk", "http://x.dk", "mailto:a@x.dk",
                                    "tel:+4512345678", "/tilbud/", "../tilbud/#a", "#maalgruppe"])
def test_safe_links_pass(target):
    assert mdtext.problems(f"[x]({target}) og [y]: {target}") == []


def test_find_and_rewrite_links():
    text = 'Se [a](/tilbud/ "titel"), ![b](<../x y.png>) og\n\n[ref]: /ordforklaring/#skoen\n'
    assert [link.target for link in mdtext.find_links(text)] == [
        "/tilbud/", "../x y.png", "/ordforklaring/#skoen"]
    assert mdtext.rewrite_links(text, str.upper) == (
        'Se [a](/TILBUD/ "titel"), ![b](<../X Y.PNG>) og\n\n[ref]: /ORDFORKLARING/#SKOEN\n')


@pytest.mark.parametrize("value", [
    "**ikke fed** [ikke link](javascript:x) <script>x</script> & # 1. _x_ {#id} `kode` \\",
    "Café & Co <3",
    "# Ikke en overskrift",
    "- ikke en liste",
])
def test_escaped_text_shows_as_written(value):
    html = markdown.markdown(f"Tekst: {mdtext.escape(value)}", extensions=["attr_list"])
    assert "<script" not in html and "<a " not in html and "<strong>" not in html
    assert unescape(re.sub(r"<[^>]+>", "", html)) == f"Tekst: {value}"


@pytest.mark.parametrize("text", ["[k](&#106;avascript:alert(1))", "[k]( javascript:alert(1) )",
                                  "[k](javascript&colon;alert(1))", "[x][r]\n\n[r]: javascript:x",
                                  "[k](<javascript:alert(1)>)", "<javascript:alert(1)>",
                                  '[k](javascript:alert(1) "titel")'])
def test_disguised_unsafe_links_are_refused(text):
    assert any("ikke er tilladt" in p for p in mdtext.problems(text)), text
