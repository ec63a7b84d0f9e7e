"""MkDocs hook: hands MkDocs' events to the engine's adapter (see kvalitet/outputs/mkdocs/)."""

from kvalitet.outputs import mkdocs as adapter

on_config = adapter.on_config
on_files = adapter.on_files
on_nav = adapter.on_nav
on_env = adapter.on_env
on_pre_build = adapter.on_pre_build
on_post_page = adapter.on_post_page
on_post_build = adapter.on_post_build
on_build_error = adapter.on_build_error
