"""The import's draft: a standard's parts as the splitter finds them, before they are written
as YAML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from kvalitet.sources.blocks import Block


@dataclass
class Part:
    """A section or sub-section of the draft."""

    title: str
    where: str = ""
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Part] = field(default_factory=list)
    id: str = ""
    body: str = ""
    added: bool = False  # the import made its title ("Indledning"): the source has none


@dataclass
class Draft:
    """A draft standard, ready to be written as YAML."""

    title: str = ""
    subtitle: str = ""
    law: str = ""
    description: str = ""
    approved: dt.date | None = None
    approved_by: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Part] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)  # term, definition (Markdown)
    notes: list = field(default_factory=list)
    kind: str = ""


def walk(parts: list[Part]) -> Iterator[Part]:
    """Every section and sub-section, in reading order."""
    for part in parts:
        yield part
        yield from part.subsections
