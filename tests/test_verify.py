"""``kvalitet verify URL`` (kvalitet/outputs/verify.py) against real servers: it passes on the
published site under nginx (headers) and under a plain static server (meta tags, redirect pages,
a site under a path, as on GitHub Pages), names a page removed on purpose and an anchor gone,
notices a server block older than the site, and waits for a new deployment to spread."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from kvalitet.build import checked_site
from kvalitet.outputs import csp
from kvalitet.outputs import verify as verifying
from tests.test_host import DATE, MOVED, published, www  # noqa: F401 - fixtures
from tests.webservers import nginx


def run(project: Path, url: str, *options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kvalitet.cli", "--root", str(project),
                           "--date", DATE, "verify", url, *map(str, options)],
                          capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=120)


def test_verify_passes_under_nginx_with_the_headers_and_the_build(published):  # noqa: F811
    project, site = published
    with nginx(site, project, DATE) as base:
        result = run(project, base, "--headers", "--site", site)
    assert result.returncode == 0, result.stderr
    count = len(checked_site(project).published)
    assert f"Alt i orden på {base}: alle {count} udgivne adresser svarer" in result.stdout
    assert "sikkerhedsheadere" not in result.stdout


def test_verify_names_what_is_gone(published, www):  # noqa: F811
    project, site = published
    broken = www / "broken"
    shutil.copytree(site, broken)
    shutil.rmtree(broken / "ordforklaring")
    page = broken / "ledsagerordning" / "index.html"
    page.write_text(page.read_text("utf-8").replace('id="frister"', 'id="frist"'), "utf-8")
    with nginx(broken, project, DATE) as base:
        result = run(project, base)
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert "FEJL /ordforklaring/: svarer 404" in errors
    assert "FEJL /ledsagerordning/#frister: ankeret findes ikke på siden" in errors
    assert errors[-1] == f"{len(errors) - 1} fejl på {base}."


def test_verify_on_a_host_without_headers_or_redirects(published, serve, tmp_path):  # noqa: F811
    """GitHub Pages: a project site under /<repo>/, no headers, redirect pages for moved
    addresses; --headers says what is missing."""
    project, site = published
    shutil.copytree(site, tmp_path / "root" / "kvalitet")
    base = serve(tmp_path / "root") + "/kvalitet/"
    result = run(project, base, "--site", site)
    assert result.returncode == 0, result.stderr
    assert "Værten sender ingen sikkerhedsheadere" in result.stdout
    result = run(project, base, "--headers")
    assert result.returncode == 1
    assert "FEJL headeren Content-Security-Policy mangler" in result.stderr


def test_verify_follows_a_301_and_notices_a_stale_server_block(published, www):  # noqa: F811
    """The site is rebuilt with an inline style its server block was not made for (as when the
    theme's CSS changes): the header no longer allows what the pages use."""
    project, site = published
    newer = www / "newer"
    shutil.copytree(site, newer)
    style = "<style>.kv-ny{color:#1b1b1b}</style>"
    for page in newer.rglob("*.html"):
        text = page.read_text("utf-8")
        page.write_text(text.replace("</head>", style + "</head>", 1), "utf-8")
    union, problems = csp.seal_site(newer)
    assert problems == []
    added = csp.source_hash(style.removeprefix("<style>").removesuffix("</style>"))
    assert added in union.styles

    def stale(text: str) -> str:  # the block as it was made before the rebuild
        assert added in text
        return text.replace(f" {added}", "")

    with nginx(newer, project, DATE, change=stale) as base:
        result = run(project, base, "--headers")
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    pages = len({link.split("#")[0] for link in checked_site(project).published})
    # Said once for the whole server, not once per page; the moved address answered with its
    # 301 and its new page is among them.
    css = csp.read_policy((newer / "index.html").read_text("utf-8"))["style-src"]
    assert added in css
    assert errors[0] == (
        f"FEJL CSP-headeren tillader ikke style-src {added}, som siden bruger: serverens "
        "opsætning er ældre end sitet. Lav den igen (kvalitet host nginx/caddy), og genindlæs "
        f"serveren ({pages} sider, fx /)")
    assert "(findes ikke): CSP-headeren tillader ikke style-src" in errors[1]  # the 404 page
    assert len(errors) == 3 and errors[-1].startswith("2 fejl på")


def test_verify_waits_for_the_new_build_to_spread(published, serve, tmp_path,  # noqa: F811
                                                  monkeypatch):
    """Right after a deployment the host still serves the old site for a while: with --site
    the check waits for the new pages; without waiting it names what is not there yet."""
    project, site = published
    live = tmp_path / "live"
    shutil.copytree(site, live)
    front = (live / "index.html").read_text("utf-8")
    (live / "index.html").write_text(front.replace("</main>", "<p>gammel</p></main>"), "utf-8")
    shutil.rmtree(live / "tilbud" / "moedestedet")
    base = serve(live)
    links = checked_site(project).published
    monkeypatch.setattr(verifying, "PAUSE", 0.2)
    quiet: list[str] = []
    early = verifying.verify(base, links, site, wait=0, say=quiet.append)
    assert sorted(early.problems) == [
        "/: siden er endnu ikke den nye bygning (" + str(site) + ")",
        "/tilbud/moedestedet/: svarer 404"]

    def deploy():
        shutil.copytree(site / "tilbud" / "moedestedet", live / "tilbud" / "moedestedet")
        shutil.copy(site / "index.html", live / "index.html")

    timer = threading.Timer(1.0, deploy)
    timer.start()
    try:
        late = verifying.verify(base, links, site, wait=30, say=quiet.append)
    finally:
        timer.join()
    assert late.problems == []
    assert any(line.startswith("Forsøg 1: 2 fejl") for line in quiet), quiet
