"""The primary navigation at a constant cost per page (``kv_nav_items()`` in
overrides/partials/kv-nav.html)."""

from __future__ import annotations

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation


class NavItems:
    """Material's navigation entries at a constant cost per page (``kv_nav_items()`` in
    overrides/partials/kv-nav.html). Material renders the whole navigation for every page, so a
    build's time grew with pages × entries. Here every entry is rendered once per build by
    Material's own macro (partials/nav-item.html) with links from a stand-in for the site's
    root; a page gets that text with the stand-in replaced by its way to the root, and its own
    entry (active, with its table of contents) rendered for it. A navigation with sections
    (whose state depends on the page) is rendered whole for every page, as Material does."""

    ROOT = "kv-nav-root"  # stands for the site's root in the entries rendered once
    _ITEM = ('{% import "partials/nav-item.html" as item with context %}'
             "{{ item.render(nav_item, path, 1) }}")

    def __init__(self, env: jinja2.Environment, config: MkDocsConfig, nav: Navigation):
        self.template = env.from_string(self._ITEM)
        self.items = list(nav.items)
        self.flat = all(item.is_page for item in self.items)
        self.position = {id(item): n for n, item in enumerate(self.items)}
        self.spans: list[tuple[int, int]] = []
        self.text = ""
        if self.flat:
            base = {"config": config, "features": config.theme.get("features") or [], "page": None,
                    "base_url": self.ROOT}
            pieces = [self._render(base, item, n) for n, item in enumerate(self.items)]
            for piece in pieces:
                self.spans.append((len(self.text), len(self.text) + len(piece)))
                self.text += piece

    def _render(self, context: dict, item, n: int) -> str:
        return self.template.render({**context, "nav_item": item, "path": f"__nav_{n + 1}"})

    @jinja2.pass_context
    def __call__(self, context) -> Markup:
        values = context.get_all()
        if not self.flat:
            return Markup("".join(self._render(values, item, n)
                                  for n, item in enumerate(self.items)))
        text = self.text
        n = self.position.get(id(values.get("page")))
        if n is not None:
            start, end = self.spans[n]
            text = text[:start] + self._render(values, self.items[n], n) + text[end:]
        # As Material writes them: the root itself as the way there ("..", "." or "/"),
        # other pages after it ("../tilbud/", "tilbud/").
        base = values.get("base_url") or "."
        prefix = "" if base == "." else base if base.endswith("/") else base + "/"
        return Markup(text.replace(f'"{self.ROOT}/."', f'"{base}"').replace(
            f'"{self.ROOT}/', f'"{prefix}'))
