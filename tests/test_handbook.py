"""The editors' handbook (handbog/README.md) cannot go stale: its example files build a site,
and every message it quotes for a common mistake is the message the engine gives."""

from __future__ import annotations

import re

import pytest

from kvalitet.build import checked_site
from tests.helpers import ROOT, make_project, mkdocs_build
from tests.test_broken import expected, read_case

HANDBOOK = ROOT / "handbog" / "README.md"
_EXAMPLE = re.compile(r"<!-- eksempel: (\S+) -->\n```yaml\n(.*?)```", re.S)
_MISTAKE = re.compile(r"<!-- fejl: (\S+) -->\n((?:>.*\n?)+)")


def examples() -> dict[str, str]:
    return dict(_EXAMPLE.findall(HANDBOOK.read_text("utf-8")))


def mistakes() -> list[tuple[str, list[str]]]:
    found = []
    for case, quote in _MISTAKE.findall(HANDBOOK.read_text("utf-8")):
        lines = [ln[1:].strip() for ln in quote.splitlines()]
        found.append((case, [ln for ln in lines if ln]))
    return found


def test_handbook_has_an_example_of_every_file():
    assert set(examples()) == {
        "content/municipality.yaml", "content/glossary.yaml", "content/redirects.yaml",
        "content/standards/ledsagerordning/standard.yaml",
        "content/standards/ledsagerordning/guide.yaml", "offers.yaml"}


def test_handbook_examples_build_a_site(tmp_path):
    source = tmp_path / "source"
    for name, text in examples().items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    site = checked_site(source)
    offer = site.offers.offers[0]
    assert offer.address and offer.phone and offer.verified and len(offer.opening_hours) == 3
    offers = [str(a) for a in site.advice if "offers.yaml" in a.file]
    assert [a for a in offers if "eksempeltekst" not in a] == [
        'offers.yaml, linje 43: tilbuddet "ledsagerkorps" mangler adresse, åbningstider og '
        "kontakt (telefon, e-mail eller hjemmeside). Tilføj det, når oplysningerne er tjekket"]
    # copied as it stands, the handbook's example text is what it is: an example
    assert any('"street" indeholder "Eksempelvej", som er eksempeltekst fra håndbogen' in a
               for a in offers)
    project = make_project(tmp_path / "project", source)
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output, result.output
    page = (tmp_path / "site" / "tilbud" / "moedestedet" / "index.html").read_text("utf-8")
    assert "Mandag–torsdag kl. 9.00–12.00 og 12.30–15.00" in page


def test_handbook_lists_the_common_mistakes():
    assert len(mistakes()) >= 12


@pytest.mark.parametrize("case, quoted", mistakes(), ids=[c for c, _ in mistakes()])
def test_quoted_messages_are_the_real_ones(case, quoted):
    errors = expected(case)
    if errors:
        assert quoted == errors
    else:
        assert quoted and set(quoted) <= set(read_case(case).get("advice", []))


def test_readme_points_editors_to_the_handbook_and_the_format():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "handbog/README.md" in readme and "content-format.md" in readme
    assert (ROOT / "content-format.md").exists()
