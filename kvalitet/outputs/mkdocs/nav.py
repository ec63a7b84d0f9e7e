"""The primary navigation at a constant cost per page (``kv_nav_items()`` in
overrides/partials/kv-nav.html)."""

from __future__ import annotations

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation


class NavItems:
    """Material's navigation entries at a constant cost per page (``kv_nav_items()`` in
    overrides/partials/kv-nav.html), as Material writes them. Material renders the whole
    navigation for every page, so a build's time grew with pages × entries. Here every entry is
    rendered once per build by Material's own macro (partials/nav-item.html) with its link from a
    stand-in for the site's root. A page gets that text with the stand-in replaced by its way to
    the root ("../../"), which is the link Material makes to a page in another top folder; the
    few entries in the page's own top folder (its own entry, active with its table of contents,
    and e.g. its standard's guide) are rendered for the page. A navigation with sections (whose
    state depends on the page) is rendered whole for every page, as Material does."""

    ROOT = "kv-nav-root"  # stands for the site's root in the entries rendered once
    _ITEM = ('{% import "partials/nav-item.html" as item with context %}'
             "{{ item.render(nav_item, path, 1) }}")

    def __init__(self, env: jinja2.Environment, config: MkDocsConfig, nav: Navigation):
        self.template = env.from_string(self._ITEM)
        self.items = list(nav.items)
        self.flat = all(item.is_page for item in self.items)
        self.spans: list[tuple[int, int]] = []
        self.folders: dict[str, list[int]] = {}  # top folder -> the entries in it
        self.text = ""
        if self.flat:
            base = {"config": config, "features": config.theme.get("features") or [],
                    "page": None, "base_url": self.ROOT}
            for n, item in enumerate(self.items):
                piece = self._render(base, item, n)
                self.spans.append((len(self.text), len(self.text) + len(piece)))
                self.text += piece
                self.folders.setdefault(_top(item.url), []).append(n)

    def _render(self, context: dict, item, n: int) -> str:
        return self.template.render({**context, "nav_item": item, "path": f"__nav_{n + 1}"})

    @jinja2.pass_context
    def __call__(self, context) -> Markup:
        values = context.get_all()
        if not self.flat:
            return Markup("".join(self._render(values, item, n)
                                  for n, item in enumerate(self.items)))
        page = values.get("page")
        base = values.get("base_url") or "."
        if page is None:  # the 404 page: links from the site's address, as Material has them
            prefix = base if base.endswith("/") else base + "/"
            return Markup(self.text.replace(f'"{self.ROOT}/', f'"{prefix}'))
        parts, done = [], 0
        for n in self.folders.get(_top(page.url), []):
            start, end = self.spans[n]
            parts += [self.text[done:start], self._render(values, self.items[n], n)]
            done = end
        parts.append(self.text[done:])
        prefix = "" if base == "." else base + "/"
        # The root itself as the way there ("..", "."), other pages after it ("../tilbud/").
        text = "".join(parts).replace(f'"{self.ROOT}/."', f'"{base}"')
        return Markup(text.replace(f'"{self.ROOT}/', f'"{prefix}'))


def _top(url: str) -> str:
    """A page's top folder: "tilbud/perron-4/" -> "tilbud", "" -> ""."""
    return url.split("/", 1)[0]
