"""Blocks -> the Markdown of a draft's bodies: paragraphs, lists, tables and quotes, wrapped so
an editor can read the YAML, and written so Markdown reads them as what they are (a list right
after a blank line, nothing that starts a heading, list or definition by accident)."""

from __future__ import annotations

import re

from kvalitet.sources.blocks import (
    Block,
    Heading,
    Inline,
    ListBlock,
    Para,
    Quote,
    Subtitle,
    Table,
    Terms,
    emphasis,
    text_of,
)

WIDTH = 88
# A word that must not begin a line inside a paragraph: Markdown would read a list, a heading,
# a quote, a table, a definition or an admonition there (or an editor's eye a Word bullet).
_RISKY_START = re.compile(r"^(?:[-+*>#|:=~!•·▪●◦‣–—]|\d{1,3}[.)]$)")
_NUMBERED = re.compile(r"^(\d{1,3})([.)])(?=\s|$)")


def render(blocks: list[Block]) -> str:
    """The Markdown of ``blocks``, blocks separated by a blank line."""
    parts = [part for block in blocks if (part := _block(block))]
    return "\n\n".join(parts).strip() + "\n" if parts else ""


def _block(block: Block) -> str:
    if isinstance(block, Heading):  # a heading below the sub-section level: bold text
        return _paragraph(emphasis(block.text, "**"))
    if isinstance(block, Para | Subtitle):
        return _paragraph(block.text)
    if isinstance(block, ListBlock):
        return _list(block, 0)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Quote):
        inner = render(block.blocks).rstrip("\n")
        return "\n".join(f"> {ln}" if ln else ">" for ln in inner.split("\n"))
    if isinstance(block, Terms):
        return "\n\n".join(_paragraph(emphasis(term, "**") + Inline(": ", ": ")
                                      + text_of(definition)) if term else
                           _paragraph(text_of(definition)) for term, definition in block.entries)
    return ""


def _paragraph(text: Inline, width: int = WIDTH, indent: str = "") -> str:
    md = text.md.strip()
    if not md:
        return ""
    return wrap(safe_start(md), width, indent)


def safe_start(md: str) -> str:
    """A paragraph that begins like a list item or a heading ("1. januar", "# 3", "- og"),
    escaped so Markdown shows it as text."""
    m = _NUMBERED.match(md)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{md[m.end(2):]}"
    return "\\" + md if md[:1] in "#>+-" else md


def wrap(md: str, width: int = WIDTH, indent: str = "", first_indent: str | None = None) -> str:
    """Wrap inline Markdown at spaces, never starting a line with a risky word (see above)."""
    words = md.split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if not word:
            continue
        if current and len(current) + 1 + len(word) > width and not _RISKY_START.match(word):
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    first = indent if first_indent is None else first_indent
    return "\n".join((first if i == 0 else indent) + ln for i, ln in enumerate(lines))


def _list(block: ListBlock, depth: int) -> str:
    out = []
    pad = "    " * depth
    for n, item in enumerate(block.items, start=1):
        marker = f"{n}. " if block.ordered else "- "
        text = safe_start(item.text.md.strip()) or "\u2013"
        out.append(wrap(text, WIDTH - len(pad), pad + " " * len(marker), pad + marker))
        for sub in item.lists:
            out.append(_list(sub, depth + 1))
    return "\n".join(out)


def _cell(blocks: list[Block]) -> str:
    text = text_of(blocks, " ").md.strip()
    return text.replace("|", "\\|").replace("\n", " ") or " "


def _table(block: Table) -> str:
    rows = [[_cell(c) for c in row] for row in block.rows]
    # Header cells are shown bold anyway: "**Behov**" there is the source's formatting.
    rows[0] = [c[2:-2] if c.startswith("**") and c.endswith("**") and len(c) > 4 else c
               for c in rows[0]]
    width = max(len(r) for r in rows)
    rows = [r + [" "] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)
