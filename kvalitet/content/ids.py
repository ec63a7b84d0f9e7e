"""Ids from titles, by the content format's transliteration (content-format.md: "write æ ø å as
ae oe aa"): the one place that turns Danish text into an id. The import and ``kvalitet
ny-standard`` use it; so can the browser form (Decap's own slugs turn "ø" into "o").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

# Danish letters first (the contract), then letters that would otherwise lose their sound.
_LETTERS = {"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss",
            "&": " og "}


def slug(text: str, max_words: int | None = None, max_length: int = 60) -> str:
    """``"Hvem kan få støtten?"`` -> ``"hvem-kan-faa-stoetten"``: lowercase ASCII letters,
    digits and single hyphens (the content format's id pattern), or "" when nothing is left.
    ``max_words`` and ``max_length`` shorten a long title at a word boundary."""
    text = text.lower()
    text = "".join(_LETTERS.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", text)
    if max_words:
        words = words[:max_words]
    out = ""
    for word in words:
        longer = f"{out}-{word}" if out else word
        if len(longer) > max_length and out:
            break
        out = longer[:max_length]
    return out


def unique_id(title: str, taken: Collection[str], reserved: Collection[str] = (),
              fallback: str = "afsnit", max_words: int | None = 6) -> str:
    """An id for ``title`` that is not in ``taken`` or ``reserved``: the slug, then the slug
    with -2, -3, ... (``fallback`` when the title has no letters or digits)."""
    base = slug(title, max_words=max_words) or fallback
    candidate, n = base, 2
    while candidate in taken or candidate in reserved:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
