"""Text a PDF tool pulled out (.txt, like the seed) -> blocks.

Such text has lost the layout: lines end where the PDF's lines ended, columns of a
question/answer table are run together ("Hvem omfatter denne støtte? For at være …"), page and
column breaks cut sentences, and Word's bullets arrive as symbol-font characters. So paragraphs
are rebuilt from how lines end (a line that ends a sentence and leaves room for the next word
ended its paragraph), headings from their shape (a short line without a full stop, a question
in the narrow left column, the usual headings of a standard), and text that starts mid-sentence
is marked so the splitter can put it back where it continues. Each guess is in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kvalitet.sources.blocks import (
    Block,
    Document,
    Heading,
    Inline,
    Item,
    ListBlock,
    Para,
    clean,
    excerpt,
)
from kvalitet.sources.structure import QUESTION_WORD, is_glossary_title

# Word's bullets as text tools give them (symbol-font characters), and typed ones.
_BULLET = re.compile(r"^\s*([\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0e0•·▪●◦‣○■□➢➤►✓✔]"
                     r"|[-–—*](?=\s))\s*")
_NUMBER = re.compile(r"^\s*(\d{1,2})[.)]\s+(?=\S)")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:side\s+)?\d{1,3}(?:\s*(?:af|/)\s*\d{1,3})?\s*$|^\s*-\s*\d{1,3}\s*-\s*$", re.I)
_END = ".!?:;"
_KNOWN = re.compile(r"^(Lovgrundlag(?:et)?|Lovgivning(?:en)?|Ordforklaring(?:er)?|Ordliste|"
                    r"Begrebsforklaring(?:er)?|Klagevejledning|Kvalitetsmål|Formål|Målgruppe)"
                    r"(?:\s*:)?(?=\s+[A-ZÆØÅ§]|\s*$)")
_LAW_LINE = re.compile(r"^(?:[A-ZÆØÅ][a-zæøå]+loven|Lov om [a-zæøå ]+)$")
OPEN_WORDS = set("""af at de den der det efter eller en et for fra fx hos hvis i med mellem
mod når og om over på samt som til ud uden under ved vores din dit dine jeres sin sit sine
kommunens""".split())
_QUESTION = re.compile(r"^(.{3,140}?\?)\s+(?=[A-ZÆØÅ\"“”])")


@dataclass
class _Line:
    text: str  # cleaned, without the bullet
    number: int  # 1-based line in the file
    bullet: str = ""  # "ul" or "ol"
    gap: bool = False  # a paragraph break before this line (a blank line in the source)
    wide: bool = False  # two spaces at the end: Word's paragraph mark pulled out as text


def read_text(text: str, doc: Document) -> Document:
    """Blocks from ``text`` (already decoded) into ``doc``. Text that kept the PDF's layout
    (``pdftotext -layout``: the columns side by side, padded with spaces) is read by the PDF
    layout reader, each character a fixed width and each line a fixed height."""
    doc.kind = doc.kind or "txt"
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(8)
    if _column_start(text) is not None:
        from kvalitet.sources.pdflayout import read_layout

        pages, size, heights = _layout_words(text)
        read_layout(pages, size, doc, heights=heights)
        return doc
    lines = _lines(text, doc)
    doc.blocks = _Flow(lines, doc).blocks()
    return doc


_CHAR, _LINE = 5.0, 12.0  # the width of a character and the height of a line, in "points"
_SECOND_COLUMN = re.compile(r"(?:^ {8,}|\S {3,})(?=\S)")


def _column_start(text: str) -> int | None:
    """The character column where a second column of text starts, when many lines have one."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    starts: dict[int, int] = {}
    for line in lines:
        for m in _SECOND_COLUMN.finditer(line):
            starts[m.end()] = starts.get(m.end(), 0) + 1
    if not starts:
        return None
    column, count = max(starts.items(), key=lambda kv: (kv[1], -kv[0]))
    near = sum(n for c, n in starts.items() if abs(c - column) <= 1)
    widest = max(len(ln) for ln in lines)
    return column if near >= max(5, 0.15 * len(lines)) and 10 <= column <= 0.7 * widest \
        else None


def _layout_words(text: str) -> tuple[list[list[dict]], tuple[float, float], list[float]]:
    """Words with positions from layout text: pages split at form feeds."""
    pages: list[list[dict]] = []
    heights: list[float] = []
    tallest = widest = 0
    for page in text.split("\f"):
        words = []
        lines = page.split("\n")
        for row, line in enumerate(lines):
            for m in re.finditer(r"\S+", line):
                words.append({"text": m.group(), "x0": m.start() * _CHAR, "x1": m.end() * _CHAR,
                              "top": row * _LINE, "bottom": row * _LINE + 10, "size": 10.0,
                              "fontname": ""})
            widest = max(widest, len(line))
        tallest = max(tallest, len(lines))
        heights.append(max(len(lines), 1) * _LINE)
        pages.append(words)
    return pages, (widest * _CHAR, tallest * _LINE), heights


def _lines(text: str, doc: Document) -> list[_Line]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    filled = [i for i, ln in enumerate(raw) if ln.strip()]
    # Text pulled out of a PDF often has an empty line after every line: then only a line of
    # spaces (an empty paragraph in Word) separates paragraphs.
    after_blank = sum(1 for i in filled if i + 1 < len(raw) and raw[i + 1] == "")
    spaced = bool(filled) and after_blank >= 0.6 * len(filled)
    repeated = _furniture(raw)
    out: list[_Line] = []
    gap = False
    for i, line in enumerate(raw):
        if "\f" in line:
            gap = True
            line = line.replace("\f", " ")
        if not line.strip():
            if line == "" and spaced:
                continue
            gap = True
            continue
        stripped = line.strip()
        alone = i == 0 or not raw[i - 1].strip()  # a page number stands on its own line
        previous = out[-1].text if out else ""
        if (_PAGE_NUMBER.match(stripped) and alone and not previous.endswith("§")) \
                or stripped in repeated:
            doc.note("sidehoved", f"{excerpt(stripped)} ligner sidehoved, sidefod eller "
                     "sidetal og er ikke importeret", f"linje {i + 1}")
            continue
        kind = ""
        m = _BULLET.match(line)
        if m:
            kind, line = "ul", line[m.end():]
        elif _NUMBER.match(line):
            kind = "ol"
        cleaned = clean(line)
        if not cleaned:
            continue
        out.append(_Line(cleaned, i + 1, kind, gap, line.endswith("  ")))
        gap = False
    return out


def _furniture(raw: list[str]) -> set[str]:
    """Short lines that stand identically three times or more: a running header or footer."""
    counts: dict[str, int] = {}
    for line in raw:
        s = line.strip()
        if 0 < len(s) <= 60 and not _BULLET.match(line):
            counts[s] = counts.get(s, 0) + 1
    return {s for s, n in counts.items() if n >= 3 and not s.endswith(_END)}


def _words(text: str) -> int:
    return len(text.split())


class _Flow:
    """Walks the lines once, making paragraphs, list items and headings."""

    def __init__(self, lines: list[_Line], doc: Document):
        self.lines = lines
        self.doc = doc
        self.out: list[Block] = []
        self.qa = False  # seen the question/answer layout: non-questions are sub-headings
        widths = [self.body_length(ln) for ln in lines]
        self.width = [max(widths[max(0, i - 4):i + 5]) for i in range(len(lines))]

    # --- how lines end ------------------------------------------------------------------------

    @staticmethod
    def body_length(line: _Line) -> int:
        """The length of the line's text in its column: without a question from the left
        column run into it ("Hvem får jeg støtten fra? Hvis du …")."""
        text = line.text
        m = _QUESTION.match(text) if QUESTION_WORD.match(text) else None
        if m:
            text = text[m.end():]
        return len(text) + (2 if line.bullet else 0)

    def short(self, i: int) -> bool:
        return len(self.lines[i].text) < 0.6 * self.width[i]

    def ends_paragraph(self, i: int) -> bool:
        """Whether line ``i`` is the last of its paragraph (judged from it and the next)."""
        line = self.lines[i]
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else None
        if nxt is None or nxt.gap or nxt.bullet:
            return True
        ended = line.text.rstrip("”\"»)").endswith(tuple(_END))
        first_word = nxt.text.split()[0] if nxt.text else ""
        fits = len(line.text) + 1 + len(first_word) <= self.width[i] - 1
        if ended and (fits or line.wide):
            return True
        # A short line before a capital letter ends its paragraph even without a full stop,
        # unless it stops on a word no sentence ends with ("… cafetilbud på" / "Hjernecentret").
        last_word = line.text.split()[-1].lower() if line.text.split() else ""
        return (self.short(i) and nxt.text[:1].isupper() and not line.text.endswith(",")
                and last_word not in OPEN_WORDS)

    # --- headings -----------------------------------------------------------------------------

    def heading_group(self, i: int, at_start: bool) -> int:
        """The number of lines (1-3) from ``i`` that make a heading, or 0: a question of up to
        three lines (the narrow left column wraps it), or at a paragraph's start a short line
        without a full stop or comma, or two or three short lines."""
        def group_text(size: int) -> str | None:
            group = self.lines[i:i + size]
            if len(group) < size or any(ln.bullet for ln in group) or \
                    any(ln.gap for ln in group[1:]) or \
                    any(ln.text.endswith(tuple(_END)) for ln in group[:-1]):
                return None
            text = " ".join(ln.text for ln in group)
            return text if _words(text) <= 18 and text[:1].isupper() else None

        for size in (1, 2, 3):
            text = group_text(size)
            if text and text.endswith("?") and QUESTION_WORD.match(text) and \
                    (at_start or size > 1) and all(self.short(i + k) for k in range(size - 1)):
                return size
        if not at_start or _KNOWN.match(self.lines[i].text) and \
                _KNOWN.match(self.lines[i].text).end() < len(self.lines[i].text):
            return 0
        for size in (1, 2, 3):
            text = group_text(size)
            if text is None:
                return 0
            last = self.lines[i + size - 1].text
            if last.endswith(tuple(_END) + (",",)):
                continue
            nxt = self.lines[i + size] if i + size < len(self.lines) else None
            followed = nxt is None or nxt.gap or nxt.bullet or nxt.text[:1].isupper() \
                or nxt.text.startswith("§")
            if not followed:
                continue
            if size == 1 and _words(text) <= 15 and not _LAW_LINE.match(text) and (
                    self.short(i) or ("," not in text
                                      and len(text) < 0.85 * self.width[i])):
                return 1
            if size > 1 and all(self.short(i + k) for k in range(size)):
                return size
        return 0

    def add_heading(self, text: str, line: int, merged: bool = False, lines: int = 1) -> None:
        question = text.endswith("?") or bool(QUESTION_WORD.match(text))
        if merged or lines > 1:
            self.qa = True  # a question in a narrow left column
        known = bool(_KNOWN.match(text)) or is_glossary_title(text)
        level = 1 if not self.qa or question or known else 2
        self.out.append(Heading(Inline.text(text), level, "tekstens form", where=f"linje {line}"))
        if level == 2:
            self.doc.note("overskrift", f"{excerpt(text)} er læst som en underoverskrift (en "
                          "kort linje uden punktum i et afsnit). Tjek, at den hører under "
                          "afsnittet over den", f"linje {line}")

    # --- the walk -----------------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        lines = self.lines
        i = 0
        at_start = True
        para: list[str] = []
        para_line = 0
        items: list[Item] = []
        ordered = False
        item_line = 0

        def flush_para() -> None:
            nonlocal para
            if para:
                text = " ".join(para)
                law = _LAW_LINE.match(text)
                starts_low = text[:1].islower()
                block = Para(Inline(f"**{Inline.text(text).md}**", text) if law else
                             Inline.text(text), bold=bool(law), continues=starts_low,
                             where=f"linje {para_line}")
                self.out.append(block)
            para = []

        def flush_list() -> None:
            nonlocal items
            if items:
                self.out.append(ListBlock(items, ordered=ordered, where=f"linje {item_line}"))
            items = []

        while i < len(lines):
            line = lines[i]
            if line.gap:
                at_start = True
            if line.bullet:
                flush_para()
                if items and ordered != (line.bullet == "ol"):
                    flush_list()
                if not items:
                    item_line = line.number
                ordered = line.bullet == "ol"
                text = _NUMBER.sub("", line.text) if ordered else line.text
                items.append(Item(Inline.text(text)))
                at_start = self.ends_paragraph(i)
                i += 1
                continue
            question = self.heading_group(i, False) if items and not at_start else 0
            if items and not at_start and not question:  # the item goes on on this line
                last = items[-1]
                items[-1] = Item(Inline.text(f"{last.text.plain} {line.text}"))
                at_start = self.ends_paragraph(i)
                i += 1
                continue
            size = self.heading_group(i, at_start or not para)
            if size and (at_start or size > 1 or lines[i].text.endswith("?")):
                flush_para()
                flush_list()
                text = " ".join(ln.text for ln in lines[i:i + size])
                self.add_heading(text, line.number, lines=size)
                i += size
                at_start = True
                continue
            if at_start:
                flush_para()
                flush_list()
                text = line.text
                m = _QUESTION.match(text) if QUESTION_WORD.match(text) else None
                known = _KNOWN.match(text)
                if m and _words(m.group(1)) <= 15:
                    self.add_heading(m.group(1), line.number, merged=True)
                    text = text[m.end():]
                elif known and known.end() < len(text):
                    self.add_heading(known.group(1), line.number, merged=True)
                    text = text[known.end():].strip()
                para_line = line.number
                para = [text]
            else:
                para.append(line.text)
            at_start = self.ends_paragraph(i)
            i += 1
        flush_para()
        flush_list()
        return self.out
