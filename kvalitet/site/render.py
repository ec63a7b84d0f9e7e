"""Render page specs to Markdown through Jinja.

One Jinja environment for the whole run (built on first use). The templates produce Markdown, so
HTML autoescaping would protect nothing: plain-text values go through the ``md`` filter, editors'
Markdown (already refused if it holds HTML or unsafe links) through ``editor``, which also turns
links to the site's own pages into relative links that MkDocs checks.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from functools import cache

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)

from kvalitet import cachedir, mdtext, urls
from kvalitet.plain import genitive, join_list
from kvalitet.site.markup import page_marker
from kvalitet.site.spec import Page

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december")


def danish_date(value: dt.date) -> str:
    """2026-11-01 -> "1. november 2026"."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


@pass_context
def _href(context, url: str) -> str:
    """A link target for Markdown: relative for the site's own pages, quoted for others."""
    if mdtext.scheme(url) is not None:
        return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("<", "%3C")
    return urls.relative(context["page_url"], url)


@pass_context
def _editor(context, text: str, home: str | None = None, headings: list[str] | None = None
            ) -> str:
    """Editors' Markdown, with links to the site's own pages made relative to this page.

    ``home`` is the page the text was written for (relative links are read from there); it is
    this page unless the text is shown elsewhere too, as outcomes are on the guide overview.
    ``headings``: the ids the page plan gave the text's headings (``standard_pages``).
    """
    if headings:
        text = mdtext.with_heading_ids(text, headings)
    here = context["page_url"]
    base = home or here
    moved = context.get("moved", {})

    def relink(target: str) -> str:
        if mdtext.scheme(target) is not None:
            return target
        return urls.relative(here, urls.follow(moved, urls.resolve(base, target)))

    return mdtext.rewrite_links(text, relink)


def template_cache() -> str | None:
    """The folder for compiled templates (``cachedir``); None: Jinja's own in the temp folder."""
    found = cachedir.folder("jinja")
    return str(found) if found else None


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kvalitet", "templates"),
        # Compiled templates are kept between processes (every build is one): Jinja keys them by
        # the template's source and its own version (template_cache).
        bytecode_cache=FileSystemBytecodeCache(template_cache()),
        undefined=StrictUndefined,
        # Markdown output is not HTML (see the module docstring); the few HTML templates
        # (*.html.j2, the redirect pages) are escaped as HTML.
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown's explicit anchors "{#id}" would open Jinja comments: move comments aside.
        comment_start_string="<!--#",
        comment_end_string="#-->",
    )
    env.filters.update(md=mdtext.escape, editor=_editor, date=danish_date, genitive=genitive,
                       join_list=join_list)
    env.globals.update(href=_href)
    return env


REDIRECT_SCRIPT = "/assets/kvalitet-redirect.js"  # carries an old address's #anchor over


def redirect_script() -> str:
    """The script of the redirect pages (a file: the pages' CSP allows no inline script)."""
    return environment().loader.get_source(environment(), "redirect.js")[0]


def render_redirect(from_url: str, to_url: str, site_name: str) -> str:
    """The small Danish page at an old address (content/redirects.yaml), for hosts without real
    redirects: a meta refresh, a visible link, and a script (``redirect_script``) that carries
    the old address's #fragment over (unless the new address names its own). mkdocs-redirects
    writes English pages and keeps its map in mkdocs.yml, which must stay free of municipality
    content, so the engine writes these. Hosts with real redirects answer 301 instead
    (outputs.host)."""
    template = environment().get_template("redirect.html.j2")
    return template.render(target=urls.relative_href(from_url, to_url),
                           script=urls.relative_href(from_url, REDIRECT_SCRIPT),
                           site_name=site_name)


def render_page(page: Page, moved: dict[str, str] | None = None, pdfs: dict | None = None) -> str:
    """The page's Markdown, with its front matter. ``moved`` maps old page addresses to new ones
    (content/redirects.yaml): a link to an old address, e.g. in a frozen edition, goes straight
    to where the page lives now. ``pdfs``: the PDFs the publishing build made, by address."""
    context = {**page.context, "page_url": page.url, "page": page, "moved": moved or {},
               "pdfs": pdfs or {}}
    body = environment().get_template(page.template).render(context)
    # mkdocs-material prints the title and description into <head> and the header without
    # escaping them (MkDocs' theme environment does not autoescape), so they go in as HTML text.
    meta: dict[str, object] = {"title": html.escape(page.title),
                               "description": html.escape(page.description)}
    if not page.search:
        meta["search"] = {"exclude": True}
    if page.hide:
        meta["hide"] = list(page.hide)
    meta.update(page.meta)
    marker = page_marker(page.url, page.link_terms)
    return f"---\n{json.dumps(meta, ensure_ascii=False)}\n---\n\n{marker}\n\n{body}"
