"""The Python-Markdown extension on every page: glossary links, permalink labels, tables that
scroll in their own labelled region, and the guard on what a page's Markdown may become.

It is named in ``markdown_extensions`` (``kvalitet.site.markup``) with the glossary as plain
data, so MkDocs with the hook, and the plain export under MkDocs, ProperDocs or Zensical, all
load the same code. Python-Markdown is not told which page it renders: each page's Markdown
begins with a marker line (``page_marker``) that says the page's address and whether its terms
are linked; the extension reads and removes it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from kvalitet import urls
from kvalitet.site.termlinks import TermLinker

NAME = "kvalitet.site.markup"
_MARKER = re.compile(r"^<!-- kvalitet-page: (\S+)( glossary)? -->$")
_LINKERS: dict[int, tuple[list, TermLinker]] = {}  # one per glossary list (per build)


def page_marker(url: str, link_terms: bool) -> str:
    """The first line of a page's Markdown for the extension (an HTML comment elsewhere)."""
    return f"<!-- kvalitet-page: {url}{' glossary' if link_terms else ''} -->"

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

# What a page's Markdown may become: exactly the elements and attributes that the engine's
# templates and Python-Markdown (with the extensions in mkdocs.yml) make of checked content.
# Editors' text is checked before it is rendered (mdtext: no HTML, no attribute lists, no images,
# safe link schemes); this allowlist is the guarantee behind that gate, so that a new extension or
# a syntax the gate missed can never put an event handler, a style, a script URL or a resource from
# another host on a page. tests/test_safety.py proves that it removes nothing the engine makes.
ALLOWED_TAGS = HEADINGS | {
    "a", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "hr", "ins", "li",
    "nav", "ol", "p", "pre", "section", "span", "strong", "table", "tbody", "td", "th", "thead",
    "tr", "ul", "wbr"}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id"},
    "a": {"href", "title", "aria-label"},
    # data-kv-words: the words the search finds a section by without showing them (searchwords)
    "div": {"role", "tabindex", "aria-label", "aria-hidden", "data-kv-print", "data-kv-words"},
    "nav": {"aria-label", "aria-labelledby"},
    "ol": {"start"},
    "section": {"aria-labelledby"},
    "span": {"data-kv-href", "data-kv-complete"},
    "th": {"scope"},
}
ALLOWED_PREFIXES = {"data-pagefind-"}  # Pagefind's indexing hints (weights, filters, meta)
SAFE_SCHEMES = {"https", "http", "mailto", "tel"}  # and relative addresses (the site's pages)


def guard(html: str) -> str:
    """``html`` with everything outside the allowlist removed (nh3, the Python binding of the
    Rust sanitizer ammonia: a parser of the whole HTML5 grammar, not a pattern)."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     generic_attribute_prefixes=ALLOWED_PREFIXES, url_schemes=SAFE_SCHEMES,
                     link_rel=None, strip_comments=True)


def heading_text(heading: etree.Element) -> str:
    """A heading's own text, without the toc extension's permalink sign."""
    parts = [heading.text or ""]
    for child in heading:
        if "headerlink" not in (child.get("class") or "").split():
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts).strip()


class _PageMarker(Preprocessor):
    def __init__(self, md: Markdown, extension: PageMarkup):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        found = _MARKER.match(lines[0]) if lines else None
        if found:
            self.extension.page = found.group(1)
            self.extension.link_terms = bool(found.group(2))
            return lines[1:]
        return lines


class _TermLinks(Treeprocessor):
    def __init__(self, md: Markdown, extension: PageMarkup):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        ext = self.extension
        linker = ext.linker()
        if linker is not None and ext.link_terms and ext.page:
            page, glossary = ext.page, ext.getConfig("glossary")
            linker.link_tree(root, lambda term: urls.relative(page, f"{glossary}#{term}"))


class _PermalinkLabels(Treeprocessor):
    """The toc extension's permalink reads "¶" to a screen reader; name it after its heading."""

    def run(self, root: etree.Element) -> None:
        for heading in (e for e in root.iter() if e.tag in HEADINGS):
            for link in heading.iter("a"):
                if "headerlink" in (link.get("class") or "").split():
                    link.set("aria-label", f"Link til afsnittet: {heading_text(heading)}")


class _TableRegions(Treeprocessor):
    """A wide table scrolls by itself, not the page (WCAG 1.4.10 at 320 px): each table goes in a
    focusable region named after the heading above it, and its header cells get a scope. A
    column's alignment (":---:" in the Markdown) becomes a class, not a style attribute."""

    def run(self, root: etree.Element) -> None:
        self._walk(root, [""])

    def _walk(self, parent: etree.Element, heading: list[str]) -> None:
        """Depth first, in reading order; ``heading`` holds the last heading passed."""
        for child in list(parent):
            if child.tag in HEADINGS:
                heading[0] = heading_text(child)
            elif child.tag == "table" and "kv-linklist" not in (parent.get("class") or ""):
                for cell in child.iter("th"):
                    cell.set("scope", "col")
                for cell in (c for c in child.iter() if c.tag in ("th", "td")):
                    align = _ALIGN.match(cell.attrib.pop("style", ""))
                    if align:
                        cell.set("class", f"kv-align-{align.group(1)}")
                label = f"Tabel: {heading[0]}" if heading[0] else "Tabel"
                region = etree.Element("div", {"class": "kv-table", "role": "region",
                                               "tabindex": "0", "aria-label": label})
                index = list(parent).index(child)
                parent.remove(child)
                region.append(child)
                parent.insert(index, region)
            else:
                self._walk(child, heading)


_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


class _Guard(Postprocessor):
    """The allowlist (``guard``), on the page's HTML after raw HTML is put back."""

    def run(self, text: str) -> str:
        return guard(text)


class PageMarkup(Extension):
    """``terms``: the glossary (``termlinks.term_entries``); ``glossary``: the glossary page's
    address. The page comes from the marker line."""

    def __init__(self, **kwargs):
        self.config = {"terms": [[], "the glossary: id, forms and tip of every term"],
                       "glossary": [urls.glossary(), "the glossary page's site path"]}
        super().__init__(**kwargs)
        self.page: str | None = None
        self.link_terms = False

    def linker(self) -> TermLinker | None:
        terms = self.getConfig("terms")
        if not terms:
            return None
        cached = _LINKERS.get(id(terms))
        if cached is None or cached[0] is not terms:
            cached = (terms, TermLinker(terms))
            _LINKERS.clear()  # one build's glossary at a time
            _LINKERS[id(terms)] = cached
        return cached[1]

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(_PageMarker(md, self), "kvalitet_page", 29)
        # After inline parsing (20), attr_list (8) and toc's permalinks (5); before MkDocs'
        # link rewriting (0), which then checks each glossary link and its anchor.
        md.treeprocessors.register(_PermalinkLabels(md), "kvalitet_permalinks", 4)
        md.treeprocessors.register(_TermLinks(md, self), "kvalitet_termlinks", 3)
        md.treeprocessors.register(_TableRegions(md), "kvalitet_tables", 2)
        # Last of all, after raw HTML (30) and "&" (20) are put back.
        md.postprocessors.register(_Guard(md), "kvalitet_guard", 1)


def makeExtension(**kwargs) -> PageMarkup:  # noqa: N802 - Python-Markdown's name
    return PageMarkup(**kwargs)
