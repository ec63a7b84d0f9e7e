"""Words the search finds a part of a page by, though the page never shows them: editors'
``search_words`` and the parts of the compound words in its text (``compounds``).

They go into the page as an empty ``div`` at the end of the section, sub-section, offer or term
they belong to, in an attribute Pagefind indexes (``data-pagefind-index-attrs``): nothing is
shown, nothing reaches a screen reader (a data attribute of an empty element), and the search
box leaves them out of its excerpts. Pagefind records where each such ``div`` starts (its id is
an anchor of the page), so the box knows which words of the indexed text are these, and which
section they belong to: the words from the ``div`` to the next anchor.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field

from kvalitet.content.load import Site
from kvalitet.content.model import text_values
from kvalitet.plain import plain_text
from kvalitet.site.compounds import Splitter

SEARCH_WORDS_ID = "kv_soegeord_"   # + the part's id: the editors' search words
PARTS_ID = "kv_orddele_"           # + the part's id: the parts of its compounds
# Pagefind weights (1 = body text, quadratic): a search word says "this part answers that", as
# a heading does; a compound's part counts as the word it is part of.
SEARCH_WORDS_WEIGHT = 3
PARTS_WEIGHT = 1

@dataclass
class _Vocabulary:
    """The splitter of the last site planned, with that site's vocabulary, and the answers of
    ``hidden`` made with it."""

    site: Site | None = None
    words: frozenset[str] | None = None
    splitter: Splitter | None = None
    made: dict[tuple, str] = field(default_factory=dict)


_NOW = _Vocabulary()
_WORDS: dict[int, tuple[object, frozenset[str]]] = {}  # a content file's model -> its words


def splitter(site: Site) -> Splitter:
    """The splitter with this site's own vocabulary (made once per loaded site). The preview
    loads the site after every save, mostly from the same models (``load.FileCache``): each
    model's words are kept, and so is the splitter while the vocabulary stays the same (its
    splits and ``hidden``'s answers are remembered)."""
    if _NOW.site is not site or _NOW.splitter is None:
        models = [site.municipality, site.glossary, site.offers,
                  *(s.standard for s in site.standards),
                  *(s.guide for s in site.standards if s.guide)]
        words = frozenset().union(*(_words(model) for model in models))
        for key in set(_WORDS) - {id(model) for model in models}:
            del _WORDS[key]
        if words != _NOW.words or _NOW.splitter is None:
            _NOW.words, _NOW.splitter, _NOW.made = words, Splitter(words), {}
        _NOW.site = site
    return _NOW.splitter


def _words(model) -> frozenset[str]:
    """The words of a model's texts that can be a compound's part (``Splitter``'s own)."""
    known = _WORDS.get(id(model))
    if known is None or known[0] is not model:
        known = (model, Splitter.own_words(plain_text(text) for _, text, _ in text_values(model)))
        _WORDS[id(model)] = known
    return known[1]


def _block(prefix: str, part_id: str, words: list[str], weight: int) -> str:
    value = html.escape(" ".join(words), quote=True)
    return (f'<div id="{prefix}{part_id}" class="kv-index" data-kv-words="{value}" '
            f'data-pagefind-index-attrs="data-kv-words" data-pagefind-weight="{weight}"></div>')


def hidden(site: Site, part_id: str, texts: Iterable[str | None],
           search_words: Iterable[str] = ()) -> str:
    """The HTML (a raw block of the page's Markdown) that makes the search find the part
    ``part_id`` by its ``search_words`` and by the parts of the compounds in ``texts``
    (Markdown); empty when there is nothing to add. The answer depends only on these and the
    site's vocabulary, so it is remembered while the vocabulary stays the same (the preview
    plans every page again after a save)."""
    split = splitter(site)
    key = (part_id, tuple(t for t in texts if t), tuple(search_words))
    if key not in _NOW.made:
        _NOW.made[key] = _hidden(split, part_id, key[1], key[2])
    return _NOW.made[key]


def _hidden(split: Splitter, part_id: str, texts: tuple[str, ...], search_words: tuple[str, ...]
            ) -> str:
    plain = [plain_text(t) for t in texts]
    chosen = list(dict.fromkeys(w.strip() for w in search_words if w.strip()))
    parts = split.hidden_words([*plain, *chosen])
    blocks = []
    if chosen:
        blocks.append(_block(SEARCH_WORDS_ID, part_id, chosen, SEARCH_WORDS_WEIGHT))
    if parts:
        blocks.append(_block(PARTS_ID, part_id, parts, PARTS_WEIGHT))
    return "\n".join(blocks)
