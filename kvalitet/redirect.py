"""Redirect pages: a small Danish page at an old address that leads on to the new one.

mkdocs-redirects writes English pages and keeps its map in mkdocs.yml, which must stay free of
municipality content, so the engine writes these itself from content/redirects.yaml.
"""

from __future__ import annotations

import posixpath
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from kvalitet import urls


@cache
def _template():
    env = Environment(loader=PackageLoader("kvalitet", "templates"), autoescape=True,
                      undefined=StrictUndefined)
    return env.get_template("redirect.html.j2")


def relative_href(from_url: str, to_url: str) -> str:
    """A browser link from one published address to another (works under any sub-folder)."""
    to_path, anchor = urls.split(to_url)
    here = urls.split(from_url)[0]
    here_dir = here if here.endswith("/") else posixpath.dirname(here) + "/"
    rel = posixpath.relpath(to_path, here_dir)
    if to_path.endswith("/") and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def render_redirect(from_url: str, to_url: str, site_name: str) -> str:
    """The HTML of the page at ``from_url``: meta refresh, a visible link, and a script that
    carries the old address's #fragment over (unless the new address names its own)."""
    return _template().render(target=relative_href(from_url, to_url),
                              keep_fragment="#" not in to_url, site_name=site_name)
