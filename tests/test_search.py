"""The search (Pagefind, in the header): Danish stemming, results with their sections, nothing
fetched before the field gets focus, keyboard and screen reader use, and no dead control
without JavaScript."""

from __future__ import annotations

import pytest

from tests.helpers import article_text, axe_violations, read, searched, wait_js

pytestmark = pytest.mark.browser


def ask(page, query: str) -> list[str]:
    """Type a query in the header's search field; the result links (pages and sections)."""
    page.fill("#kv-search-q", query)
    wait_js(page, "q => document.querySelector('[data-kv-status]').textContent.includes(q)",
            query)
    return page.eval_on_selector_all("[data-kv-results] a", "links => links.map(a => a.href)")


def test_nothing_is_fetched_before_the_field_gets_focus(shipped, serve, browser):
    page = browser.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(serve(shipped) + "/aktivitets-og-samvaerstilbud/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in asked if "/pagefind/" in url]
    page.focus("#kv-search-q")
    wait_js(page, "() => performance.getEntriesByType('resource').some("
                  "e => e.name.includes('/pagefind/pagefind.js'))")
    page.close()


@pytest.mark.parametrize("query, base", [("sagsbehandleren", "sagsbehandler"),
                                         ("tilbuddene", "tilbud"),
                                         ("visitationen", "visitation")])
def test_an_inflected_word_finds_the_base_form(shipped, serve, browser, query, base):
    page = browser.new_page()
    start = serve(shipped)
    page.goto(start + "/")
    found = ask(page, query)
    pages = {url.removeprefix(start).split("#")[0] for url in found}
    # Danish stemming: some page has only the base form, not the word asked for.
    texts = {url: article_text(read(shipped, url)).lower() for url in pages}
    assert any(base in text and query not in text for text in texts.values()), texts.keys()
    page.close()


def test_a_result_links_to_the_section(shipped, serve, browser):
    page = browser.new_page()
    start = serve(shipped)
    page.goto(start + "/ordforklaring/")
    found = ask(page, "folkepensionist")
    assert start + "/aktivitets-og-samvaerstilbud/#folkepensionister" in found
    page.close()


def test_search_covers_what_it_did_before(shipped):
    """Pages kept out of search exactly as before: the guide's steps (its start page is in)."""
    covered = searched(shipped)
    assert "/aktivitets-og-samvaerstilbud/" in covered and "/tilbud/perron-4/" in covered
    assert "/aktivitets-og-samvaerstilbud/maalgruppe/" in covered
    assert "/aktivitets-og-samvaerstilbud/maalgruppe/voksen/" not in covered
    assert "/aktivitets-og-samvaerstilbud/maalgruppe-oversigt/" not in covered


def test_keyboard_and_screen_reader(shipped, serve, browser):
    page = browser.new_page()
    page.goto(serve(shipped) + "/")
    for _ in range(5):  # the skip link, the logo, ... the search field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "kv-search-q":
            break
    assert page.evaluate("document.activeElement.id") == "kv-search-q"
    page.keyboard.type("klage")
    wait_js(page, "document.querySelector('[data-kv-status]').textContent !== ''")
    status = page.locator("[data-kv-status]")
    assert status.get_attribute("role") == "status" and "for »klage«" in status.inner_text()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('[data-kv-results]') !== null")
    assert axe_violations(page) == []
    page.close()


def test_without_javascript_there_is_no_search_box(shipped, serve, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(serve(shipped) + "/")
    assert not page.locator("[data-kv-search]").is_visible()
    context.close()


def test_the_index_made_during_the_build_is_pagefinds_own(shipped, tmp_path):
    """The build hands each page to Pagefind's service as it is written (search.LiveIndex):
    the same pages and the same fragments as Pagefind's command run on the finished site."""
    import shutil

    from kvalitet.outputs.search import index

    site = tmp_path / "site"
    shutil.copytree(shipped, site, ignore=shutil.ignore_patterns("pagefind"))
    assert index(site) == len(list((shipped / "pagefind" / "fragment").iterdir()))
    fragments = sorted(p.name for p in (site / "pagefind" / "fragment").iterdir())
    assert fragments == sorted(p.name for p in (shipped / "pagefind" / "fragment").iterdir())
    for name in fragments:
        assert (site / "pagefind/fragment" / name).read_bytes() == (
            shipped / "pagefind/fragment" / name).read_bytes()
