"""Editors' Markdown: refused HTML and link schemes, plain text escaped for Markdown."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

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


@pytest.mark.parametrize("text", [
    '[Læs mere](https://www.kommune.dk/){: onclick="alert(1)"}',
    'Et afsnit.\n{: onmouseover="alert(1)" style="position:fixed;inset:0"}',
    '[x](https://x.dk){: href="javascript:alert(1)"}',
    '## Overskrift {: onclick="alert(1)"}',
    "*fed*{.md-dialog}", "**fed**{#formaal}", "`kode`{: onclick=x}", "- punkt {#id}",
    "| a {: onclick=x} |\n|---|\n| b |", "Linje  \n{onclick}", "Tekst { onclick=x }",
    "<https://x.dk>{: onclick=x}",
])
def test_attribute_lists_are_refused(text):
    found = mdtext.problems(text)
    assert any("krøllede parenteser" in p for p in found), text
    assert mdtext.first_problem(text) == text.index("{")


@pytest.mark.parametrize("text", ["Skriv \\{navn\\} her", "Kode: `{: x}`", "```\n{#id}\n```",
                                  "En { alene", "Tom {} parentes"])
def test_escaped_braces_and_code_are_fine(text):
    assert mdtext.problems(text) == []


@pytest.mark.parametrize("text", ["![x](https://tracker.example/x.png)",
                                  "Se ![logo][l]\n\n[l]: https://t.example/l.png",
                                  "Se ![l]\n\n[l]: https://t.example/l.png",
                                  "![](/x.png)", "![x] (https://t.example/x.png)"])
def test_images_are_refused(text):
    found = mdtext.problems(text)
    assert len(found) == 1 and "billede" in found[0], found


def test_an_attribute_list_reaches_no_page_when_the_gate_is_passed_by():
    """What the gate refuses, the page extension's guard removes anyway."""
    from kvalitet.site.markup import NAME

    html = markdown.markdown('[x](https://x.dk){: onclick="alert(1)" style="color:red"}\n\n'
                             '![t](https://t.example/x.png)\n\nTekst\n{: onmouseover="x"}',
                             extensions=["attr_list", NAME])
    assert "onclick" not in html and "onmouseover" not in html and "style" not in html
    assert "<img" not in html and "t.example" not in html


class _Live(HTMLParser):
    """Attributes and elements that run script, style the page or load something."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "script", "iframe", "object", "embed", "svg", "style", "link"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(name)
            if name in ("href", "src") and re.match(r"\s*(javascript|data|vbscript):",
                                                    value or "", re.I):
                self.found.append(f"{name}={value}")


def _live(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("text", [
    '&#123;: onclick="x"&#125;', '[x](https://a.dk/"onmouseover="x)',
    '[x](https://a.dk "t" onclick="x")', "!!! note onclick\n    tekst",
    "Term\n: def {: onclick=x}", "[x]: javascript:alert(1)\n\n[y][x]",
    '<https://x.dk/"onclick="x>', "[a](\\javascript:x)", "[a](java&#x09;script:x)",
    "[a](&#x6A;avascript:x)", "[x](https://a.dk){:\tonclick=x}", "`x`{\u200b: onclick=x}",
    "*a*\n{: onclick=x}", "# h {onclick=x}", "[x](<javascript:x>)", "<a@b.c>",
    '[x](mailto:a@b.c?subject="x"onclick=y)', "| a |\n|---|\n| b {: onclick=x} |",
    "- a\n\n    {: onclick=x}", "> q\n> {: onclick=x}", "x  \n{: onclick=x}",
    '[x](tel:1"onclick="y)', "\\{: onclick=x}", "{\\: onclick=x}", "\\\\{: onclick=x}",
    'text ![x](/a.png "t")', "<!-- {: onclick=x} -->", "<div markdown>{: onclick=x}</div>",
])
def test_hostile_markdown_is_refused_or_harmless_and_never_live_behind_the_guard(text):
    """A catalogue of ways in, beyond the issue's own: what the gate lets through renders to
    nothing live even without the guard, and with the guard nothing is live at all."""
    from kvalitet.site.markup import NAME

    extensions = ["attr_list", "md_in_html", "def_list", "admonition", "tables", "toc", NAME]
    bare = markdown.Markdown(extensions=extensions)
    bare.postprocessors.deregister("kvalitet_guard")
    if not mdtext.problems(text):
        assert _live(bare.convert(text)) == [], text
    assert _live(markdown.Markdown(extensions=extensions).convert(text)) == [], text


def test_web_addresses_written_as_text_are_found_and_links_are_not():
    text = ("Se www.randers.dk og https://x.dk/a. Også [www.y.dk](https://www.y.dk), "
            "<https://z.dk>, [se www.q.dk her](https://q.dk) og `www.kode.dk`.\n\n"
            "[ref]: https://r.dk")
    assert mdtext.bare_urls(text) == [(3, "www.randers.dk"), (21, "https://x.dk/a")]
    assert [kind for _, kind, _ in mdtext.silent_failures(text)] == ["bare-url", "bare-url"]


def test_invisible_characters_are_found_named_and_removed():
    text = "funktions\u00adnedsættelse og\u200b mere\u2066"
    assert [name for _, name in mdtext.find_invisible(text)] == [
        "blød bindestreg", "mellemrum uden bredde", "usynligt retningstegn"]
    assert mdtext.strip_invisible(text) == "funktionsnedsættelse og mere"


def test_headings_get_ids_made_like_every_other_id():
    text = "Tekst\n\n### Formål ###\n\n```\n# kode\n```\n\n## Ældre & pårørende\nx"
    found = mdtext.headings(text)
    assert [(h.level, h.title) for h in found] == [(3, "Formål"), (2, "Ældre & pårørende")]
    assert [mdtext.heading_id(h.title) for h in found] == ["formaal", "aeldre-og-paaroerende"]
    out = mdtext.with_heading_ids(text, ["formaal-2", "aeldre-og-paaroerende"])
    assert "### Formål {#formaal-2}\n" in out
    assert "## Ældre & pårørende {#aeldre-og-paaroerende}" in out
    assert "# kode" in out and mdtext.heading_id("?!") == "afsnit"
