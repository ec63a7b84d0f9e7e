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
    """One page: its address, template, what the template needs, and how MkDocs should treat it.

    A spec holds every value its page is made from: ``context`` is all its template reads
    (plain values, frozen models and dataclasses, all compared by value), and rendering is a
    function of the spec, the redirects and the PDFs. So two equal specs make the same Markdown,
    and the page plan is the site's dependency graph: after a save the preview renders again
    only the pages whose spec changed (``build.Rebuilds``). Put in the context what the page
    shows, not more (a list of offers holds their names, not the offers), so a change touches
    only the pages that show it.
    """

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
