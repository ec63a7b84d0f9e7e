"""The shipped standard page in headless Chromium: accessibility checked by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers import axe_violations

pytestmark = pytest.mark.browser


def test_standard_page_has_no_wcag_violations(shipped, serve, browser):
    page = browser.new_page()
    page.goto(serve(shipped) + "/aktivitets-og-samvaerstilbud/")
    assert page.locator("h1").inner_text().startswith("Aktivitets- og samværstilbud")
    assert axe_violations(page) == []
    page.close()


def test_guide_reaches_every_outcome_by_clicking_without_javascript(shipped, serve, browser):
    from kvalitet.build import checked_site
    from kvalitet.content.guide import guide_paths
    from tests.helpers import ROOT

    guide = checked_site(ROOT).standard("aktivitets-og-samvaerstilbud").guide
    shortest = {}
    for path in guide_paths(guide):
        if path.outcome not in shortest or len(path.steps) < len(shortest[path.outcome].steps):
            shortest[path.outcome] = path
    assert set(shortest) == set(guide.outcomes)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for outcome, path in shortest.items():
        page.goto(serve(shipped) + "/aktivitets-og-samvaerstilbud/maalgruppe/")
        page.get_by_role("link", name="Start guiden").click()
        for step in path.steps:
            assert page.locator("h1").inner_text().startswith(guide.questions[step.question].text)
            page.locator(".kv-answers").get_by_role("link", name=step.answer, exact=True).click()
        assert page.url.endswith(f"/maalgruppe/{outcome}/")
        assert page.locator("h1").inner_text().startswith(guide.outcomes[outcome].title)
        assert page.get_by_text("Det er ikke en afgørelse.").is_visible()
    context.close()


def test_copy_link_copies_the_section_address_and_announces_it(shipped, serve, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    base = serve(shipped)
    page.goto(base + "/aktivitets-og-samvaerstilbud/")
    name = "Kopiér link til afsnittet: Hvem omfatter denne støtte?"
    page.get_by_role("button", name=name).click()
    assert page.evaluate("navigator.clipboard.readText()") == \
        base + "/aktivitets-og-samvaerstilbud/#maalgruppe"
    expect(page.get_by_role("status")).to_have_text("Link kopieret")
    assert page.get_by_role("button", name="Udskriv").is_visible()
    # A sub-section's heading has its own button, right under it.
    name = "Kopiér link til afsnittet: Særligt vedr. folkepensionister"
    button = page.get_by_role("button", name=name)
    assert button.evaluate("b => b.previousElementSibling.id") == "folkepensionister"
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == \
        base + "/aktivitets-og-samvaerstilbud/#folkepensionister"
    context.close()


def test_without_javascript_headings_keep_their_permalinks(shipped, serve, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(serve(shipped) + "/aktivitets-og-samvaerstilbud/")
    assert page.get_by_role("button", name="Kopiér link").count() == 0
    permalink = page.get_by_role("link", name="Link til afsnittet: Hvem omfatter denne støtte?")
    assert permalink.get_attribute("href") == "#maalgruppe"
    context.close()


def test_caseworkers_page_completes_addresses_with_javascript(shipped, serve, browser):
    page = browser.new_page()
    base = serve(shipped)
    page.goto(base + "/for-sagsbehandlere/")
    first = page.locator(".kv-address").first.inner_text()
    assert first == base + "/aktivitets-og-samvaerstilbud/"
    page.close()


def test_print_layout_of_the_standard(shipped, serve, browser):
    page = browser.new_page()
    page.goto(serve(shipped) + "/aktivitets-og-samvaerstilbud/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer',
        '.md-search', '.kv-copy'].map(s => {
          const el = document.querySelector(s);
          return el ? getComputedStyle(el).display : 'none'; })""")
    assert hidden == ["none"] * 5
    assert page.locator(".admonition.kort").first.is_visible()
    page.goto(serve(shipped) + "/aktivitets-og-samvaerstilbud/maalgruppe/psykiatri/")
    after = page.evaluate("""() => getComputedStyle(
        document.querySelector('.md-content a[href^="https://"]'), '::after').content""")
    assert "https://" in after
    page.close()


