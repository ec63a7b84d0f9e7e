"""Links that never break: the lock file, former ids, redirects, copy links, caseworkers' page."""

from __future__ import annotations

import re

import pytest

from kvalitet.build import checked_site
from kvalitet.cli import main
from kvalitet.site import links
from tests.helpers import (
    FIXTURES,
    ROOT,
    article_text,
    copy_content,
    edit,
    load_errors,
    make_project,
    mkdocs_build,
    read,
)

STD = "content/standards/ledsagerordning/standard.yaml"


def test_every_published_link_is_locked():
    """Fails when the site publishes a link the committed list lacks: run
    `kvalitet links --update` and commit content/published-links.txt with the change."""
    assert links.unlisted(checked_site(ROOT)) == []


def test_lock_list_is_sorted_and_covers_sections_guide_offers_terms():
    site = checked_site(ROOT)
    listed = site.published
    assert listed == sorted(listed)
    std = site.standard("aktivitets-og-samvaerstilbud")
    for section in std.standard.sections:
        assert f"/aktivitets-og-samvaerstilbud/#{section.id}" in listed
    for node in [*std.guide.questions, *std.guide.outcomes]:
        assert f"/aktivitets-og-samvaerstilbud/maalgruppe/{node}/" in listed
    for offer in site.offers.offers:
        assert f"/tilbud/{offer.id}/" in listed
    for term in site.glossary.terms:
        assert f"/ordforklaring/#{term.id}" in listed
    assert {"/", "/tilbud/", "/ordforklaring/", "/for-sagsbehandlere/"} <= set(listed)


@pytest.fixture
def locked(tmp_path):
    """The second municipality's content with its links locked."""
    content = copy_content(tmp_path / "c", FIXTURES / "second")
    assert main(["--root", str(content), "links", "--update"]) == 0
    return content


def test_new_link_is_caught_until_locked(locked, capsys):
    edit(locked / STD, "  - id: klage\n", "  - id: tidsfrister\n    title: Frister\n    body: x\n"
                                          "  - id: klage\n")
    assert links.unlisted(checked_site(locked)) == [
        "/ledsagerordning/#tidsfrister", "/ledsagerordning/udgaver/2026-03-01/#tidsfrister"]
    assert main(["--root", str(locked), "links"]) == 1
    assert "/ledsagerordning/#tidsfrister" in capsys.readouterr().out


def test_unlocked_addresses_are_advice_and_stop_publishing(tmp_path, capfd):
    """A new page is listed as advice by check and the preview, and the publishing build
    refuses until `make links` has locked it; then it publishes."""
    project = make_project(tmp_path / "p", FIXTURES / "second")
    assert main(["--root", str(project), "links", "--update"]) == 0
    edit(project / STD, "  - id: klage\n", "  - id: tidsfrister\n    title: Frister\n    body: x\n"
                                           "  - id: klage\n")
    advice = [str(a) for a in checked_site(project).advice]
    assert ("content/published-links.txt: 2 nye adresser er ikke låst, fx "
            "/ledsagerordning/#tidsfrister. Kør make links, og gem ændringen (commit), så "
            "adresserne er beskyttet mod at forsvinde. Siden kan ikke udgives, før de er låst"
            ) in advice
    capfd.readouterr()
    assert main(["--root", str(project), "build", "--site-dir", "site"]) == 1
    err = capfd.readouterr().err
    assert "Siden er ikke udgivet: 2 adresser er ikke låst i content/published-links.txt" in err
    assert "+ /ledsagerordning/#tidsfrister" in err
    assert not (project / "site").exists()
    assert main(["--root", str(project), "links", "--update"]) == 0
    assert main(["--root", str(project), "build", "--site-dir", "site"]) == 0
    assert (project / "site" / "ledsagerordning" / "index.html").exists()


def test_update_only_adds(locked):
    path = locked / "content/published-links.txt"
    before = path.read_text("utf-8").splitlines()
    edit(locked / STD, "  - id: klage\n", "  - id: tidsfrister\n    title: Frister\n    body: x\n"
                                          "  - id: klage\n")
    assert links.update(checked_site(locked)) == [
        "/ledsagerordning/#tidsfrister", "/ledsagerordning/udgaver/2026-03-01/#tidsfrister"]
    after = path.read_text("utf-8").splitlines()
    assert set(before) < set(after) and after == sorted(after)
    assert links.update(checked_site(locked)) == []


def _write(path, text):
    path.write_text(text, "utf-8")
    return path


def rename_klage(content, former: bool) -> None:
    edit(content / STD, "  - id: klage\n",
         "  - id: klager\n" + ("    former_ids: [klage]\n" if former else ""))
    edit(content / "content/standards/ledsagerordning/guide.yaml", "[maalgruppe, klage]",
         "[maalgruppe, klager]")


def test_renamed_section_without_former_ids_fails_naming_the_link(locked):
    rename_klage(locked, former=False)
    listed = (locked / "content/published-links.txt").read_text().splitlines()
    assert load_errors(locked) == [
        f"content/published-links.txt, linje {listed.index(link) + 1}: det udgivne link {link} "
        "har ikke længere et mål, så links i breve og på andre sider vil ikke virke. Behold "
        'id\'et "klage" i content/standards/ledsagerordning/standard.yaml, eller skriv "klage" '
        "under former_ids på det afsnit eller ord, der har overtaget indholdet"
        for link in ("/ledsagerordning/#klage", "/ledsagerordning/udgaver/2026-03-01/#klage")]


def test_former_id_keeps_the_old_anchor_working(locked, tmp_path):
    rename_klage(locked, former=True)
    assert load_errors(locked) == []
    project = make_project(tmp_path / "p", locked)
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    html = read(tmp_path / "site", "/ledsagerordning/")
    assert re.search(r'<div id="klage" class="kv-former"[^>]*></div>\s*'
                     r'<h2 class="kv-section" id="klager"', html)


def test_former_id_may_not_collide_with_a_current_id(locked):
    edit(locked / STD, "  - id: klage\n", "  - id: klage\n    former_ids: [formaal]\n")
    errors = load_errors(locked)
    assert len(errors) == 1 and 'afsnittet "formaal" findes allerede' in errors[0]


def test_removed_offer_fails_unless_redirected(locked, tmp_path):
    offers = locked / "offers.yaml"
    edit(offers, "  - id: moedestedet\n", "  - id: moedestedet-nord\n")
    errors = load_errors(locked)
    assert len(errors) == 1 and "det udgivne link /tilbud/moedestedet/" in errors[0]
    assert "content/redirects.yaml" in errors[0] and '"- from: /tilbud/moedestedet/"' in errors[0]
    _write(locked / "content/redirects.yaml",
           "redirects:\n  - from: /tilbud/moedestedet/\n    to: /tilbud/moedestedet-nord/\n")
    assert load_errors(locked) == []
    project = make_project(tmp_path / "p", locked)
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    page = read(tmp_path / "site", "/tilbud/moedestedet/")
    assert '<html lang="da">' in page
    assert '<meta http-equiv="refresh" content="0; url=../moedestedet-nord/">' in page
    assert '<a href="../moedestedet-nord/">gå til siden her</a>' in page
    # The #anchor is carried over by a file (the page's CSP allows no inline script).
    assert '<script src="../../assets/kvalitet-redirect.js"></script>' in page
    assert "location.replace" in read(tmp_path / "site", "/assets/kvalitet-redirect.js")
    assert "<script>" not in page and "script-src 'self' 'wasm-unsafe-eval';" in page


def test_redirect_to_a_missing_page_or_from_a_live_page_is_refused(locked):
    _write(locked / "content/redirects.yaml",
           "redirects:\n  - from: /tilbud/\n    to: /tilbud/findes-ikke/\n")
    errors = load_errors(locked)
    assert any("linje 2: /tilbud/ er en side, der findes nu" in e for e in errors)
    assert any('linje 3: "to: /tilbud/findes-ikke/" findes ikke på sitet' in e for e in errors)


def test_sections_carry_copy_link_markup_and_permalinks(shipped):
    html = read(shipped, "/aktivitets-og-samvaerstilbud/")
    for section in checked_site(ROOT).standard("aktivitets-og-samvaerstilbud").standard.sections:
        assert f'<h2 class="kv-section" id="{section.id}">' in html
        assert re.search(rf'<a aria-label="Link til afsnittet: [^"]+" class="headerlink" '
                         rf'href="#{section.id}"', html), section.id
    script = (shipped / "assets" / "kvalitet.js").read_text("utf-8")
    assert "Link kopieret" in script and "Kopiér link" in script


def test_caseworkers_page_lists_every_section(shipped, second):
    html = read(shipped, "/for-sagsbehandlere/")
    site = checked_site(ROOT)
    for std in site.standards:
        for section in std.standard.sections:
            assert f'href="../{std.id}/#{section.id}"' in html
            assert f">/<wbr>{std.id}/<wbr>#<wbr>{section.id}</span>" in html  # paths
    assert 'href="../aktivitets-og-samvaerstilbud/maalgruppe/"' in html
    assert 'href="../tilbud/"' in html
    full = read(second, "/for-sagsbehandlere/")  # site_url set: full addresses
    assert ("https:/<wbr>/<wbr>kvalitet.example.org/<wbr>ledsagerordning/<wbr>#<wbr>"
            "maalgruppe</span>") in full
    assert 'href="../for-sagsbehandlere/"' in read(shipped, "/tilbud/")  # footer link
    assert "Sæt dem ind i breve" in article_text(html)


def test_relpath_is_posixpath_relpath():
    """urls.relpath is a faster posixpath.relpath: the same answer for every pair of paths a
    site has (and ".", "..", "" and "//" parts, which it hands to posixpath)."""
    import itertools
    import posixpath

    from kvalitet import urls

    paths = [".", "index.md", "a", "a/index.md", "a/b", "a/b/index.md", "a/c/index.md",
             "b/a/index.md", "ab/index.md", "a/b/c/d.pdf", "data/x.json", "a/../b", "a//b",
             "./a", "tilbud/perron-4/index.md", "tilbud/index.md"]
    for target, start in itertools.product(paths, paths):
        assert urls.relpath(target, start) == posixpath.relpath(target, start), (target, start)
