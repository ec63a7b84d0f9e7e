"""The shape every reader's blocks are brought into before the splitter reads them:

- a two-column question/answer table (the usual layout of a kvalitetsstandard) becomes a
  heading per question followed by its answer;
- paragraphs that start with a bullet or a number typed by hand become lists;
- a short bold paragraph followed by text becomes a heading (noted in the report as guessed);
- heading levels become 0 (title), 1 (section), 2 (sub-section) or 3 (below: bold text).
"""

from __future__ import annotations

import re

from kvalitet.sources.blocks import (
    Block,
    Document,
    Heading,
    Inline,
    Item,
    ListBlock,
    Para,
    Quote,
    Subtitle,
    Table,
    excerpt,
    text_of,
)

QA = 100  # the level of a question from a question/answer table, until levels are ranked
GLOSSARY_TITLE = re.compile(
    r"^(?:ord(?:-| og )?forklaring(?:er)?|ordliste|begrebs?(?:forklaring(?:er)?|liste)?|"
    r"definitioner|forklaring(?:er)? (?:af|på) (?:ord|begreber)|ord og begreber|"
    r"ordforklaring og begreber)\b[\s:.]*$", re.I)
QUESTION_WORD = re.compile(r"^(?:hvad|hvem|hvor|hvordan|hvornår|hvilke|hvilken|hvilket|hvorfor|"
                           r"hvorledes|hvis|kan|skal|må|får|er|har)\b", re.I)
_BULLET = re.compile(r"^\s*[•·▪●◦‣○■□➢➤►✓✔\-–—*]\s+")
_NUMBER = re.compile(r"^\s*(\d{1,2})[.)]\s+(?=\S)")
_HEADER_WORDS = re.compile(r"^(?:emne|spørgsmål|overskrift|tema|ord|begreb|term)$", re.I)


def words(text: str) -> int:
    return len(text.split())


def is_glossary_title(text: str) -> bool:
    return bool(GLOSSARY_TITLE.match(text.strip()))


def shape(doc: Document) -> list[Block]:
    """The document's blocks, shaped for the splitter (see the module's docstring)."""
    blocks = drop_contents(doc.blocks, doc)
    blocks = unfold_qa(blocks, doc)
    blocks = manual_lists(blocks)
    blocks = mark_title(blocks, doc)
    blocks = bold_headings(blocks, doc)
    return rank_levels(blocks)


def mark_title(blocks: list[Block], doc: Document) -> list[Block]:
    """Make the document's title a level-0 heading, when the reader did not know it: the one
    heading of the highest level (a web page's h1), or a first heading that comes before any
    text, or a short first line (noted as guessed)."""
    if any(isinstance(b, Heading) and b.level == 0 for b in blocks):
        return blocks
    headings = [b for b in blocks if isinstance(b, Heading) and b.level < QA]
    first = next((i for i, b in enumerate(blocks) if not isinstance(b, Subtitle)), None)
    if first is None:
        return blocks
    top = min((h.level for h in headings), default=None)
    tops = [h for h in headings if h.level == top]
    chosen = None
    if len(tops) == 1 and not any(isinstance(b, Heading) for b in blocks[:blocks.index(tops[0])]):
        chosen = blocks.index(tops[0])
    elif isinstance(blocks[first], Heading) and blocks[first].level < QA:
        nxt = blocks[first + 1] if first + 1 < len(blocks) else None
        if not (isinstance(nxt, Para) and words(nxt.text.plain) >= 25):
            chosen = first
            doc.note("titel", f"titlen er gættet: den første overskrift "
                     f"{excerpt(blocks[first].text.plain)}", blocks[first].where)
    elif isinstance(blocks[first], Para) and words(blocks[first].text.plain) <= 15 \
            and not blocks[first].text.plain.rstrip().endswith((".", ":")):
        chosen = first
        doc.note("titel", f"titlen er gættet: den første linje {excerpt(blocks[first].text.plain)}",
                 blocks[first].where)
    if chosen is None:
        return blocks
    old = blocks[chosen]
    return [*blocks[:chosen], Heading(old.text.strip(), 0, where=old.where), *blocks[chosen + 1:]]


# --- a table of contents ------------------------------------------------------------------------

_CONTENTS_TITLE = re.compile(r"^(?:indhold|indholdsfortegnelse)\s*:?$", re.I)
_CONTENTS_LINE = re.compile(r"^\S.{1,100}?(?:\s*[.…·_]{3,}\s*|\t+|\s{2,})\d{1,3}$")
_PAGE_REF = re.compile(r"^\S.{1,100}?\s\d{1,3}$")  # under "Indhold": a title and its page


def drop_contents(blocks: list[Block], doc: Document) -> list[Block]:
    """A table of contents ("Indhold", lines ending in dot leaders and page numbers) is left
    out: the site makes its own. Noted once."""
    out: list[Block] = []
    dropped: list[str] = []
    skipping = False
    for block in blocks:
        text = text_of([block]).plain.strip() if not isinstance(block, Table) else ""
        if isinstance(block, Heading | Para) and _CONTENTS_TITLE.match(text):
            skipping = True
            dropped.append(text)
            continue
        lines = _lines_of(block)
        numbered = _CONTENTS_LINE if not skipping else _PAGE_REF
        if lines and all(numbered.match(ln) for ln in lines):
            dropped += lines
            continue
        if skipping and isinstance(block, Heading):
            skipping = False
        out.append(block)
    if dropped:
        doc.note("sidehoved", f"indholdsfortegnelsen {excerpt(' '.join(dropped), 10)} er ikke "
                 "importeret: siden laver sin egen")
    return out


def _lines_of(block: Block) -> list[str]:
    if isinstance(block, Para):
        return [block.text.plain.strip()]
    if isinstance(block, ListBlock):
        return [i.text.plain.strip() for i in block.items]
    return []


# --- question/answer tables ----------------------------------------------------------------------

def _short_cell(cell: list[Block]) -> bool:
    return (len(cell) <= 2 and all(isinstance(b, Para | Heading | Subtitle) for b in cell)
            and words(text_of(cell).plain) <= 22)


def is_qa_table(table: Table) -> bool:
    """Whether a table is the standard's own layout: the question (or a short heading) in the
    left column, the answer in the right."""
    rows = [r for r in table.rows if len(r) == 2]
    if not rows or any(len(r) > 2 for r in table.rows):
        return False
    if table.header or _HEADER_WORDS.match(text_of(rows[0][0]).plain.strip()):
        rows = rows[1:]
    lefts = [c for c, _ in rows if text_of(c)]
    rights = [c for _, c in rows if text_of(c)]
    if not lefts or not rights or not all(_short_cell(c) for c in lefts):
        return False
    left_words = sum(words(text_of(c).plain) for c in lefts) / len(lefts)
    right_words = sum(words(text_of(c).plain) for c in rights) / len(rights)
    questions = sum(text_of(c).plain.strip().endswith("?") for c in lefts) / len(lefts)
    rich = any(len(c) > 1 or any(not isinstance(b, Para) for b in c) for c in rights)
    return right_words >= 2 * left_words and (questions >= 0.3 or right_words >= 20 or rich)


def unfold_qa(blocks: list[Block], doc: Document) -> list[Block]:
    """Each question/answer table as a heading per row followed by the answer's blocks. A table
    right under a word-list heading stays a table (the splitter reads it as the word list)."""
    out: list[Block] = []
    for block in _word_list_rows(blocks):
        after_glossary = bool(out) and isinstance(out[-1], Heading) \
            and is_glossary_title(out[-1].text.plain)
        if not isinstance(block, Table) or after_glossary or not is_qa_table(block):
            out.append(block)
            continue
        rows = block.rows
        if block.header or _HEADER_WORDS.match(text_of(rows[0][0]).plain.strip()):
            doc.note("tabel", f"tabellens første række {excerpt(text_of(rows[0]).plain)} er "
                     "læst som kolonneoverskrifter og ikke taget med", block.where)
            rows = rows[1:]
        for n, row in enumerate(rows, start=1):
            first = row[0][0] if row and row[0] else None
            where = first.where if first is not None and first.where else \
                f"{block.where}, række {n + (len(block.rows) - len(rows))}"
            if len(row) == 1 or not text_of(row[0]):
                out += row[-1]  # an answer continued from the row above (or a merged row)
                continue
            question = text_of(row[0]).strip()
            out.append(Heading(question, QA, where=where))
            out += rank_inner(row[1])
    return out


def _word_list_rows(blocks: list[Block]) -> list[Block]:
    """A table with the word list's heading in a row of its own (left cell "Ordforklaring",
    right cell empty) is split there: the table before, the heading, the word list after."""
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, Table):
            out.append(block)
            continue
        rows: list = []
        for row in block.rows:
            if len(row) == 2 and is_glossary_title(text_of(row[0]).plain) \
                    and not text_of(row[1]):
                if rows:
                    out.append(Table(rows, header=block.header, where=block.where))
                out.append(Heading(text_of(row[0]).strip(), QA, where=block.where))
                rows = []
            else:
                rows.append(row)
        if rows:
            out.append(Table(rows, header=block.header and len(rows) == len(block.rows),
                             where=block.where))
    return out


def rank_inner(blocks: list[Block]) -> list[Block]:
    """Headings inside an answer: the highest becomes a sub-section, the others bold text."""
    levels = sorted({b.level for b in blocks if isinstance(b, Heading)})
    return [Heading(b.text, QA + 1 + min(levels.index(b.level), 1), b.guessed, where=b.where)
            if isinstance(b, Heading) else b for b in blocks]


# --- lists typed by hand -------------------------------------------------------------------------

def manual_lists(blocks: list[Block]) -> list[Block]:
    """Paragraphs that begin with "•", "–" or "1." typed by hand (not Word's own lists), one
    after another, become a list."""
    out: list[Block] = []
    run: list[Para] = []
    ordered = False

    def flush() -> None:
        nonlocal run
        numbers = [int(m.group(1)) for p in run if (m := _NUMBER.match(p.text.plain))]
        is_list = run and (not ordered or (len(run) >= 2 and numbers == list(
            range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1))
        if is_list:
            items = [Item(_drop_marker(p.text, _NUMBER if ordered else _BULLET)) for p in run]
            out.append(ListBlock(items, ordered=ordered, where=run[0].where))
        else:
            out.extend(run)
        run = []

    for block in blocks:
        if isinstance(block, Table):
            block.rows = [[manual_lists(cell) for cell in row] for row in block.rows]
        elif isinstance(block, Quote):
            block.blocks = manual_lists(block.blocks)
        kind = None
        if isinstance(block, Para):
            kind = "ol" if _NUMBER.match(block.text.plain) else \
                "ul" if _BULLET.match(block.text.plain) else None
        if kind and (not run or ordered == (kind == "ol")):
            ordered = kind == "ol"
            run.append(block)
            continue
        flush()
        if kind:
            ordered = kind == "ol"
            run.append(block)
        else:
            out.append(block)
    flush()
    return out


def _drop_marker(text: Inline, marker: re.Pattern) -> Inline:
    plain = marker.sub("", text.plain, count=1)
    md = text.md
    # The marker as it stands in the Markdown (escaped: "\-", "\*", "1\."), then the space.
    md = re.sub(r"^\s*(?:\\?[•·▪●◦‣○■□➢➤►✓✔\-–—*]|\d{1,2}\\?[.)])\s+", "", md, count=1)
    return Inline(md, plain)


# --- bold paragraphs as headings -----------------------------------------------------------------

def _looks_like_heading(text: str) -> bool:
    text = text.strip()
    return (0 < words(text) <= 12 and text[:1].isupper() and not text.endswith((".", ",", ";"))
            and not re.search(r"[.!] \S", text))


def bold_headings(blocks: list[Block], doc: Document) -> list[Block]:
    """A short bold paragraph followed by text, and not ending like a sentence, is taken for a
    heading (a Word user's heading without a heading style). The report says so."""
    out: list[Block] = []
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (isinstance(block, Para) and block.bold and _looks_like_heading(block.text.plain)
                and isinstance(nxt, Para | ListBlock | Table | Quote)
                and not (block.text.plain.rstrip().endswith(":")
                         and isinstance(nxt, ListBlock))):
            text = Inline(block.text.md.strip().strip("*").strip(), block.text.plain)
            out.append(Heading(text, -1, "fed tekst", where=block.where))
            doc.note("overskrift", f"{excerpt(block.text.plain)} er fed tekst uden "
                     "overskriftstypografi og er læst som en overskrift", block.where)
        else:
            out.append(block)
    return out


# --- levels --------------------------------------------------------------------------------------

def rank_levels(blocks: list[Block]) -> list[Block]:
    """0 title, 1 section, 2 sub-section, 3 bold text. Source headings are ranked by the levels
    the document uses (h2/h3 on a web page whose h1 is the title; Heading 1/2 in Word); questions
    from a question/answer table are sections and headings inside their answers sub-sections.
    A guessed heading (-1) is a sub-section under a section, else a section."""
    levels = sorted({b.level for b in blocks if isinstance(b, Heading) and 0 < b.level < QA})
    out: list[Block] = []
    in_section = False
    for block in blocks:
        if not isinstance(block, Heading) or block.level == 0:
            out.append(block)
            continue
        level = block.level
        if level >= QA:
            rank = level - QA + 1
        elif level > 0:
            rank = min(levels.index(level) + 1, 3)
        else:
            rank = 2 if in_section else 1
        in_section = in_section or rank == 1
        out.append(Heading(block.text, rank, block.guessed, where=block.where))
    return out
