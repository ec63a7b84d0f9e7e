"""The MkDocs adapter: the only module of the engine that imports MkDocs.

``hooks/kvalitet_hook.py`` hands MkDocs' events to the functions here. Content is loaded, checked
and rendered in ``on_config``, before MkDocs cleans its output folder, so a bad edit stops the build
with the editors' Danish messages and leaves the last good site as it was. MkDocs caches hook
modules (``mkdocs serve`` does not re-import them), so all per-build state is reset there.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from kvalitet.build import SiteBuild, build_site, markup_settings
from kvalitet.outputs import stylesheet
from kvalitet.problems import ContentError, Problem
from kvalitet.site import markup, urls
from kvalitet.site.plain import genitive

log = get_plugin_logger("kvalitet")  # under "mkdocs.", so --strict counts its warnings

_build: SiteBuild | None = None
_search = True  # index the built site for the search after the build (the preview does it later)
last_error: ContentError | None = None
"""The content errors of the last build (None when it loaded): MkDocs turns the PluginError into
its own Abort, so the preview (``outputs.preview``) reads the editors' problems here."""


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build, last_error
    _build = None
    last_error = None
    root = Path(config.config_file_path).parent
    try:
        built = build_site(root)
    except ContentError as exc:
        last_error = exc
        raise PluginError(str(exc)) from None
    for advice in built.site.advice:
        log.info("Råd: %s", advice)
    _build = built
    if markup.NAME not in config.markdown_extensions:
        config.markdown_extensions.append(markup.NAME)
    config.mdx_configs[markup.NAME] = markup_settings(built.site)
    muni = built.site.municipality
    # The theme prints these without escaping in most places (see render.render_page) and with
    # "| e" in a few: as Markup they are HTML text that "| e" leaves alone.
    config.site_name = Markup(html.escape(muni.name))
    config.site_description = Markup(html.escape(f"{genitive(muni.name)} kvalitetsstandarder"))
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
    for url, path in _build.pdfs.items():
        files.append(File.generated(config, url.lstrip("/"), abs_src_path=str(path)))
    return files


class _Templates(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory between the builds of one process (the
    preview): MkDocs makes a new Jinja environment for every build, and compiling the theme's
    templates again took about a third of a second. Jinja keys each entry by the template's
    source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.saved: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.saved:
            bucket.bytecode_from_string(self.saved[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.saved[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _Templates()


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    env.bytecode_cache = _TEMPLATES
    return env


_tokens: set[str] = set()  # what the built pages' HTML names (outputs.stylesheet)


def on_pre_build(config: MkDocsConfig) -> None:
    _tokens.clear()


def on_post_page(output: str, page, config: MkDocsConfig) -> str:
    _tokens.update(stylesheet.page_tokens(output))
    return output


def on_post_build(config: MkDocsConfig) -> None:
    """The site's style sheet, from the pages MkDocs built (outputs.stylesheet), the search index
    over them (outputs.search), then every page sealed with its Content-Security-Policy and the
    hosts' files (outputs.host). What the policy would block is a warning, so ``--strict`` fails
    on it."""
    from kvalitet.outputs.host import finish
    from kvalitet.outputs.search import index

    assert _build is not None, "on_config did not run"
    theme = next(Path(d) for d in config.theme.dirs if (Path(d) / stylesheet.MATERIAL_CSS).exists())
    target = Path(config.site_dir) / stylesheet.URL
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stylesheet.stylesheet(theme, Path(config.theme.custom_dir), set(_tokens)),
                      "utf-8")
    if _search:  # before the hosts' files: they name the index's files that may be cached long
        index(Path(config.site_dir))
    for problem in finish(_build.site, Path(config.site_dir)):
        log.warning(problem)


# --- one in-process build, for the preview -------------------------------------------------------

@dataclass
class Outcome:
    """What one preview build gave: the editors' content errors, MkDocs' own warnings and errors
    (English, and only for a developer: the loader checks everything editors can get wrong), and
    the content's advice."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    advice: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.warnings


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_once(config_file: Path, site_dir: Path, search: bool = True) -> Outcome:
    """A strict MkDocs build of the project in this process, into ``site_dir`` (without the
    search index when ``search`` is false). MkDocs' log goes to the outcome, not to the terminal
    (its logger drops a line it printed before, so an editor who makes the same mistake twice
    would not see it again)."""
    global _search
    _search = search
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        build(load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True))
    except Abort as exc:
        if not collect.messages and not last_error:
            collect.messages.append(str(exc))
    finally:
        logger.removeHandler(collect)
        _search = True
    errors = last_error.errors if last_error else []
    said = str(last_error) if last_error else None
    return Outcome(errors, [m for m in collect.messages if m != said],
                   _build.site.advice if _build and not errors else [])
