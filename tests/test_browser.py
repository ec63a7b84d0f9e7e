"""The shipped standard page in headless Chromium: accessibility checked by axe-core."""

from __future__ import annotations

import pytest

from tests.helpers import axe_violations

pytestmark = pytest.mark.browser


def test_standard_page_has_no_wcag_violations(shipped, serve, browser):
    page = browser.new_page()
    page.goto(serve(shipped) + "/aktivitets-og-samvaerstilbud/")
    assert page.locator("h1").inner_text().startswith("Aktivitets- og samværstilbud")
    assert axe_violations(page) == []
    page.close()
