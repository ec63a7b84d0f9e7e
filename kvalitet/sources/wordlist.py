"""The standard's own word list ("Ordforklaring") -> term and definition pairs, from the forms
word lists take: a two-column table, a definition list, "Ord: forklaring" list items or
paragraphs, a bold word followed by its explanation."""

from __future__ import annotations

import re

from kvalitet.sources.blocks import (
    Block,
    Document,
    Heading,
    Inline,
    ListBlock,
    Para,
    Table,
    Terms,
    excerpt,
    text_of,
)
from kvalitet.sources.markdown import render, safe_start, wrap
from kvalitet.sources.structure import words

_TERM_HEAD = re.compile(r"^(?:ord|begreb|term|udtryk)$", re.I)


def term_split(text: Inline) -> tuple[str, str] | None:
    """("Skøn", "I denne sammenhæng …") from "Skøn: I denne sammenhæng …", "**Skøn** I …" or
    "Skøn – I …" (term in plain text, definition in Markdown); None when it is not an entry."""
    md, plain = text.md.strip(), text.plain.strip()
    m = re.match(r"^\*\*(.+?)\*\*\s*[:–—-]?\s*(\S.*)$", md, re.S)
    if m:
        term = re.sub(r"\\(.)", r"\1", m.group(1)).strip().rstrip(":").strip()
        return (term, m.group(2).strip()) if 0 < words(term) <= 6 else None
    for sep in (": ", " – ", " — ", " - "):
        if sep in plain and sep in md:
            term, definition = plain.split(sep, 1)[0], md.split(sep, 1)[1]
            if 0 < words(term) <= 6 and term[:1].isupper() and definition.strip() \
                    and not term.rstrip().endswith(("?", ".")):
                return term.strip(), definition.strip()
    return None


def read_word_list(blocks: list[Block], doc: Document) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    # A word list made as a table, a definition list or a list: a paragraph after it is not
    # an entry (a web page's "Sidst opdateret: …").
    structured = any(isinstance(b, Table | Terms | ListBlock) for b in blocks)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Table):
            rows = block.rows
            head = text_of(rows[0][0]).plain.strip() if rows and rows[0] else ""
            if block.header or _TERM_HEAD.match(head):
                rows = rows[1:]
            for row in rows:
                if len(row) >= 2 and text_of(row[0]):
                    entries.append((text_of(row[0]).plain, render(row[1]).strip()))
                elif row:
                    _leftover(doc, text_of(row).plain, block.where)
        elif isinstance(block, Terms):
            for term, definition in block.entries:
                if term and definition:
                    entries.append((term.plain, render(definition).strip()))
                else:
                    _leftover(doc, (term.plain if term else text_of(definition).plain),
                              block.where)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found = term_split(item.text)
                if found:
                    term, definition = found
                    extra = render(item.lists).strip()
                    entries.append((term, definition + ("\n\n" + extra if extra else "")))
                else:
                    _leftover(doc, item.text.plain, block.where)
        elif isinstance(block, Para | Heading):
            found = term_split(block.text) if isinstance(block, Para) and not structured \
                else None
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if found:
                entries.append(found)
            elif (isinstance(block, Heading) or block.bold) and isinstance(nxt, Para) \
                    and words(block.text.plain) <= 6 and not structured:
                entries.append((block.text.plain.strip().rstrip(":"), render([nxt]).strip()))
                i += 1
            else:
                _leftover(doc, block.text.plain, block.where)
        else:
            _leftover(doc, text_of([block]).plain, block.where)
        i += 1
    if not entries:
        doc.note("ordforklaring", "ordforklaringen er fundet, men importen kunne ikke læse ord "
                 "og forklaringer i den. Skriv dem under glossary")
    return [(t, d if "\n" in d else wrap(safe_start(d))) for t, d in entries if t and d]


def _leftover(doc: Document, text: str, where: str) -> None:
    if text.strip():
        doc.note("placering", f"teksten {excerpt(text, 12)} i ordforklaringen er ikke et ord "
                 "med en forklaring og er ikke taget med. Flyt den til et afsnit, hvis den skal "
                 "med", where)
