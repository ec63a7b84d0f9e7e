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
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from kvalitet.plain import first_sentence

if TYPE_CHECKING:  # the extension runs in generators that know nothing of the models
    from kvalitet.content.model import Term

SKIP_TAGS = {"a", "code", "pre", "kbd", "samp", "script", "style", "button", "label", "nav",
             "abbr", "h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_CLASSES = {"headerlink", "admonition-title", "kv-nolink"}


_WORD = re.compile(r"\w+")
_GAP = re.compile(r"[-–]?\s+|[-–/]")  # between the words of a form of several words


def term_entries(terms: list[Term]) -> list[dict]:
    """The glossary as the Markdown extension takes it (plain data, so that a generator that
    only knows the extension's name, reading mkdocs.yml, can pass it on): each term's id, the
    forms that link to it, and its tooltip."""
    # "Funktionsniveau: Det siger noget om …": the first sentence may lean on the headword.
    return [{"id": t.id, "forms": [t.term, *t.forms],
             "tip": f"{t.term}: {first_sentence(t.definition)}"} for t in terms]


class TermLinker:
    """Finds term forms in text. Built once per build from the glossary (``term_entries``):
    forms are looked up word by word in a dict (one big regex of all forms was ten times slower
    on large sites)."""

    def __init__(self, terms: list[dict]):
        self.owner: dict[tuple[str, ...], str] = {}
        for term in terms:
            for form in term["forms"]:
                words = tuple(w.lower() for w in _WORD.findall(form))
                if words:
                    self.owner.setdefault(words, term["id"])
        self.longest = max((len(words) for words in self.owner), default=0)
        self.first_words = {words[0] for words in self.owner}
        self.tips = {t["id"]: t["tip"] for t in terms}

    def matches(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, term id) of each form in ``text``, left to right, the longest form
        first where several start at the same word."""
        words = list(_WORD.finditer(text))
        lowered = [w.group().lower() for w in words]
        i = 0
        while i < len(words):
            found = None
            if lowered[i] in self.first_words:
                for n in range(min(self.longest, len(words) - i), 0, -1):
                    term = self.owner.get(tuple(lowered[i:i + n]))
                    if term and all(_GAP.fullmatch(text[words[j].end():words[j + 1].start()])
                                    for j in range(i, i + n - 1)):
                        found = (words[i].start(), words[i + n - 1].end(), term)
                        i += n
                        break
            if found:
                yield found
            else:
                i += 1

    def link_tree(self, root: etree.Element, href: Callable[[str], str]) -> list[str]:
        """Link the first occurrence of each term under ``root``; return the linked term ids."""
        used: list[str] = []
        if self.owner:
            self._walk(root, href, used)
        return used

    def _walk(self, element: etree.Element, href, used: list[str]) -> None:
        if element.tag in SKIP_TAGS or set((element.get("class") or "").split()) & SKIP_CLASSES:
            return
        children = list(element)  # the original children, before any link is inserted
        links = self._split(element.text, href, used)
        if links:
            element.text = links[0]
            for i, link in enumerate(links[1:]):
                element.insert(i, link)
        position = len(links) - 1 if links else 0  # where the next original child stands now
        for child in children:
            if isinstance(child.tag, str):
                self._walk(child, href, used)
            links = self._split(child.tail, href, used)
            if links:
                child.tail = links[0]
                for i, link in enumerate(links[1:], start=1):
                    element.insert(position + i, link)
                position += len(links) - 1
            position += 1

    def _split(self, text: str | None, href, used: list[str]) -> list | None:
        """``[text_before, <a>, <a>, ...]`` with each link's tail set, or None if nothing links."""
        if not text:
            return None
        parts: list = [""]
        pos = 0
        for start, end, term in self.matches(text):
            if term in used:
                continue
            used.append(term)
            link = etree.Element("a", {"href": href(term), "class": "kv-term"})
            if self.tips.get(term):
                link.set("title", self.tips[term])
            link.text = text[start:end]
            link.tail = ""
            if len(parts) == 1:
                parts[0] = text[pos:start]
            else:
                parts[-1].tail = text[pos:start]
            parts.append(link)
            pos = end
        if len(parts) == 1:
            return None
        parts[-1].tail = text[pos:]
        return parts
