"""Offers: Danish opening hours, grouping, JSON-LD, the data export and the offer pages."""

from __future__ import annotations

import json
import re

import pytest

from kvalitet.build import checked_site
from kvalitet.content.model import Area, Offer, OfferFilter, OpeningHours
from kvalitet.site.offers import by_area, danish_days, listings, matches, opening_lines, script_json
from tests.helpers import FIXTURES, ROOT, article_text, copy_content, edit, read


def hours(days, opens="09:00", closes="15:00", note=None):
    return OpeningHours(days=days, opens=opens, closes=closes, note=note)


@pytest.mark.parametrize("days, text", [
    (["wed"], "Onsdag"),
    (["mon", "tue"], "Mandag og tirsdag"),
    (["mon", "tue", "wed", "thu"], "Mandag–torsdag"),
    (["thu", "mon", "wed", "tue"], "Mandag–torsdag"),
    (["mon", "wed", "fri"], "Mandag, onsdag og fredag"),
    (["mon", "tue", "wed", "fri", "sat", "sun"], "Mandag–onsdag og fredag–søndag"),
])
def test_days_in_danish(days, text):
    assert danish_days(days) == text


def test_opening_lines():
    assert opening_lines([hours(["mon", "tue", "wed", "thu"])]) == [
        "Mandag–torsdag kl. 9.00–15.00"]
    assert opening_lines([hours(["fri"], "10:30", "12:00", "Lukket i juli")]) == [
        "Fredag kl. 10.30–12.00 (Lukket i juli)"]
    lunch = [hours(["mon"], "09:00", "12:00"), hours(["mon"], "13:00", "24:00"),
             hours(["tue"], "09:00", "12:00")]
    assert opening_lines(lunch) == ["Mandag kl. 9.00–12.00 og 13.00–24.00",
                                    "Tirsdag kl. 9.00–12.00"]


def test_opening_hours_as_people_write_them():
    written = OpeningHours.model_validate({"days": ["Man-tors", "fredag"], "opens": "9",
                                           "closes": "15.30"})
    assert (written.days, written.opens, written.closes) == (
        ["mon", "tue", "wed", "thu", "fri"], "09:00", "15:30")
    assert OpeningHours.model_validate({"days": "mandag til onsdag, søn", "opens": "9:30",
                                        "closes": "24:00"}).days == ["mon", "tue", "wed", "sun"]
    assert OpeningHours.model_validate({"days": ["Hverdage"], "opens": "kl. 8",
                                        "closes": "16"}).days == ["mon", "tue", "wed", "thu",
                                                                  "fri"]


def test_every_address_and_hours_message_shows_the_whole_block(tmp_path):
    """Each message about an address or opening hours carries a complete example, and the
    example itself is valid content."""
    from kvalitet.content.examples import ADDRESS_EXAMPLE, HOURS_EXAMPLE
    from kvalitet.problems import ContentError

    content = copy_content(tmp_path / "c", FIXTURES / "second")
    edit(content / "offers.yaml", 'opens: "09:00"', "opens: 9,00")
    edit(content / "offers.yaml", 'postcode: "9999"', "postcode: 99")
    with pytest.raises(ContentError) as caught:
        checked_site(content)
    examples = {p.message.split(":")[1].strip(): p.example for p in caught.value.errors}
    assert [p.example for p in caught.value.errors] == [ADDRESS_EXAMPLE, HOURS_EXAMPLE], examples
    from kvalitet.content.reader import read_yaml
    from kvalitet.problems import Findings

    example = tmp_path / "example.yaml"
    example.write_text(f"{ADDRESS_EXAMPLE}\n{HOURS_EXAMPLE}\n", "utf-8")
    block, _ = read_yaml(example, "example.yaml", Findings())
    offer = Offer.model_validate({"id": "x", "name": "X", "kind": "k", "referral": "false",
                                  **block})
    assert opening_lines(offer.opening_hours) == [
        "Mandag–torsdag kl. 9.00–12.00 og 12.30–15.00", "Fredag kl. 9.00–13.00 (Lukket i juli)"]


def test_unquoted_time_is_read_as_written_never_as_minutes(tmp_path):
    content = copy_content(tmp_path / "c", FIXTURES / "second")
    edit(content / "offers.yaml", 'opens: "09:00"', "opens: 10:30")
    offer = checked_site(content).offers.offers[0]
    assert offer.opening_hours[0].opens == "10:30"
    edit(content / "offers.yaml", 'closes: "15:00"', "closes: 630")
    from tests.helpers import load_errors

    errors = load_errors(content)
    assert len(errors) == 1 and '"630" er ikke et klokkeslæt' in errors[0]
    assert errors[0].startswith("offers.yaml, linje 19:")


def offer(id, areas=(), referral=False):
    return Offer(id=id, name=id, kind="k", areas=list(areas), referral=referral)


def test_grouped_by_area_open_first_then_for_all():
    areas = [Area(id="a", name="A"), Area(id="b", name="B"), Area(id="c", name="C")]
    offers = [offer("x", ["a", "b"], referral=True), offer("y", ["a"]), offer("z")]
    groups = by_area(areas, offers)
    assert [(g.id, [o.id for o in g.open], [o.id for o in g.referred]) for g in groups] == [
        ("a", ["y"], ["x"]), ("b", [], ["x"]), ("kv_andre", ["z"], [])]


def test_filter_by_area_and_referral():
    wanted = OfferFilter(areas=["a"], referral=False)
    assert matches(offer("x", ["a"]), wanted)
    assert not matches(offer("x", ["b"]), wanted)
    assert not matches(offer("x", ["a"], referral=True), wanted)
    assert matches(offer("x"), wanted)  # an offer without areas is for everyone


def test_script_json_cannot_close_the_script_element():
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & <!--"}


def jsonld_of(html: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def test_full_offer_page_and_its_structured_data(second):
    html = read(second, "/tilbud/moedestedet/")
    text = article_text(html)
    for expected in ("Mødestedet", "Værested", "Du kan bare møde op", "Handicap",
                     "Eksempelvej 1, 9999 Eksempelby", "Mandag–torsdag kl. 9.00–15.00",
                     "Fredag kl. 9.00–12.00 (Lukket i juli)", "Gratis", "niveaufri adgang",
                     "Oplysningerne er sidst tjekket 1. oktober 2026."):
        assert expected in text, expected
    assert '<h1 id="kv_titel">Mødestedet' in html
    assert 'href="tel:70000001"' in html and 'href="mailto:moedestedet@example.org"' in html
    assert "Vi har ikke" not in text
    data = jsonld_of(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "GovernmentService"
    place = data["availableChannel"]["serviceLocation"]
    assert place["address"] == {"@type": "PostalAddress", "streetAddress": "Eksempelvej 1",
                                "postalCode": "9999", "addressLocality": "Eksempelby",
                                "addressCountry": "DK"}
    assert place["openingHoursSpecification"][0]["dayOfWeek"][0] == "https://schema.org/Monday"
    assert place["openingHoursSpecification"][1]["closes"] == "12:00"
    assert place["telephone"] == "70 00 00 01"
    assert data["url"] == "https://kvalitet.example.org/tilbud/moedestedet/"


def test_empty_offer_says_where_to_ask_and_invents_nothing(shipped):
    html = read(shipped, "/tilbud/perron-4/")
    text = article_text(html)
    assert "Vi har ikke adresse, åbningstider og telefonnummer på tilbuddet her." in text
    assert "Randers Kommunes hjemmeside" in text and 'href="https://www.randers.dk"' in html
    assert "Myndighed Handicap, Myndighed Psykiatri eller Myndighed Særlig Social Indsats" in text
    assert "tjekket" not in text and "tel:" not in html.split("md-footer")[0]
    place = jsonld_of(html)["availableChannel"]["serviceLocation"]
    assert set(place) == {"@type", "name"}


@pytest.mark.parametrize("fixture", ["shipped", "second"])
def test_every_offer_has_its_page_its_places_and_its_data(fixture, request):
    built = request.getfixturevalue(fixture)
    site = checked_site(ROOT if fixture == "shipped" else FIXTURES / "second")
    listing = read(built, "/tilbud/")
    data = json.loads((built / "data" / "tilbud.json").read_text("utf-8"))
    assert [o["id"] for o in data["offers"]] == [o.id for o in site.offers.offers]
    for item, model in zip(data["offers"], site.offers.offers, strict=True):
        assert item["page"] == f"/tilbud/{model.id}/"
        assert {k: v for k, v in item.items() if k != "page"} == model.model_dump(mode="json")
        jsonld_of(read(built, item["page"]))
        sections = [g.id for g in listings(site.offers) if model in g.open + g.referred]
        assert sections, model.id
        for section in sections:
            part = listing.split(f'<h2 id="{section}">')[1].split("<h2 ")[0]
            assert f'href="{model.id}/"' in part, (model.id, section)


def test_walk_in_offers_come_before_referred_ones(second):
    listing = read(second, "/tilbud/")
    part = listing.split('<h2 id="kv_andre">')[1]
    assert "Kræver visitation" in part


def test_offer_advice(tmp_path):
    content = copy_content(tmp_path / "c", FIXTURES / "second")
    edit(content / "offers.yaml", "verified: 2026-10-01", "verified: 2020-01-01")
    advice = [str(a) for a in checked_site(content).advice]
    assert any(a.startswith("offers.yaml, linje 29:") and "sidst tjekket 2020-01-01" in a
               and "over 12 måneder" in a for a in advice)
    assert any(a.startswith("offers.yaml, linje 30:") and '"ledsagerkorps" mangler adresse, '
               "åbningstider og kontakt" in a for a in advice)
