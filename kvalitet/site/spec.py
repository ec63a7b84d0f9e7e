"""What a page is, for every consumer of the page plan: its address, template, context and how
a generator should treat it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Ids the templates give their own elements contain "_", which content ids never do.
TITLE_ID = "kv_titel"
APPLY_ID = "kv_soeg"  # "Sådan søger du"
WORDS_ID = "kv_ordforklaring"  # the standard's own word list


@dataclass(frozen=True)
class Page:
    """One page: its address, template, what the template needs, and how MkDocs should treat it."""

    url: str
    template: str
    title: str
    description: str
    context: dict[str, Any]
    anchors: frozenset[str] = frozenset()
    nav_title: str | None = None  # shown in the navigation when set
    search: bool = True
    link_terms: bool = True
    hide: tuple[str, ...] = ()
    source: str | None = None  # the content file the page comes from (its edit link)
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StaticFile:
    """A file published as is (data, redirect pages)."""

    url: str
    content: str
