"""The glossary: Danish alphabetical order and the letters it is grouped by."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kvalitet import urls
from kvalitet.content.model import Term
from kvalitet.site.termlinks import TermLinker, term_entries

if TYPE_CHECKING:
    from kvalitet.content.load import Site

ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"
_FOLD = {"ä": "æ", "ö": "ø", "ü": "y", "é": "e", "è": "e", "á": "a", "à": "a", "ó": "o"}


def danish_key(text: str) -> tuple[int, ...]:
    """Sort key for Danish: ... x, y, z, æ, ø, å; "aa" sorts as "å"."""
    folded = "".join(_FOLD.get(c, c) for c in text.lower()).replace("aa", "å")
    return tuple(ALPHABET.index(c) + 10 if c in ALPHABET else (ord(c) % 10 if c.isdigit() else 0)
                 for c in folded if c.isalnum())


def initial(term: Term) -> str:
    """The letter a term is listed under (``Aa`` counts as ``Å``)."""
    folded = "".join(_FOLD.get(c, c) for c in term.term.lower()).replace("aa", "å")
    first = next((c for c in folded if c.isalnum()), "#")
    return first.upper() if first in ALPHABET else "#"


def sorted_terms(terms: list[Term]) -> list[Term]:
    return sorted(terms, key=lambda t: danish_key(t.term))


def by_letter(terms: list[Term]) -> list[tuple[str, list[Term]]]:
    """Terms grouped by initial, in Danish order."""
    groups: dict[str, list[Term]] = {}
    for term in sorted_terms(terms):
        groups.setdefault(initial(term), []).append(term)
    return list(groups.items())


def sections_about(site: Site) -> dict[str, list[dict[str, str]]]:
    """For each term, the sections and sub-sections of the standards in force whose heading
    names it (a form of the term, matched as glossary links are): the glossary entry links
    back to them ("Folkepensionist" to "Særligt vedr. folkepensionister")."""
    linker = TermLinker(term_entries(site.glossary.terms))
    found: dict[str, list[dict[str, str]]] = {}
    for std in site.standards:
        for _, part in std.standard.parts():
            for term in dict.fromkeys(t for _, _, t in linker.matches(part.title)):
                found.setdefault(term, []).append({
                    "title": part.title, "standard": std.standard.title,
                    "url": urls.standard(std.id, part.id)})
    return found
