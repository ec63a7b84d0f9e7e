"""What every reader hands the splitter: a document as blocks (headings, paragraphs, lists,
tables), each with where it came from, and the notes for the review report.

Text is carried twice: ``plain`` (what a reader sees: for finding headings, terms and § references)
and ``md`` (the same text as Markdown, escaped, with bold, italics and links). Markdown is made
here and only here, so a draft can never hold raw HTML, an image or an attribute list: text is
escaped, and the only markup written is ``**``, ``*``, ``[text](url)``, lists, tables and ``>``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

SAFE_SCHEMES = ("https", "http", "mailto", "tel")

# Whitespace a word processor or a web page may use; a soft hyphen and zero-width characters
# are dropped (they are invisible in the source).
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PRIVATE = re.compile(r"[\ue000-\uf8ff]")  # symbol-font glyphs (Word's bullets are here)
_MD_INLINE = re.compile(r"([\\`*_\[\]}])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def clean(text: str, strip: bool = True) -> str:
    """Text as it should stand in a draft: one space between words, nothing invisible."""
    text = _INVISIBLE.sub("", _CONTROL.sub(" ", _PRIVATE.sub(" ", text)))
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text))
    return text.strip() if strip else text


def escape(text: str) -> str:
    """Plain text as inline Markdown that shows exactly as written. "<" before a letter and
    "&" before an entity's name become entities; "{" too, so no attribute list can start
    (Python-Markdown's attr_list reads "{: …}" in any text); "](" and "![" are broken up so
    nothing reads as a link or an image, not even to a checker that ignores escapes."""
    text = _ENTITY.sub("&amp;", text)
    text = _TAG_START.sub("&lt;", text.replace("{", "&#123;"))
    text = _MD_INLINE.sub(r"\\\1", text)
    return text.replace("\\](", "\\]\\(")


@dataclass(frozen=True)
class Inline:
    """A run of text: its Markdown and its plain text."""

    md: str = ""
    plain: str = ""

    @classmethod
    def text(cls, text: str) -> Inline:
        text = clean(text)
        return cls(escape(text), text)

    @classmethod
    def text_keep(cls, text: str) -> Inline:
        """Like ``text``, but a space at either end stays (a run between other runs)."""
        text = clean(text, strip=False)
        return cls(escape(text), text)

    def __add__(self, other: Inline) -> Inline:
        return Inline(self.md + other.md, self.plain + other.plain)

    def __bool__(self) -> bool:
        return bool(self.plain.strip())

    def strip(self) -> Inline:
        return Inline(_SPACES.sub(" ", self.md).strip(), clean(self.plain))


def join(parts: list[Inline], sep: str = " ") -> Inline:
    parts = [p.strip() for p in parts if p]
    return Inline(sep.join(p.md for p in parts), sep.join(p.plain for p in parts))


def emphasis(inner: Inline, marker: str) -> Inline:
    """``**text**`` (or ``*text*``), with the spaces moved outside the markers (Markdown ignores
    ``** text**``)."""
    md = inner.md
    core = md.strip()
    if not core or not inner.plain.strip():
        return inner
    lead, trail = md[: len(md) - len(md.lstrip())], md[len(md.rstrip()):]
    if core.startswith(marker) and core.endswith(marker):  # already emphasised (nested tags)
        return inner
    return Inline(f"{lead}{marker}{core}{marker}{trail}", inner.plain)


def link_target(url: str, base: str | None = None) -> str | None:
    """A link's target as the draft may keep it: https, http, mailto or tel, made absolute from
    ``base`` when relative; None when it cannot be kept (another scheme, a relative link without
    a base, a link to a place on the same page)."""
    url = clean(url)
    if not url or url.startswith("#"):
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not scheme:
        if not base or not urlsplit(base).scheme.startswith("http"):
            return None
        url, scheme = urljoin(base, url), urlsplit(base).scheme
    if scheme not in SAFE_SCHEMES:
        return None
    if scheme in ("http", "https") and not urlsplit(url).netloc:
        return None
    # No space, quote, angle bracket or parenthesis may end the Markdown link early.
    return quote(url, safe="/:?#[]@!$&'*+,;=%~.-_")


def make_link(text: Inline, url: str | None) -> Inline:
    """``[text](url)``, or the text alone when there is no usable target."""
    if not url or not text:
        return text
    return Inline(f"[{text.md.strip()}]({url})", text.plain)


@dataclass
class Block:
    """A piece of the document; ``where`` says where it came from (for the report)."""

    where: str = field(default="", kw_only=True)


@dataclass
class Heading(Block):
    """A heading. ``level`` 0 is the document's title; 1-6 as in the source. ``guessed`` says
    why a heading without a heading style was taken for one (empty when the source said so)."""

    text: Inline
    level: int
    guessed: str = ""


@dataclass
class Subtitle(Block):
    text: Inline


@dataclass
class Para(Block):
    text: Inline
    bold: bool = False  # the whole paragraph is bold (maybe a heading in disguise)
    continues: bool = False  # starts mid-sentence: cut off from text elsewhere (PDF columns)


@dataclass
class Item:
    text: Inline
    lists: list[ListBlock] = field(default_factory=list)


@dataclass
class ListBlock(Block):
    items: list[Item]
    ordered: bool = False


@dataclass
class Table(Block):
    """Rows of cells; a cell holds blocks (an answer cell of a question/answer table may hold
    paragraphs, lists and sub-headings)."""

    rows: list[list[list[Block]]]
    header: bool = False  # the first row is marked as a header in the source


@dataclass
class Quote(Block):
    blocks: list[Block]


@dataclass
class Terms(Block):
    """A definition list (HTML ``dl``): terms and their definitions."""

    entries: list[tuple[Inline, list[Block]]]


@dataclass(frozen=True)
class Note:
    """One line of the review report: what the import was unsure of, and where."""

    kind: str
    message: str
    where: str = ""


@dataclass
class Document:
    """A reader's result."""

    blocks: list[Block]
    notes: list[Note] = field(default_factory=list)
    kind: str = ""  # "docx", "pdf", "html", "txt"
    title: str = ""  # the file's own title (metadata), a last resort for the standard's title
    url: str = ""  # where a web page says it lives (canonical), for the report

    def note(self, kind: str, message: str, where: str = "") -> None:
        self.notes.append(Note(kind, message, where))


def text_of(blocks: list[Block], sep: str = " ") -> Inline:
    """All the text of some blocks as one run (for table cells and short answers)."""
    parts: list[Inline] = []
    for block in blocks:
        if isinstance(block, Heading | Subtitle | Para):
            parts.append(block.text)
        elif isinstance(block, ListBlock):
            for item in block.items:
                parts.append(item.text)
                parts.append(text_of(item.lists, sep))
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    parts.append(text_of(cell, sep))
        elif isinstance(block, Quote):
            parts.append(text_of(block.blocks, sep))
        elif isinstance(block, Terms):
            for term, definition in block.entries:
                parts += [term, text_of(definition, sep)]
    return join([p for p in parts if p], sep)


def excerpt(text: str, words: int = 8) -> str:
    """The first words of a text, for the report: «Hvad kan støtten …»."""
    found = text.split()
    short = " ".join(found[:words]) + (" …" if len(found) > words else "")
    return f"«{short}»"
