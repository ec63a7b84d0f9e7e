"""Hosting (kvalitet/outputs/host.py): a site published by ``kvalitet build`` is readable by a web
server's user, and Debian's nginx and Caddy, started with the blocks ``kvalitet host`` prints,
answer every locked address, move old addresses with a real 301, send the security headers,
cache what is named after its content and give the 404 page with status 404. Chromium under
nginx (header and meta tag) reports no CSP violation on any page of both fixture sites and finds
search results. The hosts' own files (_redirects, _headers, staticwebapp.config.json) say the
same."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kvalitet import urls
from kvalitet.build import checked_site
from kvalitet.outputs import csp, host
from kvalitet.outputs.verify import REQUIRED_HEADERS, fetch
from tests.helpers import FIXTURES, ROOT, edit, make_project
from tests.test_csp import WATCH, page_paths, search_finds, violations
from tests.webservers import caddy, host_block, nginx, public_folder

DATE = "2026-12-15"  # the versions fixture's day: editions superseded, current and scheduled
MOVED = ("/tilbud/ledsagerkorpset-gammel/", "/tilbud/ledsagerkorps/")


def kvalitet(*args, root: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "kvalitet.cli", "--root", str(root),
                             "--date", DATE, *map(str, args)], capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def www():
    with public_folder() as folder:
        yield folder


@pytest.fixture(scope="module")
def published(www, tmp_path_factory) -> tuple[Path, Path]:
    """(project, site): the versions fixture published by ``kvalitet build`` (PDFs, strict
    build, search, CSP) into a folder nginx's workers may read. Its lock also holds an address
    that has moved since (content/redirects.yaml sends it on)."""
    project = make_project(tmp_path_factory.mktemp("published") / "project",
                           FIXTURES / "versions")
    lock = project / "content/published-links.txt"
    lines = lock.read_text("utf-8").split()
    lock.write_text("\n".join(sorted({*lines, MOVED[0]})) + "\n", "utf-8")
    site = www / "published"
    kvalitet("build", "--site-dir", site, root=project)
    return project, site


@pytest.fixture(scope="module")
def on_nginx(published):
    project, site = published
    with nginx(site, project, DATE) as base:
        yield base


def test_the_published_site_is_readable_by_a_web_servers_user(published):
    _, site = published
    modes = {stat.S_IMODE(p.stat().st_mode) for p in [site, *site.rglob("*")] if p.is_dir()}
    assert modes == {0o755}
    assert {stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*") if p.is_file()} == {0o644}


def answers_as_the_content_says(base: str, project: Path, site: Path) -> None:
    """The checks both servers pass."""
    published = checked_site(project).published
    for path in sorted({urls.split(link)[0] for link in published}):
        answer = fetch(base + path.lstrip("/"))
        if path == MOVED[0]:
            assert (answer.status, answer.headers["Location"]) == (301, MOVED[1])
            continue
        assert answer.status == 200, path
        assert 'http-equiv="Content-Security-Policy"' in answer.body.decode("utf-8"), path
    front = fetch(base)
    for name in REQUIRED_HEADERS + ("X-Frame-Options",):
        assert front.headers.get(name), name
    header = csp.parse(front.headers["Content-Security-Policy"])
    assert header["frame-ancestors"] == ("'none'",)
    assert "'unsafe-inline'" not in header["script-src"] + header["style-src"]
    for path in page_paths(site):  # the header allows what every page's own policy allows
        page = site / urls.static_src_uri(path)
        own = csp.read_policy(page.read_text("utf-8"))
        assert set(own["script-src"]) <= set(header["script-src"]), path
        assert set(own["style-src"]) <= set(header["style-src"]), path
    assert front.headers["Cache-Control"] == host.REVALIDATE
    for asset in ("assets/stylesheets/" + next((site / "assets/stylesheets").glob("main.*")).name,
                  "pagefind/fragment/" + next((site / "pagefind/fragment").iterdir()).name):
        answer = fetch(base + asset)
        assert (answer.status, answer.headers["Cache-Control"]) == (200, host.IMMUTABLE), asset
        assert answer.headers.get("Content-Security-Policy"), asset
    missing = fetch(base + "findes-ikke/")
    assert missing.status == 404 and "Siden findes ikke" in missing.body.decode("utf-8")
    assert missing.headers.get("Content-Security-Policy")
    for name in host.HOST_FILES:
        assert fetch(base + name).status == 404, name
    folder = fetch(base + "tilbud")  # a folder without its slash: sent on, relatively
    assert folder.status in (301, 308) and folder.headers["Location"] == "/tilbud/"


def test_nginx_answers_as_the_content_says(published, on_nginx):
    answers_as_the_content_says(on_nginx, *published)


def test_caddy_answers_as_the_content_says(published):
    project, site = published
    with caddy(site, project, DATE) as base:
        answers_as_the_content_says(base, project, site)


def test_the_nginx_block_is_plain_http_for_a_tls_terminator(published):
    project, site = published
    block = host_block("nginx", site, 8080, project, DATE)
    lines = [line.strip() for line in block.splitlines()]
    assert [line for line in lines if line.startswith("listen")] == ["listen 127.0.0.1:8080;"]
    assert not [line for line in lines if line.startswith("ssl")]
    assert f"root {site.resolve()};" in lines
    assert "server_name kvalitet.example.org;" in lines
    assert any("TLS terminator" in line for line in lines if line.startswith("#"))
    assert f'location = {MOVED[0]} {{ return 301 "{MOVED[1]}"; }}' in lines


def test_the_hosts_files_say_the_same(published):
    _, site = published
    assert (site / "_redirects").read_text("utf-8") == f"{MOVED[0]} {MOVED[1]} 301\n"
    headers = (site / "_headers").read_text("utf-8")
    assert headers.startswith("/*\n  Content-Security-Policy: default-src 'none'; ")
    assert "frame-ancestors 'none'" in headers and "\n  Permissions-Policy: " in headers
    assert f"/pagefind/fragment/*\n  Cache-Control: {host.IMMUTABLE}\n" in headers
    assert headers.count("Cache-Control") == headers.count(host.IMMUTABLE)  # never on /*
    azure = json.loads((site / "staticwebapp.config.json").read_text("utf-8"))
    assert {"route": MOVED[0], "redirect": MOVED[1], "statusCode": 301} in azure["routes"]
    assert azure["responseOverrides"]["404"] == {"rewrite": "/404.html"}
    assert azure["globalHeaders"]["Content-Security-Policy"] == \
        headers.split("Content-Security-Policy: ", 1)[1].split("\n", 1)[0]


def test_a_project_site_has_its_path_in_every_rule(published, tmp_path):
    """A GitHub or GitLab project site lives under /<project>/: GitLab wants it in every rule."""
    project, site = published
    copy = make_project(tmp_path / "p", project)
    edit(copy / "content/municipality.yaml", "site_url: https://kvalitet.example.org/",
         "site_url: https://kommune.gitlab.io/kvalitet/")
    made = host.plan(checked_site(copy), site)
    assert host.redirects_file(made) == \
        "/kvalitet/tilbud/ledsagerkorpset-gammel/ /kvalitet/tilbud/ledsagerkorps/ 301\n"
    assert host.headers_file(made, ["/assets/stylesheets/*"]).startswith("/kvalitet/*\n")
    with pytest.raises(host.HostError, match="under /kvalitet/"):
        host.nginx(made)


def test_an_address_a_server_block_cannot_hold_is_refused():
    with pytest.raises(host.HostError):
        host._plain('/tilbud/x/#a"; return 200 "owned')


def test_with_host_redirects_the_host_answers_moved_addresses(published, www):
    project, _ = published
    site = www / "gitlab"
    kvalitet("build", "--site-dir", site, "--host-redirects", root=project)
    assert not (site / "tilbud" / "ledsagerkorpset-gammel").exists()
    assert (site / "_redirects").read_text("utf-8") == f"{MOVED[0]} {MOVED[1]} 301\n"
    with nginx(site, project, DATE) as base:
        assert fetch(base + MOVED[0].lstrip("/")).status == 301


# --- Chromium under nginx ------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("fixture", ["shipped", "second"])
def test_no_violation_under_nginx_and_search_works(fixture, request, www, tmp_path, browser,
                                                   serve):
    built = request.getfixturevalue(fixture)
    project = ROOT if fixture == "shipped" else make_project(tmp_path / "p", FIXTURES / "second")
    site = www / fixture
    shutil.copytree(built, site)
    paths = page_paths(site)
    canary = site / "canary" / "index.html"  # a page with a script nobody hashed
    canary.parent.mkdir()
    canary.write_text((site / "index.html").read_text("utf-8").replace(
        "</body>", "<script>document.title = 'injected'</script></body>"), "utf-8")
    frame = tmp_path / "frame"  # another site that would show the page in a frame
    with nginx(site, project) as base:
        assert violations(browser, base, paths) == {}
        assert search_finds(browser, base) > 0
        found = violations(browser, base, ["/canary/"])["/canary/"]
        assert any(v.startswith("script-src-elem inline") for v in found), found
        frame.mkdir()
        (frame / "index.html").write_text(f'<iframe src="{base}"></iframe>', "utf-8")
        page = browser.new_page()
        page.add_init_script(WATCH)
        said: list[str] = []
        page.on("console", lambda message: said.append(message.text))
        page.goto(serve(frame) + "/")
        page.wait_for_timeout(500)
        assert any("frame-ancestors 'none'" in text for text in said), said
        page.close()
