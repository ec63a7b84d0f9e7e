"""The Content-Security-Policy (kvalitet/outputs/csp.py): every page carries its own policy in a
meta tag before anything it loads, with a hash of each inline script and style it really has;
Chromium, with only that meta tag (a plain static server), runs every page of both fixture sites
and the search without one violation, and blocks what the policy does not allow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kvalitet.outputs import csp
from tests.helpers import FIXTURES, edit, make_project, mkdocs_build, wait_js
from tests.test_serve import preview  # noqa: F401 - the running preview, as a fixture

# Every violation the page reports, recorded before any of its own scripts runs (Playwright's
# init scripts are not subject to the page's policy).
WATCH = """window.__kvViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__kvViolations.push(
  e.effectiveDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));"""


def page_paths(site: Path, redirects: bool = False) -> list[str]:
    """The site path of every HTML page of a built site (the engine's redirect pages only when
    asked: they leave at once)."""
    found = []
    for file in sorted(site.rglob("*.html")):
        if "pagefind" in file.parts:
            continue
        if not redirects and 'http-equiv="refresh"' in file.read_text("utf-8"):
            continue
        rel = file.relative_to(site).as_posix()
        found.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return found


def violations(browser, base: str, paths: list[str], context_options: dict | None = None
               ) -> dict[str, list[str]]:
    """Per page: the CSP violations it reported and the console's messages about its policies
    (none is a page that ran as built)."""
    context = browser.new_context(**(context_options or {}))
    page = context.new_page()
    page.add_init_script(WATCH)
    said: list[str] = []
    page.on("console", lambda m: said.append(m.text) if (
        "Content Security Policy" in m.text or "Permissions-Policy" in m.text
        or "Refused to" in m.text) else None)
    found = {}
    for path in paths:
        said.clear()
        page.goto(base.rstrip("/") + path)
        page.wait_for_load_state("load")
        seen = page.evaluate("window.__kvViolations") + said
        if seen:
            found[path] = seen
    context.close()
    return found


def search_finds(browser, base: str, query: str = "klage") -> int:
    """How many results the header's search shows for ``query``."""
    page = browser.new_page()
    page.add_init_script(WATCH)
    page.goto(base.rstrip("/") + "/")
    page.fill("#kv-search-q", query)
    wait_js(page, "q => document.querySelector('[data-kv-status]').textContent.includes(q)",
            query)
    count = page.eval_on_selector_all("[data-kv-results] a", "links => links.length")
    assert page.evaluate("window.__kvViolations") == []
    page.close()
    return count


# --- sealing a page ------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<title>x</title>
<link rel="stylesheet" href="a.css">
<style>p{color:red}</style>
<script>document.title = "ran";</script>
<script type="application/ld+json">{"@type": "Thing"}</script>
<script type="module">document.body.dataset.module = "ran";</script>
</head>
<body><p>x</p><script src="b.js"></script></body>
</html>
"""


def test_the_tag_goes_first_and_hashes_what_runs():
    sealed = csp.seal(PAGE)
    assert sealed.problems == []
    head = sealed.html.split('<head>\n<meta charset="utf-8">', 1)[1]
    assert head.startswith('<meta http-equiv="Content-Security-Policy" content="')
    assert '<meta name="referrer" content="same-origin">' in head.split("<title>")[0]
    policy = csp.read_policy(sealed.html)
    scripts = [s for s in policy["script-src"] if s.startswith("'sha256-")]
    assert len(scripts) == 2  # the classic and the module script; not the JSON-LD data block
    assert csp.source_hash('document.title = "ran";') in scripts
    assert policy["style-src"] == ("'self'", csp.source_hash("p{color:red}"))
    text = sealed.policy.text()
    assert "'unsafe-inline'" not in text and "'unsafe-eval'" not in text
    assert "frame-ancestors" not in text  # a meta tag cannot carry it
    assert "frame-ancestors 'none'" in sealed.policy.text(header=True)


def test_sealing_again_replaces_the_tag():
    once = csp.seal(PAGE).html
    assert csp.seal(once).html == once
    changed = csp.seal(once.replace("p{color:red}", "p{color:blue}")).html
    assert changed.count("Content-Security-Policy") == 1
    assert csp.source_hash("p{color:blue}") in changed
    assert csp.source_hash("p{color:red}") not in changed


def test_what_no_hash_allows_is_reported():
    page = PAGE.replace("<p>x</p>", '<p style="color:red" onclick="go()">x</p>')
    problems = csp.seal(page).problems
    assert problems == ["<p style=…>: a style attribute", "<p onclick=…>: an inline event handler"]


def test_a_head_that_loads_before_the_charset_gets_the_tag_first():
    page = '<html><head><script src="x.js"></script><meta charset="utf-8"></head></html>'
    assert csp.seal(page).html.startswith('<html><head><meta http-equiv="Content-Security')
    with pytest.raises(ValueError):
        csp.seal("<p>no head</p>")


def test_every_built_page_carries_its_policy_first(shipped, second):
    for site in (shipped, second):
        for path in page_paths(site, redirects=True):
            file = site / path.lstrip("/")
            html = (file / "index.html" if path.endswith("/") else file).read_text("utf-8")
            head = html.split("<head>", 1)[1]
            before = head.split('<meta http-equiv="Content-Security-Policy"', 1)[0]
            assert "<script" not in before and "<style" not in before and "<link" not in before
            assert html.count('http-equiv="Content-Security-Policy"') == 1, path
            policy = csp.read_policy(html)
            assert policy and "'unsafe-inline'" not in policy["script-src"], path
            # The tag holds exactly what the page has inline (no more, no less).
            assert csp.seal(html).html == html, path


def test_a_template_with_a_style_attribute_fails_the_strict_build(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "second")
    edit(project / "overrides/partials/footer.html", "<footer",
         '<span style="color:red">x</span><footer')
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "index.html: <span style=…>: a style attribute, which the Content-Security-Policy " \
           "blocks" in result.output


# --- in the browser ------------------------------------------------------------------------------

@pytest.mark.browser
def test_the_browser_runs_what_was_hashed(tmp_path, serve, browser):
    """The hashes are the browser's own: line ends as a Windows editor writes them, a module,
    an SVG style; and what was not hashed is blocked."""
    page = PAGE.replace('document.title = "ran";', 'document.title =\r\n "ran";').replace(
        "<p>x</p>", '<svg><style>circle{fill:red}</style></svg><p>x</p>')
    (tmp_path / "index.html").write_text(csp.seal(page).html, "utf-8", newline="")
    canary = csp.seal(page).html.replace(
        "</body>", '<script>document.title = "injected";</script><p style="color:red">c</p>'
        "</body>")
    (tmp_path / "canary.html").write_text(canary, "utf-8", newline="")
    base = serve(tmp_path)
    assert violations(browser, base, ["/"]) == {}
    tab = browser.new_page()
    tab.goto(base + "/")
    assert tab.title() == "ran" and tab.evaluate("document.body.dataset.module") == "ran"
    tab.goto(base + "/canary.html")
    assert tab.title() == "ran"  # the injected script did not run
    tab.close()
    found = violations(browser, base, ["/canary.html"])["/canary.html"]
    assert any(v.startswith("script-src-elem inline") for v in found), found
    assert any(v.startswith("style-src-attr inline") for v in found), found


@pytest.mark.browser
@pytest.mark.parametrize("fixture", ["shipped", "second"])
def test_no_violation_on_any_page_with_the_meta_tag_alone(fixture, request, serve, browser):
    site = request.getfixturevalue(fixture)
    paths = page_paths(site)
    assert len(paths) > 10
    assert violations(browser, serve(site), paths) == {}
    assert search_finds(browser, serve(site)) > 0


@pytest.mark.browser
def test_a_redirect_page_carries_the_anchor_under_its_policy(versions, serve, browser):
    base = serve(versions)
    page = browser.new_page()
    page.add_init_script(WATCH)
    page.goto(base + "/tilbud/ledsagerkorpset-gammel/#kontakt")
    page.wait_for_url("**/tilbud/ledsagerkorps/#kontakt")
    wait_js(page, "document.readyState === 'complete'")
    assert page.evaluate("window.__kvViolations") == []
    page.close()


@pytest.mark.browser
def test_the_preview_keeps_the_policy_and_still_reloads(preview, browser):  # noqa: F811
    project, base, _ = preview
    paths = ["/", "/ledsagerordning/", "/tilbud/", "/ordforklaring/"]
    assert violations(browser, base, paths) == {}
    page = browser.new_page()
    page.add_init_script(WATCH)
    page.goto(base + "/ledsagerordning/")
    assert page.locator('script[src="/_kvalitet/reload.js"]').count() == 1
    assert page.evaluate("[...document.scripts].filter(s => !s.src && "
                         "s.textContent.includes('_kvalitet')).length") == 0
    edit(project / "content/standards/ledsagerordning/standard.yaml", "    title: Klage",
         "    title: Klager")
    wait_js(page, "document.querySelector('h2#klage').textContent.indexOf('Klager') === 0")
    assert page.evaluate("window.__kvViolations") == []
    page.close()


def test_sealing_a_copy_of_a_built_site_changes_nothing(shipped, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(shipped, copy)
    union, problems = csp.seal_site(copy)
    assert problems == []
    # the pages run no inline script and carry no inline style: the site's own are files
    assert not union.scripts and not union.styles
    for file in copy.rglob("*.html"):
        assert file.read_bytes() == (shipped / file.relative_to(copy)).read_bytes()
