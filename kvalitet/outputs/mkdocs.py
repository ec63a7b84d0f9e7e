"""The MkDocs adapter: the only module of the engine that imports MkDocs.

``hooks/kvalitet_hook.py`` hands MkDocs' events to the functions here. Content is loaded, checked
and rendered in ``on_config``, before MkDocs cleans its output folder, so a bad edit stops the build
with the editors' Danish messages and leaves the last good site as it was. MkDocs caches hook
modules (``mkdocs serve`` does not re-import them), so all per-build state is reset there.
"""

from __future__ import annotations

import html
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage

from kvalitet.build import SiteBuild, build_site
from kvalitet.problems import ContentError
from kvalitet.site import urls
from kvalitet.site.markup import PageMarkup
from kvalitet.site.pages import Page
from kvalitet.site.plain import genitive
from kvalitet.site.termlinks import TermLinker

log = get_plugin_logger("kvalitet")  # under "mkdocs.", so --strict counts its warnings

_build: SiteBuild | None = None
_pages: dict[str, Page] = {}  # virtual source file -> page spec, for per-page settings
_markup = PageMarkup()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = None
    _pages.clear()
    root = Path(config.config_file_path).parent
    try:
        built = build_site(root)
    except ContentError as exc:
        raise PluginError(str(exc)) from None
    for advice in built.site.advice:
        log.info("Råd: %s", advice)
    _build = built
    _pages.update({urls.src_uri(p.url): p for p in built.pages})
    _markup.linker = TermLinker(built.site.glossary.terms)
    config.markdown_extensions.append(_markup)
    muni = built.site.municipality
    # The theme prints these without escaping (see render.render_page): give it HTML text.
    config.site_name = html.escape(muni.name)
    config.site_description = html.escape(f"{genitive(muni.name)} kvalitetsstandarder")
    if not config.site_url and muni.site_url:
        config.site_url = muni.site_url.rstrip("/") + "/"
    config.nav = [{html.escape(p.nav_title): urls.src_uri(p.url)}
                  for p in built.pages if p.nav_title]
    config.extra["kommune"] = built.chrome
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _build is not None, "on_config did not run"
    for page, markdown in zip(_build.pages, _build.markdown, strict=True):
        inclusion = InclusionLevel.UNDEFINED if page.nav_title else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, urls.src_uri(page.url), content=markdown,
                              inclusion=inclusion)
        # With repo_url and edit_uri in mkdocs.yml, "edit this page" opens the YAML it came from.
        file.edit_uri = page.source
        files.append(file)
    for static in _build.static:
        files.append(File.generated(config, urls.static_src_uri(static.url),
                                    content=static.content))
    return files


def on_page_markdown(markdown: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
    spec = _pages.get(page.file.src_uri)
    if spec is not None and spec.link_terms:
        _markup.term_href = lambda term: urls.relative(spec.url, urls.glossary(term))
    else:
        _markup.term_href = None
    return markdown
