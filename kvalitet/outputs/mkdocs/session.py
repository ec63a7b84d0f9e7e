"""The preview's builds of one project, keeping MkDocs' state between them.

The first build, a build after a change that every page shows (the site's name, its
navigation, footer or glossary: ``adapter.settings``) and a build after a change to the theme or
mkdocs.yml are MkDocs' own whole build into a new folder. Every other build reads again only the
content files that changed (``build.Rebuilds``), runs every check, renders the Markdown of the
pages whose spec changed, and converts and writes only the pages whose Markdown changed (and the
data files that changed) into the folder of the build before. MkDocs' files, navigation, pages
(with their anchors, for the link checks) and theme are kept between builds.

The result is the site a whole build makes, byte for byte (tests/test_incremental.py): a page's
HTML depends only on its own Markdown and on what every page shows; what is made from all pages
is kept per page and made again from them: the sitemap when a page comes or goes, the style
sheet (outputs.stylesheet) when the classes, ids and elements the pages name change, and the
hosts' files (outputs.host) from the pages' Content-Security-Policies, each page sealed with
its own as a whole build seals it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import _build_theme_template, get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from kvalitet import urls
from kvalitet.build import Changes, Rebuilds, SiteBuild
from kvalitet.files import write_atomic
from kvalitet.outputs import csp, host, stylesheet
from kvalitet.outputs import mkdocs as adapter
from kvalitet.outputs.mkdocs.nav import NavItems
from kvalitet.problems import ContentError


@dataclass
class _State:
    """MkDocs' state after the last good build, and the folder that build wrote."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    settings: dict[str, Any]
    site_dir: Path
    tokens: dict[str, set[str]]  # what each page's HTML names (style sheet), by path in the site
    policies: dict[str, csp.Policy]  # each HTML file's policy, by its path in the site


class _Whole(Exception):
    """This change needs MkDocs' whole build."""


class Session:
    """Builds of the project of ``config_file`` for the preview (see the module's docstring)."""

    def __init__(self, config_file: Path):
        self.config_file = config_file
        self.rebuilds = Rebuilds(config_file.parent)
        self.state: _State | None = None

    def build(self, new_folder: Callable[[], Path], whole: bool = False) -> adapter.Outcome:
        """Build after a change. ``new_folder()`` gives an empty folder when the whole site is
        built; ``whole``: the theme or mkdocs.yml changed. The outcome names the folder that
        holds the site (``site``): the folder of the last build when only some pages were
        written, None when nothing was."""
        if whole or self.state is None:
            return self._whole(new_folder(), None)
        collect = adapter.Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        try:
            built, changes = self.rebuilds.build()
            if changes is None or adapter.settings(built) != self.state.settings or built.pdfs:
                raise _Whole
            written = self._apply(built, changes, collect)
        except ContentError as exc:
            return adapter.Outcome(exc.errors)
        except _Whole:
            logger.removeHandler(collect)
            return self._whole(new_folder(), self.rebuilds.last)
        except BaseException:
            self.state = None  # MkDocs' state may be half changed: build it whole next time
            raise
        finally:
            logger.removeHandler(collect)
        if collect.messages:
            self.state = None
            return adapter.Outcome([], collect.messages)
        return adapter.Outcome([], [], built.site.advice, pages=written, site=self.state.site_dir)

    def _whole(self, folder: Path, prepared: SiteBuild | None) -> adapter.Outcome:
        """MkDocs' own build into ``folder`` (of ``prepared`` when the engine's part is made)."""
        self.state = None
        adapter.current.prepared, adapter.current.rebuilds = prepared, self.rebuilds
        outcome = adapter.build_once(self.config_file, folder, search=False)
        done = adapter.current
        if outcome.ok and done.site and done.config and done.files and done.nav and done.env:
            policies = dict(done.policies)  # and the files sealed after the build:
            for file in folder.rglob("*.html"):
                name = file.relative_to(folder).as_posix()
                if name not in policies:
                    policies[name] = host.page_policy(file.read_text("utf-8"))
            self.state = _State(done.config, done.files, done.nav, done.env,
                                adapter.settings(done.site), folder, dict(done.tokens),
                                policies)
            outcome.site = folder
        return outcome

    def _apply(self, built: SiteBuild, changes: Changes, collect: adapter.Collect) -> int:
        """Convert and write the pages and files ``changes`` names; return how many pages.
        Nothing is written when MkDocs warns (``collect``)."""
        state = self.state
        assert state is not None
        config, files, nav = state.config, state.files, state.nav
        specs = {p.url: (p, text) for p, text in zip(built.pages, built.markdown, strict=True)}
        render: list[MkDocsPage] = []
        listed = bool(changes.removed)  # the list of pages changes: the sitemap too
        for url in sorted(changes.pages):
            page, text = specs[url]
            file = files.get_file_from_path(urls.src_uri(url))
            if file is None:
                file = adapter.page_file(config, page, text)
                files.append(file)
                MkDocsPage(None, file, config)
                listed = True
            elif bool(page.nav_title) != (file.page in nav.pages):
                raise _Whole  # its place in the navigation changed
            else:
                if file.edit_uri != page.source:  # "edit this page" opens another file now
                    if config.edit_uri or config.edit_uri_template:
                        raise _Whole  # MkDocs made the page's link from the old one
                    file.edit_uri = page.source
                file.content_string = text
            render.append(file.page)
        gone = []
        for url in changes.removed:
            file = files.get_file_from_path(urls.src_uri(url))
            files.remove(file)
            gone.append(file.abs_dest_path)
        writes: dict[str, bytes] = {}
        static = {f.url: f.content for f in built.static}
        for url in sorted(changes.static):
            src = urls.static_src_uri(url)
            file = files.get_file_from_path(src)
            if file is None:
                file = File.generated(config, src, content=static[url])
                files.append(file)
            else:
                file.content_string = static[url]
            writes[file.abs_dest_path] = static[url].encode("utf-8")
        for url in changes.removed_static:
            file = files.get_file_from_path(urls.static_src_uri(url))
            files.remove(file)
            gone.append(file.abs_dest_path)
        if listed or changes.static or changes.removed_static:
            state.files = files = _in_order(files, built)
        for page in render:
            _convert(page, config, files)
        doc_files = files.documentation_pages()
        level = config.validation.links.anchors
        for file in doc_files:
            if file.page is not None:
                file.page.validate_anchor_links(files=files, log_level=level)
        if any(page in nav.pages for page in render):  # their entries are rendered again
            state.env.globals["kv_nav_items"] = NavItems(state.env, config, nav)
        tokens = set().union(*state.tokens.values())
        for page in render:
            output = _html(page, config, doc_files, nav, state.env)
            state.tokens[page.file.dest_uri] = stylesheet.page_tokens(output)
            writes[page.file.abs_dest_path] = output.encode("utf-8", errors="xmlcharrefreplace")
        site_dir = Path(config.site_dir)
        for path, content in writes.items():  # every page sealed with its policy (outputs.csp)
            name = Path(path).relative_to(site_dir).as_posix()
            if name.endswith(".html"):
                sealed, problems = csp.seal_page(name, content.decode("utf-8"))
                collect.messages += problems
                if sealed is not None:
                    writes[path] = sealed.html.encode("utf-8")
                    state.policies[name] = sealed.policy
        for path in gone:
            name = Path(path).relative_to(site_dir).as_posix()
            state.tokens.pop(name, None)
            if path not in writes:
                state.policies.pop(name, None)
        gone = [path for path in gone if path not in writes]  # a page became a redirect page
        if collect.messages:
            return 0
        for path, content in writes.items():  # a request served meanwhile gets old or new
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(Path(path), content)
        for path in gone:
            _remove(Path(path), site_dir)
        if listed:
            _build_theme_template("sitemap.xml", state.env, files, config, nav)
        if set().union(*state.tokens.values()) != tokens:
            adapter.write_stylesheet(config, set().union(*state.tokens.values()))
        host.write_files(host.plan(built.site, site_dir,
                                   csp.Policy.union(state.policies.values())))
        return len(render)


def _in_order(files: Files, built: SiteBuild) -> Files:
    """The files in the order a whole build has them (MkDocs' and the theme's, then the pages
    and the static files as ``on_files`` adds them): the sitemap lists pages in this order."""
    ours = [urls.src_uri(p.url) for p in built.pages] + [
        urls.static_src_uri(f.url) for f in built.static]
    mine = set(ours)
    by_uri = files.src_uris
    return Files([f for f in files if f.src_uri not in mine] + [by_uri[u] for u in ours])


def _convert(page: MkDocsPage, config: MkDocsConfig, files: Files) -> None:
    """A page's Markdown to HTML, with the plugins' events, as MkDocs' build does."""
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config,
                                                        files=files)
        page.render(config, files)
        page.content = config.plugins.on_page_content(page.content, page=page, config=config,
                                                      files=files)
    finally:
        config._current_page = None


def _html(page: MkDocsPage, config: MkDocsConfig, doc_files, nav: Navigation,
          env: jinja2.Environment) -> str:
    """A converted page in the theme's template, as MkDocs' build writes it."""
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = config.plugins.on_post_page(template.render(context), page=page, config=config)
    finally:
        page.active = False
        config._current_page = None
    return output


def _remove(path: Path, root: Path) -> None:
    """Delete a file and the folders it leaves empty (never ``root``)."""
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != root and root in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
