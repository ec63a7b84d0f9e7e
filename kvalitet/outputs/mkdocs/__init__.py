"""The MkDocs adapter: the only package of the engine that imports MkDocs.

``hooks/kvalitet_hook.py`` hands MkDocs' events to the functions here. Content is loaded, checked
and rendered in ``on_config``, before MkDocs cleans its output folder, so a bad edit stops the build
with the editors' Danish messages and leaves the last good site as it was. MkDocs caches hook
modules (``mkdocs serve`` does not re-import them), so all per-build state is reset there.
``nav`` renders the navigation at a constant cost per page; ``session`` keeps MkDocs' state
between the preview's builds and rebuilds only the pages a save changed.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from kvalitet import urls
from kvalitet.build import SiteBuild, build_site, markup_settings
from kvalitet.files import write_atomic
from kvalitet.outputs import csp, stylesheet
from kvalitet.outputs.mkdocs.nav import NavItems
from kvalitet.plain import genitive
from kvalitet.problems import ContentError, Problem
from kvalitet.site import markup
from kvalitet.site.spec import Page

log = get_plugin_logger("kvalitet")  # under "mkdocs.", so --strict counts its warnings


@dataclass
class _Build:
    """The state of the build under way (reset in ``on_config``): what the engine made and what
    MkDocs made of it (the preview's session keeps them)."""

    site: SiteBuild | None = None
    config: MkDocsConfig | None = None
    files: Files | None = None
    nav: Navigation | None = None
    env: jinja2.Environment | None = None
    search: bool = True  # index the built site after the build (the preview does it later)
    prepared: SiteBuild | None = None  # made by the preview's session before the build
    index: Any = None  # the search index under way (outputs.search.LiveIndex)
    tokens: dict[str, set[str]] = field(default_factory=dict)  # what each page's HTML names
    policies: dict[str, Any] = field(default_factory=dict)  # each page's csp.Policy, by path
    pages: Any = None  # the pages being sealed (outputs.postpage.LivePages)
    rebuilds: Any = None  # the session's build.Rebuilds: on_config builds through it


current = _Build()
last_error: ContentError | None = None
"""The content errors of the last build (None when it loaded): MkDocs turns the PluginError into
its own Abort, so the preview (``outputs.preview``) reads the editors' problems here."""


def settings(built: SiteBuild) -> dict[str, Any]:
    """What ``on_config`` sets from the content: the site's name, description and address, the
    navigation, the footer's data and the glossary of the page extension. Every page shows it."""
    muni = built.site.municipality
    # The theme prints the name without escaping in most places (see render.render_page) and
    # with "| e" in a few: as Markup it is HTML text that "| e" leaves alone.
    return {
        "site_name": Markup(html.escape(muni.name)),
        "site_description": Markup(html.escape(f"{genitive(muni.name)} kvalitetsstandarder")),
        "site_url": muni.site_url.rstrip("/") + "/" if muni.site_url else None,
        "nav": [{html.escape(p.nav_title): urls.src_uri(p.url)} for p in built.pages
                if p.nav_title],
        "kommune": built.chrome,
        "markup": markup_settings(built.site),
    }


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global last_error
    prepared, rebuilds = current.prepared, current.rebuilds
    current.site = current.config = current.files = current.nav = current.env = None
    current.prepared = None
    last_error = None
    root = Path(config.config_file_path).parent
    try:
        built = prepared or (rebuilds.build()[0] if rebuilds else build_site(root))
    except ContentError as exc:
        last_error = exc
        raise PluginError(str(exc)) from None
    for advice in built.site.advice:
        log.info("Råd: %s", advice)
    current.site, current.config = built, config
    found = settings(built)
    if markup.NAME not in config.markdown_extensions:
        config.markdown_extensions.append(markup.NAME)
    config.mdx_configs[markup.NAME] = found["markup"]
    config.site_name = found["site_name"]
    config.site_description = found["site_description"]
    if not config.site_url and found["site_url"]:
        config.site_url = found["site_url"]
    config.nav = found["nav"]
    config.extra["kommune"] = found["kommune"]
    return config


def page_file(config: MkDocsConfig, page: Page, markdown_text: str) -> File:
    """The virtual source file of a page: in the navigation when it has a nav title; with
    repo_url and edit_uri in mkdocs.yml, "edit this page" opens the YAML it came from."""
    inclusion = InclusionLevel.UNDEFINED if page.nav_title else InclusionLevel.NOT_IN_NAV
    file = File.generated(config, urls.src_uri(page.url), content=markdown_text,
                          inclusion=inclusion)
    file.edit_uri = page.source
    return file


def on_files(files: Files, config: MkDocsConfig) -> Files:
    built = current.site
    assert built is not None, "on_config did not run"
    for page, markdown_text in zip(built.pages, built.markdown, strict=True):
        files.append(page_file(config, page, markdown_text))
    for static in built.static:
        files.append(File.generated(config, urls.static_src_uri(static.url),
                                    content=static.content))
    for url, path in built.pdfs.items():
        files.append(File.generated(config, url.lstrip("/"), abs_src_path=str(path)))
    current.files = files
    return files


class _Templates(jinja2.FileSystemBytecodeCache):
    """The theme's compiled templates, kept in memory between the builds of one process (the
    preview: MkDocs makes a new Jinja environment for every build, and compiling the theme's
    templates again took about a third of a second) and on disk between processes (every
    ``mkdocs build``), in the user's cache folder (``render.template_cache``). Jinja keys each
    entry by the template's source and its own version, so an edited template is compiled again."""

    def __init__(self) -> None:
        from kvalitet.site.render import template_cache

        super().__init__(template_cache())
        self.saved: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.saved:
            bucket.bytecode_from_string(self.saved[bucket.key])
        else:
            super().load_bytecode(bucket)
            if bucket.code is not None:
                self.saved[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.saved[bucket.key] = bucket.bytecode_to_string()
        super().dump_bytecode(bucket)


_TEMPLATES = _Templates()


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    current.nav = nav
    return nav


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    from kvalitet.outputs.postpage import LivePages
    from kvalitet.outputs.search import LiveIndex

    env.bytecode_cache = _TEMPLATES
    if current.nav is not None:
        env.globals["kv_nav_items"] = NavItems(env, config, current.nav)
    current.env = env
    # The pages are written next: they are indexed and sealed as they come, on the other core.
    current.pages = LivePages()
    if current.search:
        current.index = LiveIndex(Path(config.site_dir))
    return env


def on_pre_build(config: MkDocsConfig) -> None:
    current.tokens, current.policies = {}, {}


def on_post_page(output: str, page, config: MkDocsConfig) -> str:
    """The page, as MkDocs writes it, to the search index and to be sealed with its
    Content-Security-Policy and read for the style sheet (outputs.postpage)."""
    if current.index is not None:
        current.index.add(page.file.dest_uri, output)
    if current.pages is not None:
        current.pages.add(page.file.abs_dest_path, page.file.dest_uri, output)
    return output


def theme_dir(config: MkDocsConfig) -> Path:
    """The folder of Material's own files (its style sheet)."""
    return next(Path(d) for d in config.theme.dirs
                if (Path(d) / stylesheet.MATERIAL_CSS).exists())


def write_stylesheet(config: MkDocsConfig, tokens: set[str]) -> None:
    """The site's style sheet for pages that name ``tokens`` (outputs.stylesheet)."""
    target = Path(config.site_dir) / stylesheet.URL
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, stylesheet.stylesheet(theme_dir(config), Path(config.theme.custom_dir),
                                               tokens))


def on_post_build(config: MkDocsConfig) -> None:
    """The site's style sheet, from the pages MkDocs built (outputs.stylesheet), the search index
    of the pages as they were written (outputs.search), then every page sealed with its
    Content-Security-Policy and the hosts' files (outputs.host). What the policy would block is
    a warning, so ``--strict`` fails on it."""
    from kvalitet.outputs.host import finish

    built = current.site
    assert built is not None, "on_config did not run"
    pages, current.pages = current.pages, None
    for name, (tokens, policy, problems) in (pages.results() if pages else {}).items():
        current.tokens[name] = tokens
        if policy is not None:
            current.policies[name] = policy
        for problem in problems:
            log.warning(problem)
    write_stylesheet(config, set().union(*current.tokens.values()))
    found, current.index = current.index, None
    if found is not None:  # before the hosts' files: they name the index's files
        found.write()
    site_dir = Path(config.site_dir)
    others = [f for f in site_dir.rglob("*.html")
              if f.relative_to(site_dir).as_posix() not in current.policies]
    union = csp.Policy.union(current.policies.values())
    for problem in finish(built.site, site_dir, others, union):  # the 404 and redirect pages
        log.warning(problem)


def on_build_error(error: Exception) -> None:
    found, current.index = current.index, None
    if found is not None:
        found.close()
    pages, current.pages = current.pages, None
    if pages is not None:
        pages.close()


# --- one in-process build, for the preview -------------------------------------------------------

@dataclass
class Outcome:
    """What one preview build gave: the editors' content errors, MkDocs' own warnings and errors
    (English, and only for a developer: the loader checks everything editors can get wrong), and
    the content's advice."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    advice: list[Problem] = field(default_factory=list)
    pages: int | None = None  # the pages written (None: the whole site)
    site: Path | None = None  # the folder that holds the site (None: nothing was built)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.warnings


class Collect(logging.Handler):
    """MkDocs' warnings and errors of one build."""

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
    current.search = search
    collect = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        build(load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True))
    except Abort as exc:
        if not collect.messages and not last_error:
            collect.messages.append(str(exc))
    finally:
        logger.removeHandler(collect)
        current.search = True
        current.prepared = current.rebuilds = None
    errors = last_error.errors if last_error else []
    said = str(last_error) if last_error else None
    built = current.site
    return Outcome(errors, [m for m in collect.messages if m != said],
                   built.site.advice if built and not errors else [])
