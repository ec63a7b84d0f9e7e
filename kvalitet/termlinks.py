"""Glossary links in running text: the first occurrence of a term on a page links to its entry.

It runs as a Python-Markdown tree processor (registered in ``markup``), so it works on the
parsed page, never on HTML text: it skips headings, existing links and code by their elements.
Whole words only, case-insensitive, at the right boundaries for æ, ø and å (Python's ``\\w`` is
Unicode-aware); longer forms win over shorter ones; each term is linked at most once per page.
The link's ``title`` carries the definition's first sentence, shown on hover and on keyboard
focus by mkdocs-material's tooltips.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from kvalitet.mdtext import first_sentence
from kvalitet.model import Term

SKIP_TAGS = {"a", "code", "pre", "kbd", "samp", "script", "style", "button", "label", "nav",
             "abbr", "h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_CLASSES = {"headerlink", "admonition-title", "kv-nolink"}


class TermLinker:
    """Finds term forms in text. Built once per build from the glossary (one compiled pattern)."""

    def __init__(self, terms: list[Term]):
        self.owner: dict[str, str] = {}
        for term in terms:
            for form in [term.term, *term.forms]:
                self.owner.setdefault(" ".join(form.lower().split()), term.id)
        # "Funktionsniveau: Det siger noget om …": the first sentence may lean on the headword.
        self.tips = {t.id: f"{t.term}: {first_sentence(t.definition)}" for t in terms}
        forms = sorted(self.owner, key=len, reverse=True)
        alternation = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms)
        self.pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I) if forms else None

    def term_of(self, found: str) -> str:
        return self.owner[" ".join(found.lower().split())]

    def link_tree(self, root: etree.Element, href: Callable[[str], str]) -> list[str]:
        """Link the first occurrence of each term under ``root``; return the linked term ids."""
        used: list[str] = []
        if self.pattern is not None:
            self._walk(root, href, used)
        return used

    def _walk(self, element: etree.Element, href, used: list[str]) -> None:
        if element.tag in SKIP_TAGS or set((element.get("class") or "").split()) & SKIP_CLASSES:
            return
        links = self._split(element.text, href, used)
        if links:
            element.text = links[0]
            for i, link in enumerate(links[1:]):
                element.insert(i, link)
        for child in list(element):
            if isinstance(child.tag, str):
                self._walk(child, href, used)
            links = self._split(child.tail, href, used)
            if links:
                child.tail = links[0]
                position = list(element).index(child)
                for i, link in enumerate(links[1:], start=1):
                    element.insert(position + i, link)

    def _split(self, text: str | None, href, used: list[str]) -> list | None:
        """``[text_before, <a>, <a>, ...]`` with each link's tail set, or None if nothing links."""
        if not text:
            return None
        parts: list = [""]
        pos = 0
        for m in self.pattern.finditer(text):
            term = self.term_of(m.group(0))
            if term in used:
                continue
            used.append(term)
            link = etree.Element("a", {"href": href(term), "class": "kv-term"})
            if self.tips.get(term):
                link.set("title", self.tips[term])
            link.text = m.group(0)
            link.tail = ""
            if len(parts) == 1:
                parts[0] = text[pos:m.start()]
            else:
                parts[-1].tail = text[pos:m.start()]
            parts.append(link)
            pos = m.end()
        if len(parts) == 1:
            return None
        parts[-1].tail = text[pos:]
        return parts
