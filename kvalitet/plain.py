"""Plain-language measures: words, sentences and LIX (Björnsson 1968) for Danish text.

LIX = words / sentences + 100 * long words / words, a long word having more than six letters.
Danish abbreviations such as "fx", "f.eks.", "jf." and "bl.a." do not end a sentence (the regex in
``textstat.lix`` breaks on them and inflates the sentence count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

ABBREVIATIONS = {
    "fx", "f.eks", "jf", "bl.a", "mv", "m.v", "evt", "ca", "dvs", "osv", "pga", "p.g.a", "mm",
    "m.m", "stk", "nr", "kl", "inkl", "ift", "iflg", "vedr", "ang", "hhv", "bl", "f", "m", "el",
    "o.l", "ol", "mht", "m.h.t", "tlf", "s", "a", "sel", "jf.sel",
}
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_END = re.compile(r"([.!?])(?=\s+|$)")
_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)")
_MARKUP = re.compile(r"(^\s{0,3}#{1,6}\s*|\*\*|__|[*_`]|^\s*>\s?|\{#[^}]*\})", re.M)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M)


@dataclass(frozen=True)
class Readability:
    """Figures for one text."""

    words: int
    sentences: int
    long_words: int
    lix: float
    longest_sentence: int


def plain_text(markdown_text: str) -> str:
    """Markdown to plain text, good enough for measuring and for tooltips."""
    text = _LINK.sub(r"\1", markdown_text)
    text = _LIST_ITEM.sub("\n", text)  # a list item is a sentence of its own, as a paragraph is
    text = _MARKUP.sub("", text)
    return text.replace("&amp;", "&").replace("&lt;", "<")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Split plain text into sentences. Paragraphs and list items end a sentence too."""
    found = []
    for block in re.split(r"\n\s*\n", text):
        block = " ".join(block.split())
        start = 0
        for m in _END.finditer(block):
            before = block[start:m.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            following = block[m.end():].lstrip()[:1]
            if m.group(1) == "." and (last in ABBREVIATIONS
                                      or last.isdigit() and not following.isupper()):
                continue  # "fx." and "stk. 2 og" do not end a sentence
            piece = block[start:m.end()].strip()
            if words(piece):
                found.append(piece)
            start = m.end()
        rest = block[start:].strip()
        if words(rest):
            found.append(rest)
    return found


def genitive(name: str) -> str:
    """Danish genitive: "Eksempel Kommune" -> "Eksempel Kommunes", "Hans" -> "Hans'"."""
    return name + ("'" if name[-1:].lower() in "sxz" else "s")


@cache  # the same descriptions are summarised on many pages (offer lists in guide outcomes)
def first_sentence(markdown_text: str) -> str:
    """The first sentence of a Markdown text, as plain text (for tooltips and descriptions)."""
    found = sentences(plain_text(markdown_text))
    return found[0] if found else ""


def join_list(items: list[str], word: str = "og") -> str:
    """["a", "b", "c"] -> "a, b og c" (Danish lists have no comma before "og"/"eller")."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def readability(markdown_text: str) -> Readability:
    """LIX and sentence lengths of a Markdown text."""
    text = plain_text(markdown_text)
    all_words = words(text)
    split = sentences(text)
    n_words, n_sentences = len(all_words), max(len(split), 1)
    long_words = sum(1 for w in all_words if len(w.replace("-", "")) > 6)
    lix = n_words / n_sentences + (100 * long_words / n_words if n_words else 0)
    longest = max((len(words(s)) for s in split), default=0)
    return Readability(n_words, len(split), long_words, round(lix, 1), longest)
