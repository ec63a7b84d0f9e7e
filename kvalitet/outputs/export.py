"""``kvalitet export DIR``: the site as plain files that MkDocs, ProperDocs and Zensical build
alike, without the hook.

It is the same build as the hook's (``build.build_site``: one code path from content to
Markdown), written to disk: ``docs/`` with one Markdown file per page (front matter for the
title, description, hidden parts and search exclusion), the assets, the data files, the redirect
pages and the PDFs; ``overrides/``; and a ``mkdocs.yml`` made from the project's own, with the
hook's work written into it: the site name, an explicit nav, the pages left out of it, the theme
data of the footer and the glossary for the page extension. Then ``kvalitet search DIR/site``
indexes the built site for the search.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import yaml

from kvalitet import urls
from kvalitet.build import SiteBuild, build_site, markup_settings
from kvalitet.outputs import stylesheet
from kvalitet.plain import genitive
from kvalitet.site import markup

PARTS = ("docs", "overrides")  # copied as they are


def export(root: Path, dest: Path) -> SiteBuild:
    """Write the plain site tree of the project at ``root`` to ``dest`` (emptied first)."""
    built = build_site(root)
    if dest.exists():
        shutil.rmtree(dest)
    for part in PARTS:
        if (root / part).is_dir():
            shutil.copytree(root / part, dest / part,
                            ignore=shutil.ignore_patterns("__pycache__"))
    docs = dest / "docs"
    for page, text in zip(built.pages, built.markdown, strict=True):
        _write(docs / urls.src_uri(page.url), text)
    for static in built.static:
        _write(docs / urls.static_src_uri(static.url), static.content)
    for url, path in built.pdfs.items():
        target = docs / url.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    # The style sheet the page frame links: Material's whole (there are no pages to trim it by).
    import material

    _write(docs / stylesheet.URL, stylesheet.stylesheet(
        Path(material.__file__).parent / "templates", root / "overrides", None))
    config = settings(root, built)
    (dest / "mkdocs.yml").write_text(
        "# Written by `kvalitet export` from the project's mkdocs.yml and content: do not edit.\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100), "utf-8")
    return built


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def settings(root: Path, built: SiteBuild) -> dict:
    """The exported mkdocs.yml: the project's settings without the hook and the watch list,
    with what the hook sets at build time written in."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    config.pop("hooks", None)
    config.pop("watch", None)
    muni = built.site.municipality
    config["site_name"] = html.escape(muni.name)  # the theme prints it as HTML (see the hook)
    config["site_description"] = html.escape(f"{genitive(muni.name)} kvalitetsstandarder")
    if muni.site_url:
        config["site_url"] = muni.site_url.rstrip("/") + "/"
    config["nav"] = [{html.escape(p.nav_title): urls.src_uri(p.url)}
                     for p in built.pages if p.nav_title]
    config["not_in_nav"] = "\n".join(f"/{urls.src_uri(p.url)}" for p in built.pages
                                     if not p.nav_title)
    extensions = [e for e in config.get("markdown_extensions", [])
                  if e != markup.NAME and not (isinstance(e, dict) and markup.NAME in e)]
    extensions.append({markup.NAME: markup_settings(built.site)})
    config["markdown_extensions"] = extensions
    config.setdefault("extra", {})["kommune"] = built.chrome
    config.setdefault("theme", {})["variant"] = "classic"  # Zensical: Material's look
    return config
