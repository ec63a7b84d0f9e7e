"""A PDF without tags -> blocks, from where its words stand and which fonts they use.

- Page furniture: a line in the top or bottom band of the page that comes back on other pages
  (numbers aside), or a page number, is dropped and noted.
- The question/answer layout: a second left edge on a page (the answer column) that many lines
  start at, and that no word on those lines crosses, splits each line into its left part (the
  question) and its right part (the answer). Consecutive two-column lines, across pages, become
  one two-column table; the shared shaping decides whether it is the question/answer layout.
- Paragraphs: a new one after extra space, or after a line that ends a sentence and leaves room
  for the next word. Bullets and numbers start list items. Lines split into aligned pieces are
  a table. A larger font is a heading (the largest on page 1 the title); bold lines are bold
  paragraphs (the shaping may take a short one for a heading).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from kvalitet.sources.blocks import (
    Block,
    Document,
    Heading,
    Inline,
    Item,
    ListBlock,
    Para,
    Table,
    clean,
    emphasis,
    excerpt,
)
from kvalitet.sources.text import OPEN_WORDS

BOLD = re.compile(r"bold|black|heavy|semibold|demi|,b\b", re.I)
_BULLET = re.compile(r"^(?:[\ue000-\uf8ff•·▪●◦‣○■□➢➤►✓✔\-–—*])$")
_NUMBER = re.compile(r"^\d{1,2}[.)]$")
_PAGE_NUMBER = re.compile(r"^(?:side\s+)?\d{1,3}(?:\s*(?:af|/)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$",
                          re.I)
_END = tuple(".!?:;")


def furniture_key(text: str) -> str:
    """Header and footer text with its numbers blanked ("Side 3 af 9" = "Side 4 af 9")."""
    return re.sub(r"\d+", "#", clean(text).lower())


@dataclass
class Line:
    words: list[dict]
    page: int
    col: str = "F"  # F full width, L left column, R right column
    segments: list[list[dict]] = field(default_factory=list)
    gutter: float = 0.0  # where the right column starts (two-column lines)

    @property
    def text(self) -> str:
        return clean(" ".join(w["text"] for w in self.words))

    @property
    def x0(self) -> float:
        return min(w["x0"] for w in self.words)

    @property
    def x1(self) -> float:
        return max(w["x1"] for w in self.words)

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w["size"] for w in self.words)

    @property
    def bold(self) -> bool:
        return all(BOLD.search(w.get("fontname") or "") for w in self.words)


def _rows(words: list[dict], page: int) -> list[Line]:
    rows: list[Line] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(rows[-1].words[0]["top"] - w["top"]) <= 2:
            rows[-1].words.append(w)
        else:
            rows.append(Line([w], page))
    for row in rows:
        row.words.sort(key=lambda w: w["x0"])
    return rows


def _segments(words: list[dict], gap: float) -> list[list[dict]]:
    """Pieces of a line separated by more than ``gap``; a lone bullet joins the text after it."""
    segs: list[list[dict]] = []
    for w in words:
        if segs and (w["x0"] - segs[-1][-1]["x1"] < gap
                     or (len(segs[-1]) == 1 and _BULLET.match(segs[-1][0]["text"]))):
            segs[-1].append(w)
        else:
            segs.append([w])
    return segs


def read_layout(pages: list[list[dict]], size: tuple[float, float], doc: Document,
                rulings: list[list[float]] | None = None,
                heights: list[float] | None = None) -> None:
    """Blocks from the words of each page (``rulings``: the y of each page's horizontal lines,
    such as a table's row borders; ``heights``: each page's own height, when they differ)."""
    width, height = size
    rows = [_rows([w for w in ws if w.get("tag") != "Artifact"], p)
            for p, ws in enumerate(pages, start=1)]
    _drop_furniture(rows, heights or [height] * len(rows), doc)
    sizes = Counter(round(w["size"], 1) for page in rows for r in page for w in r.words
                    for _ in w["text"])
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    gap = 1.5 * body
    lines: list[Line] = []
    for page in rows:
        for row in page:
            row.segments = _segments(row.words, gap)
        lines += _columns(page, width, body)
    doc.blocks = _Builder(lines, body, doc, rulings or []).blocks()


def _drop_furniture(rows: list[list[Line]], heights: list[float], doc: Document) -> None:
    def banded(row: Line) -> bool:
        height = heights[row.page - 1]
        return row.top < 0.08 * height or row.top > 0.9 * height

    counts = Counter(furniture_key(r.text) for page in rows for r in page if banded(r))
    seen = set()
    for p, page in enumerate(rows, start=1):
        ends = {id(page[0]), id(page[-1])} if page else set()
        for row in list(page):
            key = furniture_key(row.text)
            number = _PAGE_NUMBER.match(row.text) and (banded(row) or id(row) in ends)
            if number or (banded(row) and counts[key] >= 2):
                page.remove(row)
                if key not in seen:
                    seen.add(key)
                    doc.note("sidehoved", f"{excerpt(row.text, 12)} står øverst eller nederst "
                             "på siderne (sidehoved, sidefod eller sidetal) og er ikke importeret",
                             f"side {p}")


def _columns(page: list[Line], width: float, body: float) -> list[Line]:
    """The page's lines, split at the answer column's edge where the page has one."""
    if not page:
        return []
    margin = min(r.x0 for r in page)
    starts = Counter(round(seg[0]["x0"] / 3) * 3 for r in page for seg in r.segments
                     if margin + 0.12 * width < seg[0]["x0"] < margin + 0.6 * width)
    edge = next((x for x, n in starts.most_common() if n >= max(3, 0.2 * len(page))), None)
    if edge is None:
        return page
    gutter = edge - 4

    def crosses(row: Line) -> bool:
        """A word runs over the column edge, or the words either side of it stand as close as
        words in a sentence: a full-width line, not a question beside its answer."""
        if any(w["x0"] < gutter < w["x1"] for w in row.words):
            return True
        left = [w for w in row.words if w["x1"] <= gutter]
        right = [w for w in row.words if w["x0"] >= gutter]
        return bool(left and right) and right[0]["x0"] - left[-1]["x1"] < 0.6 * body

    crossing = [r for r in page if crosses(r)]
    if len(crossing) > 0.6 * len(page):
        return page
    def two_sided(row: Line) -> bool:
        return any(w["x0"] >= gutter - 0.1 for w in row.words) and row not in crossing

    out: list[Line] = []
    for n, row in enumerate(page):
        big = row.size >= 1.15 * body  # a heading above the table spans the page
        # A short line with nothing right of the edge is a question only beside answers: the
        # row above or below it reaches the answer column too.
        near = [page[k] for k in (n - 1, n + 1) if 0 <= k < len(page)
                and abs(page[k].top - row.top) < 2.2 * body]
        alone = not two_sided(row) and not any(two_sided(r) for r in near)
        if row in crossing or big or alone:
            out.append(row)
            continue
        left = [w for w in row.words if w["x1"] <= gutter]
        right = [w for w in row.words if w["x0"] >= gutter - 0.1]
        for words, col in ((left, "L"), (right, "R")):
            if words:
                line = Line(words, row.page, col, gutter=gutter)
                line.segments = [s for s in row.segments if s[0] in words]
                out.append(line)
    return out


class _Builder:
    def __init__(self, lines: list[Line], body: float, doc: Document, rulings: list[list[float]]):
        self.lines = lines
        self.body = body
        self.doc = doc
        self.rulings = rulings
        # Text laid out in characters (pdftotext -layout) has no fonts, and its columns are
        # only as exact as a character.
        self.fontless = all(not w.get("fontname") for ln in lines for w in ln.words)
        self.slack = 6.0 if self.fontless else 3.0
        self.right = {col: max((ln.x1 for ln in lines if ln.col == col), default=0)
                      for col in "FLR"}
        pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False)
                   if a.page == b.page and a.col == b.col and 0 < b.top - a.top < 2.5 * body]
        self.pitch = statistics.median(pitches) if pitches else 1.2 * body
        first = [round(ln.size, 1) for ln in lines if ln.page == 1]
        largest = max(first, default=0)
        self.title_size = largest if largest >= 1.4 * body else None
        self.heading_sizes = sorted({round(ln.size, 1) for ln in lines
                                     if ln.size >= 1.15 * body} - {self.title_size},
                                    reverse=True)
        self.titled = False  # the title (the largest font on page 1) is made once

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        flow: list[Line] = []
        region: list[list[list[Line]]] = []  # rows of [question lines, answer lines]
        region_gutter = 0.0

        def close_region() -> None:
            if region:
                rows = [[self.para_cell(q), self.flow(a)] for q, a in region]
                page = (region[0][0] or region[0][1])[0].page
                out.append(Table(rows, where=f"side {page}"))
                region.clear()

        for line in self.lines:
            if line.col == "F":
                close_region()
                flow.append(line)
                continue
            if flow:
                out += self.flow(flow)
                flow = []
            if region and abs(line.gutter - region_gutter) > 10:
                close_region()  # another table: its answer column starts elsewhere
            region_gutter = line.gutter
            if line.col == "L":
                last = region[-1][0] if region else []
                if last and self.same_question(last[-1], line):
                    last.append(line)
                else:
                    region.append([[line], []])
            else:
                if not region:
                    region.append([[], []])
                region[-1][1].append(line)
        close_region()
        out += self.flow(flow)
        return out

    def same_question(self, before: Line, line: Line) -> bool:
        """Whether a left-column line goes on with the question above it (a wrapped line)
        rather than starting the next row: close below it, with nothing between them (no
        border, no end of sentence, no change from bold)."""
        if before.page != line.page or line.top - before.top >= 1.6 * self.pitch:
            return False
        if before.text.endswith(_END) or before.bold != line.bold:
            return False
        word = line.words[0]
        if before.x1 + 0.3 * self.body + (word["x1"] - word["x0"]) < before.gutter - 2:
            return False  # the word would have fitted: the line above was not wrapped
        ruled = self.rulings[line.page - 1] if line.page <= len(self.rulings) else []
        return not any(before.top + 2 < y < line.top + 3 for y in ruled)

    def para_cell(self, lines: list[Line]) -> list[Block]:
        if not lines:
            return []
        text = Inline.text(" ".join(ln.text for ln in lines))
        bold = all(ln.bold for ln in lines)
        return [Para(emphasis(text, "**") if bold else text, bold=bold,
                     where=f"side {lines[0].page}")]

    # --- running text -------------------------------------------------------------------------

    def flow(self, lines: list[Line]) -> list[Block]:
        if not lines:
            return []
        right = max([ln.x1 for ln in lines] + [self.right[lines[0].col]])
        left = min(ln.x0 for ln in lines)
        out: list[Block] = []
        para: list[Line] = []
        items: list[list[Line]] = []
        ordered = False
        i = 0

        def flush() -> None:
            nonlocal para, items
            if para:
                out.append(self.paragraph(para))
            if items:
                out.append(ListBlock([Item(self.item_text(it)) for it in items], ordered=ordered,
                                     where=f"side {items[0][0].page}"))
            para, items = [], []

        while i < len(lines):
            line = lines[i]
            prev = lines[i - 1] if i else None
            table = self.table_at(lines, i)
            if table:
                flush()
                rows, used = table
                out.append(Table(rows, where=f"side {line.page}"))
                i += used
                continue
            first = line.words[0]["text"]
            marker = bool(_BULLET.match(first)) or bool(_NUMBER.match(first))
            new = prev is None or self.breaks(prev, line, left, right)
            if marker:
                if para or (items and ordered != bool(_NUMBER.match(first))):
                    flush()
                ordered = bool(_NUMBER.match(first))
                items.append([line])
            elif items and not new:
                items[-1].append(line)
            else:
                if new or items:
                    flush()
                para.append(line)
            i += 1
        flush()
        return out

    def breaks(self, prev: Line, line: Line, left: float, right: float) -> bool:
        """Whether ``line`` starts a new paragraph after ``prev``."""
        pitch = max(self.pitch, 1.2 * prev.size)
        if prev.page == line.page and line.top - prev.top > 1.45 * pitch:
            return True
        if abs(prev.size - line.size) > 0.5 or prev.bold != line.bold:
            return True
        if prev.size >= 1.15 * self.body:
            return False  # a heading over several lines
        word = line.words[0]
        room = right - prev.x1
        ended = prev.text.rstrip("”\"»)").endswith(_END)
        if ended and room > (word["x1"] - word["x0"]) + 0.3 * self.body:
            return True
        # A short line before a capital letter ends its paragraph even without a full stop
        # ("Serviceloven § 85" over the law's text), unless it stops mid-sentence.
        last = prev.text.split()[-1].lower() if prev.text.split() else ""
        return (prev.x1 - left < 0.6 * (right - left) and line.text[:1].isupper()
                and not prev.text.endswith(",") and last not in OPEN_WORDS)

    def paragraph(self, lines: list[Line]) -> Block:
        text = Inline.text(_join([ln.text for ln in lines]))
        where = f"side {lines[0].page}"
        size = round(statistics.median(ln.size for ln in lines), 1)
        if size == self.title_size and not self.titled and lines[0].page == 1:
            self.titled = True
            return Heading(text, 0, where=where)
        if size in self.heading_sizes and len(text.plain.split()) <= 20:
            return Heading(text, self.heading_sizes.index(size) + 1, where=where)
        if self.fontless and len(lines) == 1 and _heading_shape(text.plain):
            self.doc.note("overskrift", f"{excerpt(text.plain)} er en kort linje uden punktum "
                          "og er læst som en overskrift", where)
            return Heading(text, -1, "tekstens form", where=where)
        bold = all(ln.bold for ln in lines)
        return Para(emphasis(text, "**") if bold else text, bold=bold, where=where)

    def item_text(self, lines: list[Line]) -> Inline:
        first = " ".join(w["text"] for w in lines[0].words[1:])  # after the bullet or number
        return Inline.text(_join([first] + [ln.text for ln in lines[1:]]))

    def table_at(self, lines: list[Line], i: int) -> tuple[list, int] | None:
        """A table starting at line ``i``: lines split into two or more aligned pieces."""
        first = lines[i]
        if len(first.segments) < 2:
            return None
        columns = [seg[0]["x0"] for seg in first.segments]
        rows = [[clean(" ".join(w["text"] for w in seg)) for seg in first.segments]]
        used = 1
        for line in lines[i + 1:]:
            if line.page != lines[i + used - 1].page or \
                    line.top - lines[i + used - 1].top > 1.8 * self.pitch:
                break
            cols = [_column(seg[0]["x0"], columns, self.slack) for seg in line.segments]
            if any(c is None for c in cols) or (len(line.segments) < 2 and cols[0] == 0):
                break
            texts = [clean(" ".join(w["text"] for w in seg)) for seg in line.segments]
            if cols[0] == 0 and len(line.segments) >= 2:
                row = [""] * len(columns)
                for c, t in zip(cols, texts, strict=True):
                    row[c] = t
                rows.append(row)
            else:
                for c, t in zip(cols, texts, strict=True):
                    rows[-1][c] = f"{rows[-1][c]} {t}".strip()
            used += 1
        if len(rows) < 2:
            return None
        cells = [[[Para(Inline.text(t))] if t else [] for t in row] for row in rows]
        return cells, used


def _heading_shape(text: str) -> bool:
    """A line that looks like a heading when no font tells: short, capitalised, no full stop."""
    return (0 < len(text.split()) <= 10 and text[:1].isupper() and "§" not in text
            and not text.rstrip().endswith((".", ",", ";", ":")) and not re.search(r"\. \S", text))


def _column(x0: float, columns: list[float], slack: float = 3) -> int | None:
    return next((n for n, c in enumerate(columns) if abs(c - x0) <= slack), None)


def _join(parts: list[str]) -> str:
    """Lines joined with spaces; a word broken with a hyphen at a line end joined again."""
    out = ""
    for part in parts:
        if out.endswith("-") and part[:1].islower() and \
                part.split(" ", 1)[0] not in ("og", "eller", "til", "samt"):
            out = out[:-1] + part
        else:
            out = f"{out} {part}" if out else part
    return out
