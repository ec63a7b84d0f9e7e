"""The Python-Markdown extension added to every page: glossary links and permalink labels."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from kvalitet.site.termlinks import TermLinker

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


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
                    text = "".join(heading.itertext()).replace(link.text or "", "").strip()
                    link.set("aria-label", f"Link til afsnittet: {text}")


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
        md.treeprocessors.register(_TermLinks(md, self), "kvalitet_termlinks", 3)
