"""The pages sealed and read for the style sheet in another process while MkDocs writes them
(outputs/postpage.py): the same result as doing it in the build's own process, also when the
worker stops."""

from __future__ import annotations

import shutil

from kvalitet.outputs import postpage


def _pages(site, tmp_path):
    """A copy of the shipped site's pages, as MkDocs wrote them (before they were sealed)."""
    found = []
    for file in sorted(site.rglob("index.html"))[:12]:
        name = file.relative_to(site).as_posix()
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(file, target)
        found.append((str(target), name, target.read_text("utf-8")))
    return found


def test_the_worker_finishes_pages_as_this_process_would(shipped, tmp_path):
    pages = _pages(shipped, tmp_path / "worker")
    live = postpage.LivePages()
    for page in pages:
        live.add(*page)
    results = live.results()
    here = _pages(shipped, tmp_path / "here")
    assert results == {name: postpage.finish_page(path, name, html) for path, name, html in here}
    for (path, _, _), (other, _, _) in zip(pages, here, strict=True):
        with open(path, "rb") as a, open(other, "rb") as b:
            assert a.read() == b.read()


def test_pages_the_worker_did_not_finish_are_finished_here(shipped, tmp_path):
    pages = _pages(shipped, tmp_path / "worker")
    live = postpage.LivePages()
    live.proc.kill()  # the worker is gone before the first page
    for page in pages:
        live.add(*page)
    results = live.results()
    here = _pages(shipped, tmp_path / "here")
    assert results == {name: postpage.finish_page(path, name, html) for path, name, html in here}
