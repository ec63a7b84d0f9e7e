"""Light pages without errors: no Material JavaScript, one small style sheet of the site's own,
no console error on any page, and what Material's script did before still works without it
(the glossary tooltips on hover and focus, the mobile drawer, the table of contents)."""

from __future__ import annotations

import gzip
import re

import pytest

from tests.helpers import read, wait_js
from tests.test_accessibility import page_urls

pytestmark = pytest.mark.browser
STD = "/aktivitets-og-samvaerstilbud/"


def test_one_small_style_sheet_and_no_material_script(shipped):
    html = read(shipped, STD)
    head = html.split("</head>", 1)[0]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', head) == ["../assets/kvalitet.css"]
    assert "<style" not in head and "<script" not in head.replace('type="application/ld+json"', "")
    assert "bundle." not in html and "__md_" not in html and "__config" not in html
    css = (shipped / "assets" / "kvalitet.css").read_bytes()
    material = next((shipped / "assets" / "stylesheets").glob("main.*.min.css")).read_bytes()
    assert len(gzip.compress(css, 9)) < 0.7 * len(gzip.compress(material, 9))
    # The site's own rules are in it, and the Material rules the pages use.
    assert b".kv-search__panel" in css and b".md-header" in css and b".md-typeset" in css


def test_no_console_error_on_any_page(shipped, serve, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error"
            else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    base = serve(shipped)
    for url in page_urls(shipped):
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
    page.focus("#kv-search-q")  # the search loads its module and Pagefind without errors
    page.keyboard.type("pris")
    wait_js(page, "document.querySelector('[data-kv-status]').textContent !== ''")
    page.close()
    assert errors == []


TIP = """el => ({content: getComputedStyle(el, '::after').content,
                 shown: getComputedStyle(el, '::after').display !== 'none' &&
                        getComputedStyle(el, '::after').position === 'absolute'})"""


@pytest.mark.parametrize("javascript", [True, False])
def test_glossary_tooltip_on_hover_and_focus(shipped, serve, browser, javascript):
    context = browser.new_context(java_script_enabled=javascript,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(serve(shipped) + STD)
    term = page.locator("a.kv-term").first
    title = term.get_attribute("title")
    assert title and title.startswith("Kvalitetsstandard:")
    assert "none" in term.evaluate(TIP)["content"]  # nothing before hover or focus
    term.hover()
    tip = term.evaluate(TIP)
    assert tip["shown"] and title in tip["content"], tip
    if javascript:  # the browser's own tooltip would repeat it: the title waits meanwhile
        assert term.get_attribute("title") is None
        page.keyboard.press("Escape")
        assert "none" in term.evaluate("el => getComputedStyle(el, '::after').display")
    page.mouse.move(0, 0)
    assert term.get_attribute("title") == title
    term.focus()
    tip = term.evaluate(TIP)
    assert tip["shown"] and title in tip["content"], tip
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_drawer_and_contents_work_without_material_script(shipped, serve, browser, javascript):
    context = browser.new_context(java_script_enabled=javascript,
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(serve(shipped) + STD)
    nav = page.locator(".md-sidebar--primary")
    link = nav.locator('a[href="../ordforklaring/"]').first
    on_screen = "el => { const r = el.getBoundingClientRect(); return r.right > 0 && r.left < 390 }"
    assert not link.evaluate(on_screen)  # the drawer is closed
    page.locator(".md-header label[for='__drawer']").click()
    page.wait_for_timeout(400)  # the drawer slides in
    assert link.evaluate(on_screen)
    link.click()
    assert page.url.endswith("/ordforklaring/")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(serve(shipped) + STD)
    toc = page.locator(".md-sidebar--secondary a", has_text="Hvilke udgifter vil jeg have?")
    assert toc.is_visible()
    toc.click()
    assert page.url.endswith("#udgifter")
    context.close()
