"""Offers: opening hours in Danish, grouping by area, filters, JSON-LD and the data export."""

from __future__ import annotations

import json
from dataclasses import dataclass

from kvalitet import urls
from kvalitet.content.model import (
    DAYS,
    Area,
    Municipality,
    Offer,
    OfferFilter,
    OfferGroup,
    Offers,
    OpeningHours,
)
from kvalitet.plain import first_sentence, join_list, plain_text

DAY_NAMES = {"mon": "mandag", "tue": "tirsdag", "wed": "onsdag", "thu": "torsdag",
             "fri": "fredag", "sat": "lørdag", "sun": "søndag"}
SCHEMA_DAYS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
               "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
OTHERS = "kv_andre"  # the anchor of offers in no group or area ("_": never a content id)
OTHERS_NAME = "Andre tilbud"


def danish_time(value: str) -> str:
    """"09:00" -> "9.00" (Danish clock times use a full stop and no leading zero)."""
    hours, minutes = value.split(":")
    return f"{int(hours)}.{minutes}"


def danish_days(days: list[str]) -> str:
    """["mon", "tue", "wed", "fri"] -> "Mandag–onsdag og fredag"."""
    ordered = sorted(set(days), key=DAYS.index)
    runs: list[list[str]] = []
    for day in ordered:
        if runs and DAYS.index(day) == DAYS.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_NAMES[run[0]]}–{DAY_NAMES[run[-1]]}")
        else:
            parts += [DAY_NAMES[d] for d in run]
    text = join_list(parts)
    return text[0].upper() + text[1:]


def opening_lines(hours: list[OpeningHours]) -> list[str]:
    """The opening hours as Danish lines. Entries for the same days with the same note, one
    after the other, share a line (a lunch break): "Mandag–torsdag kl. 9.00–12.00 og
    12.30–15.00"."""
    groups: list[list[OpeningHours]] = []
    for entry in hours:
        last = groups[-1][-1] if groups else None
        if last and last.days == entry.days and last.note == entry.note:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    lines = []
    for group in groups:
        times = join_list([f"{danish_time(h.opens)}–{danish_time(h.closes)}" for h in group])
        line = f"{danish_days(group[0].days)} kl. {times}"
        lines.append(f"{line} ({group[0].note})" if group[0].note else line)
    return lines


def matches(offer: Offer, wanted: OfferFilter) -> bool:
    """Whether an offer fits a guide outcome's filter. An offer without areas is for everyone."""
    if wanted.referral is not None and offer.referral != wanted.referral:
        return False
    if wanted.areas and offer.areas and not set(offer.areas) & set(wanted.areas):
        return False
    return True


@dataclass(frozen=True)
class Listing:
    """One heading on /tilbud/ and its offers: walk-in offers first, then referred ones."""

    id: str
    name: str
    open: list[Offer]
    referred: list[Offer]
    description: str | None = None


def _listing(id: str, name: str, members: list[Offer], description: str | None = None
             ) -> Listing:
    return Listing(id, name, [o for o in members if not o.referral],
                   [o for o in members if o.referral], description)


def by_area(areas: list[Area], offers: list[Offer]) -> list[Listing]:
    """One group per area that has offers (an offer in several areas is in each), then the
    offers without an area under a neutral heading."""
    groups = [_listing(a.id, a.name, [o for o in offers if a.id in o.areas]) for a in areas]
    groups.append(_listing(OTHERS, OTHERS_NAME, [o for o in offers if not o.areas]))
    return [g for g in groups if g.open or g.referred]


def by_group(groups: list[OfferGroup], offers: list[Offer]) -> list[Listing]:
    """The municipality's own groups (offers.yaml ``groups``) in order, then the offers that are
    in none. A group without offers still shows when it has a text (it may say where offers
    that are not listed are applied for)."""
    found = [_listing(g.id, g.name, [o for o in offers if o.group == g.id], g.description)
             for g in groups]
    found.append(_listing(OTHERS, OTHERS_NAME, [o for o in offers if not o.group]))
    return [g for g in found if g.open or g.referred or g.description]


def listings(offers: Offers) -> list[Listing]:
    """How /tilbud/ is divided: by the municipality's groups when it has any, else by area."""
    if offers.groups:
        return by_group(offers.groups, offers.offers)
    return by_area(offers.areas, offers.offers)


class OfferLists:
    """The site's offers as its pages list them, each worked out once per page plan: the
    entry of an offer in a list, the offers a guide outcome's filter matches (a site has many
    outcomes and few distinct filters) and the sections of /tilbud/."""

    def __init__(self, offers: Offers):
        self.offers = offers
        self.area_names = {a.id: a.name for a in offers.areas}
        self._entries: dict[str, dict] = {}
        self._matching: dict[tuple, list[Offer]] = {}
        self._listings: list[Listing] | None = None

    @property
    def listings(self) -> list[Listing]:
        if self._listings is None:
            self._listings = listings(self.offers)
        return self._listings

    def entry(self, offer: Offer) -> dict:
        """An offer in a list: what a list shows of it (its name, kind, whether it needs a
        referral, its areas' names and its first sentence) and its page. Only that, so a list
        is made again only when something it shows changes (see ``spec.Page``)."""
        found = self._entries.get(offer.id)
        if found is None:
            found = self._entries[offer.id] = {
                "name": offer.name, "kind": offer.kind, "referral": offer.referral,
                "url": urls.offer(offer.id), "areas": [self.area_names[a] for a in offer.areas],
                "summary": first_sentence(offer.description) if offer.description else None}
        return found

    def matching(self, wanted: OfferFilter) -> list[Offer]:
        """The offers that fit ``wanted``, in the order of offers.yaml."""
        key = (tuple(wanted.areas or ()), wanted.referral)
        if key not in self._matching:
            self._matching[key] = [o for o in self.offers.offers if matches(o, wanted)]
        return self._matching[key]


# --- structured data ------------------------------------------------------------------------------

def script_json(data: object) -> str:
    """JSON that is safe inside a <script> element: no "<", ">" or "&" can end or open a tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def jsonld(offer: Offer, muni: Municipality, page_address: str | None) -> dict:
    """schema.org description of an offer: a GovernmentService provided by the municipality, at
    a CivicStructure with its address, opening hours and phone where they are known."""
    place: dict = {"@type": "CivicStructure", "name": offer.name}
    if offer.address:
        place["address"] = {"@type": "PostalAddress", "streetAddress": offer.address.street,
                            "postalCode": offer.address.postcode,
                            "addressLocality": offer.address.city, "addressCountry": "DK"}
    if offer.opening_hours:
        place["openingHoursSpecification"] = [
            {"@type": "OpeningHoursSpecification",
             "dayOfWeek": [f"https://schema.org/{SCHEMA_DAYS[d]}" for d in h.days],
             "opens": h.opens, "closes": h.closes} for h in offer.opening_hours]
    if offer.phone:
        place["telephone"] = offer.phone
    if offer.email:
        place["email"] = offer.email
    if offer.url:
        place["url"] = offer.url
    data: dict = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": offer.name,
        "serviceType": offer.kind,
        "provider": {"@type": "GovernmentOrganization", "name": muni.name, "url": muni.website},
        "availableChannel": {"@type": "ServiceChannel", "serviceLocation": place},
    }
    if offer.description:
        data["description"] = " ".join(plain_text(offer.description).split())
    if page_address:
        data["url"] = page_address
    return data


def offers_data(areas: list[Area], offers: list[Offer]) -> str:
    """/data/tilbud.json: every offer with its contract keys and ``page``, its URL path."""
    items = []
    for offer in offers:
        item = offer.model_dump(mode="json", by_alias=True)
        item["page"] = urls.offer(offer.id)
        items.append(item)
    data = {"offers": items, "areas": [a.model_dump(mode="json") for a in areas]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
