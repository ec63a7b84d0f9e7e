"""The Python-Markdown extension added to every page: glossary links, permalink labels and
tables that scroll in their own labelled region."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from kvalitet.site.termlinks import TermLinker

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def heading_text(heading: etree.Element) -> str:
    """A heading's own text, without the toc extension's permalink sign."""
    parts = [heading.text or ""]
    for child in heading:
        if "headerlink" not in (child.get("class") or "").split():
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts).strip()


class _TermLinks(Treeprocessor):
    def __init__(self, md: Markdown, extension: PageMarkup):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        ext = self.extension
        if ext.linker is not None and ext.term_href is not None:
            ext.linker.link_tree(root, ext.term_href)


class _PermalinkLabels(Treeprocessor):
    """The toc extension's permalink reads "¶" to a screen reader; name it after its heading."""

    def run(self, root: etree.Element) -> None:
        for heading in (e for e in root.iter() if e.tag in HEADINGS):
            for link in heading.iter("a"):
                if "headerlink" in (link.get("class") or "").split():
                    link.set("aria-label", f"Link til afsnittet: {heading_text(heading)}")


class _TableRegions(Treeprocessor):
    """A wide table scrolls by itself, not the page (WCAG 1.4.10 at 320 px): each table goes in a
    focusable region named after the heading above it, and its header cells get a scope."""

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
                label = f"Tabel: {heading[0]}" if heading[0] else "Tabel"
                region = etree.Element("div", {"class": "kv-table", "role": "region",
                                               "tabindex": "0", "aria-label": label})
                index = list(parent).index(child)
                parent.remove(child)
                region.append(child)
                parent.insert(index, region)
            else:
                self._walk(child, heading)


class PageMarkup(Extension):
    """Set ``linker`` once per build and ``term_href`` per page (None: no glossary links)."""

    def __init__(self, linker: TermLinker | None = None):
        super().__init__()
        self.linker = linker
        self.term_href: Callable[[str], str] | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After inline parsing (20), attr_list (8) and toc's permalinks (5); before MkDocs'
        # link rewriting (0), which then checks each glossary link and its anchor.
        md.treeprocessors.register(_PermalinkLabels(md), "kvalitet_permalinks", 4)
        md.treeprocessors.register(_TableRegions(md), "kvalitet_tables", 2)
        md.treeprocessors.register(_TermLinks(md, self), "kvalitet_termlinks", 3)
