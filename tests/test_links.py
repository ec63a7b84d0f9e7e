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
    """Fails when the site publishes a link the committed list lacks: the publishing build
    (kvalitet build) records it; in this repository, run `kvalitet build` (or `kvalitet links
    --update`) and commit content/published-links.txt with the change."""
    assert links.unpublished(checked_site(ROOT)) == []


def test_lock_list_is_sorted_and_covers_sections_guide_offers_terms():
    site = checked_site(ROOT)
    listed = site.published
    assert listed == sorted(listed) and site.pending == []
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
    """The second municipality's content with its links recorded as published (as a publishing
    build leaves them)."""
    content = copy_content(tmp_path / "c", FIXTURES / "second")
    links.record(checked_site(content))
    return content


NEW = ["/ledsagerordning/#tidsfrister", "/ledsagerordning/udgaver/2026-03-01/#tidsfrister"]


def add_frister(content) -> None:
    edit(content / STD, "  - id: klage\n", "  - id: tidsfrister\n    title: Frister\n    body: x\n"
                                           "  - id: klage\n")


def test_a_new_address_is_listed_as_coming_and_may_be_marked_pending(locked, capsys):
    add_frister(locked)
    assert links.unlisted(checked_site(locked)) == NEW
    assert main(["--root", str(locked), "links"]) == 0  # nothing to do before publishing
    out = capsys.readouterr().out
    assert "+ /ledsagerordning/#tidsfrister" in out
    assert "2 adresser udgives første gang ved den næste udgivelse" in out
    assert checked_site(locked).advice == checked_site(FIXTURES / "second").advice  # no advice
    path = locked / "content/published-links.txt"
    before = path.read_text("utf-8").splitlines()
    assert main(["--root", str(locked), "links", "--update"]) == 0
    after = path.read_text("utf-8").splitlines()
    assert sorted(set(after) - set(before)) == [f"{link} pending" for link in NEW]
    assert after == sorted(after)
    site = checked_site(locked)
    assert site.pending == NEW and links.unlisted(site) == [] and links.unpublished(site) == NEW


def test_a_pending_address_may_still_change_without_a_redirect(locked):
    """Correcting a new section's id (or a new standard's date) before anything is published
    needs no former id and no redirect; once published, it does."""
    add_frister(locked)
    main(["--root", str(locked), "links", "--update"])
    edit(locked / STD, "  - id: tidsfrister\n", "  - id: fristerne\n")
    assert load_errors(locked) == []
    main(["--root", str(locked), "links", "--update"])  # the stale pending lines go
    text = (locked / "content/published-links.txt").read_text("utf-8")
    assert "tidsfrister" not in text and "/ledsagerordning/#fristerne pending" in text
    links.record(checked_site(locked))  # published
    edit(locked / STD, "  - id: fristerne\n", "  - id: fristerne-nu\n")
    errors = load_errors(locked)
    assert errors and all("det udgivne link /ledsagerordning/" in e and "#fristerne " in e
                          for e in errors)


def test_a_file_without_markers_is_all_published(locked):
    """Older files have no "pending" marks: every line is a published address."""
    path = locked / "content/published-links.txt"
    assert "pending" not in path.read_text("utf-8")
    site = checked_site(locked)
    assert site.pending == [] and len(site.published) > 20
    assert site.published_lines[site.published[0]] == 1


def test_the_publishing_build_records_what_it_published(tmp_path, capfd):
    """No `make links` before publishing: `kvalitet build` publishes new addresses and records
    them (pending marks go); `--no-record` builds without recording; nothing is recorded when
    the build fails."""
    project = make_project(tmp_path / "p", FIXTURES / "second")
    links.record(checked_site(project))
    path = project / "content/published-links.txt"
    add_frister(project)
    main(["--root", str(project), "links", "--update"])
    pending = path.read_text("utf-8")
    capfd.readouterr()
    assert main(["--root", str(project), "build", "--site-dir", "site", "--no-record"]) == 0
    assert path.read_text("utf-8") == pending
    assert (project / "site" / "ledsagerordning" / "index.html").exists()
    capfd.readouterr()
    assert main(["--root", str(project), "build", "--site-dir", "site"]) == 0
    out = capfd.readouterr().out
    assert "2 adresser er udgivet for første gang og nu låst i content/published-links.txt:" in out
    assert "+ /ledsagerordning/#tidsfrister" in out
    recorded = path.read_text("utf-8").splitlines()
    assert "pending" not in "\n".join(recorded) and set(NEW) <= set(recorded)
    assert recorded == sorted(recorded)
    capfd.readouterr()
    assert main(["--root", str(project), "build", "--site-dir", "site"]) == 0
    assert "udgivet for første gang" not in capfd.readouterr().out  # nothing new the 2nd time
    edit(project / STD, "  - id: tidsfrister\n", "  - id: fristerne\n")  # now it is protected
    assert main(["--root", str(project), "build", "--site-dir", "site"]) == 1
    assert "det udgivne link /ledsagerordning/#tidsfrister har ikke længere et mål" in \
        capfd.readouterr().err
    assert path.read_text("utf-8").splitlines() == recorded


def _errors(content):
    from kvalitet.build import check_plan
    from kvalitet.content.checks import check_site
    from kvalitet.content.load import load_site
    from kvalitet.problems import Findings

    findings = Findings()
    site = load_site(content, findings)
    check_site(site, findings)
    if not findings.errors:
        check_plan(site, findings)
    return findings.errors


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
        "har ikke længere et mål, så links i breve og på andre sider vil ikke virke. Har "
        'afsnittet "Klage" fået et nyt id ("klager"), så skriv det gamle id under former_ids i '
        "content/standards/ledsagerordning/standard.yaml (i browseren: feltet \"Tidligere "
        "id'er\"), som herunder; ellers behold id'et \"klage\""
        for link in ("/ledsagerordning/#klage", "/ledsagerordning/udgaver/2026-03-01/#klage")]
    site_errors = _errors(locked)
    assert {e.example for e in site_errors} == {"  - id: klager\n    former_ids: [klage]"}


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
    assert "Har tilbuddet fået den nye adresse /tilbud/moedestedet-nord/" in errors[0]
    assert [e.example for e in _errors(locked)] == [
        "redirects:\n  - from: /tilbud/moedestedet/\n    to: /tilbud/"]
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


def test_headings_in_a_text_get_transliterated_anchors_that_links_reach(tmp_path):
    """A "### Formål" in a section's text gets an anchor made like every other id: unique on the
    page (the section "formaal" has #formaal), with Danish letters written out, checked by the
    strict build like any anchor, and locked once published."""
    project = make_project(tmp_path / "p", FIXTURES / "second")
    edit(project / STD, "      Du skal være mellem 18 og 67 år. Læs også [formålet](#formaal).\n",
         "      Du skal være mellem 18 og 67 år. Læs også [formålet](#formaal).\n\n"
         "      ### Formål\n\n      Tekst.\n\n      ### Ældre og pårørende\n\n"
         "      Se [ældre](#aeldre-og-paaroerende) og [formål](/ledsagerordning/#formaal-2).\n")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    html = read(tmp_path / "site", "/ledsagerordning/")
    assert re.search(r'<h3 id="formaal-2">Formål', html)
    assert re.search(r'<h3 id="aeldre-og-paaroerende">Ældre og pårørende', html)
    assert 'id="formal"' not in html and 'id="ldre-og-prrende"' not in html
    links.record(checked_site(project))
    edit(project / STD, "      ### Ældre og pårørende\n", "      ### Ældre\n")
    errors = load_errors(project)
    assert any("det udgivne link /ledsagerordning/#aeldre-og-paaroerende har ikke længere et "
               "mål" in e for e in errors), errors
