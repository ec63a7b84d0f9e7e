"""Loading content: the shipped content loads; broken content gives Danish messages with lines."""

from __future__ import annotations

import pytest

from kvalitet.build import checked_site
from tests.helpers import FIXTURES, ROOT, copy_content, edit, load_errors

STD = "content/standards/aktivitets-og-samvaerstilbud/standard.yaml"


@pytest.fixture
def content(tmp_path):
    return copy_content(tmp_path / "c")


def test_shipped_content_loads_with_advice():
    site = checked_site(ROOT)
    standard = site.standard("aktivitets-og-samvaerstilbud").standard
    assert [s.id for s in standard.sections] == [
        "hvordan-laeser-jeg", "formaal-med-kvalitetsstandard", "faelles-opgave", "andre-aktoerer",
        "kvalitetsstandarder-paa-voksenomraadet", "formaal", "maalgruppe", "indhold",
        "udgifter", "leverandoer", "sagsbehandling", "svartid", "opfoelgning", "lovgrundlag"]
    maalgruppe = next(s for s in standard.sections if s.id == "maalgruppe")
    assert [s.id for s in maalgruppe.subsections] == ["folkepensionister"]
    assert [e.term for e in standard.glossary] == [
        "Ankestyrelsens praksis", "Funktionsniveau", "Funktionsnedsættelse",
        "Handlekommune efter serviceloven", "Helhedsorienteret indsats", "Skøn"]
    assert [(f.label, f.value) for f in standard.facts] == [
        ("Sagsbehandlingsfrist for ansøgninger", "8 uger"),
        ("Pris", "gratis (du kan betale for frivillige tilvalg, fx udflugter)"),
        ("Opfølgning på visiterede tilbud", "mindst én gang om året")]
    assert len(site.municipality.standards) == 10
    assert [c.name for c in site.municipality.contacts] == [
        "Myndighed Handicap", "Myndighed Psykiatri", "Myndighed Særlig Social Indsats"]
    advice = "\n".join(str(a) for a in site.advice)
    assert "accessibility_statement" in advice
    assert 'kontakten "myndighed-handicap" har hverken telefon eller e-mail' in advice


def test_no_invented_contact_facts():
    """The seed gives no phone numbers, addresses or opening hours: none are shipped."""
    site = checked_site(ROOT)
    assert not any(c.phone or c.email or c.hours for c in site.municipality.contacts)
    assert not any(o.address or o.opening_hours or o.phone or o.email or o.url
                   for o in site.offers.offers)
    assert site.municipality.accessibility_statement is None


def test_second_municipality_loads():
    site = checked_site(FIXTURES / "second")
    assert site.municipality.name == "Eksempel Kommune"


def test_missing_required_key_names_item_and_line(content):
    edit(content / STD, "    title: Hvem omfatter denne støtte?\n", "")
    assert load_errors(content) == [
        f'{STD}, linje 171: afsnittet "maalgruppe": mangler "title" (overskriften, som '
        'standarden skriver den). Tilføj en linje "title: …"']


def test_unknown_key_suggests_the_right_one(content):
    edit(content / STD, "    title: Hvem omfatter denne støtte?", "    titel: Hvem omfatter")
    errors = load_errors(content)
    assert len(errors) == 2
    assert errors[0].startswith(f'{STD}, linje 171: afsnittet "maalgruppe": mangler "title"')
    assert errors[1] == (f'{STD}, linje 172: afsnittet "maalgruppe": "titel" er ikke en kendt '
                         'nøgle her. Mente du "title"? Ret nøglen (nøgler skrives på engelsk)')


def test_every_error_of_every_file_is_reported(content):
    edit(content / STD, "  - id: formaal\n", "  - id: Formål\n")
    edit(content / "offers.yaml", "    referral: false", "    referral: nej")
    edit(content / "content/glossary.yaml", "  - id: skoen", "  - id: skoen\n    titel: x")
    errors = load_errors(content)
    assert any(e.startswith(f"{STD}, linje 161:") and '"Formål" kan ikke bruges som id' in e
               and 'fx "formaal"' in e for e in errors)
    assert any(e.startswith("offers.yaml, linje 36:") and '"nej" er ikke true eller false' in e
               for e in errors)
    assert any(e.startswith("content/glossary.yaml, linje") and '"titel"' in e for e in errors)


def test_markdown_link_to_missing_anchor_is_an_error(content):
    edit(content / STD, "Ankestyrelsens\n      praksis,",
         "[Ankestyrelsens praksis](/ordforklaring/#ankestyrelse),")
    errors = load_errors(content)
    assert len(errors) == 1
    assert errors[0].startswith(f"{STD}, linje")
    assert "har intet anker \"#ankestyrelse\"" in errors[0]
    assert 'Mente du "/ordforklaring/#ankestyrelsens-praksis"?' in errors[0]


def test_duplicate_section_id(content):
    edit(content / STD, "  - id: svartid", "  - id: udgifter")
    errors = load_errors(content)
    assert f'{STD}, linje 324: afsnittet "udgifter" findes allerede (som id). Giv hvert id sin ' \
        "egen værdi i hele standarden; et tidligere id må ikke bruges igen" in errors


def test_reserved_standard_id(content):
    (content / "content/standards/aktivitets-og-samvaerstilbud").rename(
        content / "content/standards/tilbud")
    edit(content / "content/municipality.yaml", "id: aktivitets-og-samvaerstilbud", "id: tilbud")
    errors = load_errors(content)
    assert errors == ['content/standards/tilbud: "tilbud" er et af sitets egne navne (assets, '
                      "data, for-sagsbehandlere, ordforklaring, search, tilbud). Omdøb mappen"]


def test_missing_municipality_file(content):
    (content / "content/municipality.yaml").unlink()
    assert load_errors(content) == [
        "content/municipality.yaml: filen findes ikke. Opret den, eller tjek filens navn og mappe"]


def test_not_https(content):
    edit(content / "content/municipality.yaml", "https://www.randers.dk", "http://www.randers.dk")
    errors = load_errors(content)
    assert errors == ['content/municipality.yaml, linje 3: "website": "http://www.randers.dk" er '
                      "ikke en gyldig https-adresse. Skriv hele adressen, begyndende med "
                      'https://, fx "https://www.kommune.dk"']


def test_links_in_the_source_note_are_checked_too(content):
    edit(content / STD, "  stavefejl er rettet.", "  stavefejl er rettet. Se [tilbud](/tilbudd/).")
    errors = load_errors(content)
    assert len(errors) == 1 and 'source_note: linket "/tilbudd/" virker ikke' in errors[0]


def test_an_invisible_character_in_an_id_is_removed_with_advice(content):
    """A zero-width space pasted after an id: the id works (links, anchors, the lock), and the
    editor is told (VS Code underlines it too: the schema's id pattern has no invisible
    characters)."""
    edit(content / "offers.yaml", "  - id: klub-85\n", "  - id: klub-85\u200b\n")
    site = checked_site(content)
    assert "klub-85" in [o.id for o in site.offers.offers]
    assert any(a.file == "offers.yaml" and 'tilbuddet "klub-85": "id" indeholder et usynligt '
               'tegn, mellemrum uden bredde, i "klub-85[mellemrum uden bredde]"' in a.message
               for a in site.advice), site.advice
