"""Page specs: every page of the site as (URL, template, context), built from checked content.

This is where the site's shape is decided; ``render`` turns a spec into Markdown and the MkDocs
adapter hands that to MkDocs. The anchors a page will carry are listed here too, so that links can
be checked before anything is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kvalitet import urls
from kvalitet.glossary import by_letter, initial
from kvalitet.load import Site, StandardContent
from kvalitet.mdtext import escape, first_sentence
from kvalitet.model import Contact, Offer
from kvalitet.offers import by_area, jsonld, offers_data, opening_line, script_json

# Ids the templates give their own elements contain "_", which content ids never do.
TITLE_ID = "kv_titel"


@dataclass(frozen=True)
class Page:
    """One page: its address, template, what the template needs, and how MkDocs should treat it."""

    url: str
    template: str
    title: str
    description: str
    context: dict[str, Any]
    anchors: frozenset[str] = frozenset()
    nav_title: str | None = None  # shown in the navigation when set
    search: bool = True
    link_terms: bool = True
    hide: tuple[str, ...] = ()
    source: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StaticFile:
    """A file published as is (data, redirect pages)."""

    url: str
    content: str


def site_pages(site: Site) -> list[Page]:
    """Every page of the site, front page first."""
    pages = [front_page(site)]
    for std in site.standards:
        pages.append(standard_page(site, std))
    if site.offers.offers:
        pages.append(offers_page(site))
        pages += [offer_page(site, offer) for offer in site.offers.offers]
    if site.glossary.terms:
        pages.append(glossary_page(site))
    return pages


def static_files(site: Site) -> list[StaticFile]:
    """Files published next to the pages."""
    files = []
    if site.offers.offers:
        files.append(StaticFile(urls.offers_data(),
                                offers_data(site.offers.areas, site.offers.offers)))
    return files


def targets(site: Site) -> dict[str, frozenset[str]]:
    """Every address the site publishes, with the anchors on it."""
    found = {p.url: p.anchors | {TITLE_ID} for p in site_pages(site)}
    found.update({f.url: frozenset() for f in static_files(site)})
    return found


def letter_id(letter: str) -> str:
    special = {"Æ": "ae", "Ø": "oe", "Å": "aa", "#": "andre"}
    return "kv_bogstav_" + special.get(letter, letter.lower())


# --- pages ---------------------------------------------------------------------------------------

def front_page(site: Site) -> Page:
    muni = site.municipality
    published = {s.id: s for s in site.standards}
    listed = []
    for ref in muni.standards:
        std = published.get(ref.id) if ref.id else None
        listed.append({"title": ref.title, "law": ref.law,
                       "url": urls.standard(ref.id) if std else None,
                       "external": None if std else ref.url})
    listed_ids = {ref.id for ref in muni.standards}
    for std in site.standards:
        if std.id not in listed_ids:
            listed.append({"title": std.standard.title, "law": std.standard.law,
                           "url": urls.standard(std.id), "external": None})
    shortcuts = [{"title": s.standard.title, "url": urls.standard(s.id),
                  "text": s.standard.description} for s in site.standards]
    if site.offers.offers:
        shortcuts.append({"title": "Tilbud, du kan bruge", "url": urls.offers(),
                          "text": "Caféer, væresteder og andre tilbud: hvor de er, og om du "
                                  "kan møde op uden visitation."})
    if site.glossary.terms:
        shortcuts.append({"title": "Ordforklaring", "url": urls.glossary(),
                          "text": "Forklaringer på de ord, der bruges i kvalitetsstandarderne."})
    return Page(
        url=urls.front(), template="front.md.j2", title="Kvalitetsstandarder",
        description=f"{muni.name}s kvalitetsstandarder på det sociale område: hvad du kan "
                    "få hjælp til, hvem hjælpen er for, og hvordan du søger.",
        context={"municipality": muni, "standards": listed, "shortcuts": shortcuts},
        nav_title="Forside", hide=("toc",), source="content/municipality.yaml",
    )


def standard_page(site: Site, std: StandardContent) -> Page:
    standard = std.standard
    anchors = {s.id for s in standard.sections} | {
        old for s in standard.sections for old in s.former_ids}
    return Page(
        url=urls.standard(std.id), template="standard.md.j2", title=standard.title,
        description=standard.description,
        context={"standard": standard, "standard_id": std.id},
        anchors=frozenset(anchors), nav_title=standard.title, source=std.file,
    )


def glossary_page(site: Site) -> Page:
    groups = by_letter(site.glossary.terms)
    names = {t.id: t.term for t in site.glossary.terms}
    entries = [{"letter": letter, "letter_id": letter_id(letter),
                "terms": [{"term": t, "see_also": [{"title": names[s], "url": urls.glossary(s)}
                                                   for s in t.see_also]} for t in terms]}
               for letter, terms in groups]
    anchors = {t.id for t in site.glossary.terms} | {
        old for t in site.glossary.terms for old in t.former_ids} | {
        letter_id(initial(t)) for t in site.glossary.terms}
    return Page(
        url=urls.glossary(), template="glossary.md.j2", title="Ordforklaring",
        description="Forklaringer i et enkelt sprog på ord, der bruges i "
                    f"{site.municipality.name}s kvalitetsstandarder.",
        context={"groups": entries}, anchors=frozenset(anchors), nav_title="Ordforklaring",
        link_terms=False, hide=("toc",), source="content/glossary.yaml",
    )


def offers_page(site: Site) -> Page:
    groups = by_area(site.offers.areas, site.offers.offers)
    return Page(
        url=urls.offers(), template="offers.md.j2", title="Tilbud",
        description=f"Tilbud i {site.municipality.name}: caféer, væresteder og aktivitets- og "
                    "samværstilbud, og om du kan møde op uden visitation.",
        context={"groups": [{"group": g, "open": [_entry(o) for o in g.open],
                             "referred": [_entry(o) for o in g.referred]} for g in groups]},
        anchors=frozenset(g.id for g in groups), nav_title="Tilbud", hide=("toc",),
        source="offers.yaml",
    )


def _entry(offer: Offer) -> dict[str, Any]:
    return {"offer": offer, "url": urls.offer(offer.id),
            "summary": first_sentence(offer.description) if offer.description else None}


def offer_page(site: Site, offer: Offer) -> Page:
    muni = site.municipality
    names = {a.id: a.name for a in site.offers.areas}
    address = urls.absolute(muni.site_url, urls.offer(offer.id)) if muni.site_url else None
    facts_missing = [what for what, has in (("adresse", offer.address),
                                            ("åbningstider", offer.opening_hours),
                                            ("telefonnummer", offer.phone)) if not has]
    return Page(
        url=urls.offer(offer.id), template="offer.md.j2", title=offer.name,
        description=(first_sentence(offer.description) if offer.description
                     else f"{offer.kind} i {muni.name}."),
        context={"offer": offer, "municipality": muni,
                 "areas": [{"name": names[a], "url": urls.offers(a)} for a in offer.areas],
                 "hours": [opening_line(h) for h in offer.opening_hours],
                 "missing": facts_missing, "offers_url": urls.offers(),
                 "ask": [_contact_text(c) for c in muni.contacts]},
        search=True, source="offers.yaml",
        meta={"jsonld": script_json(jsonld(offer, muni, address))},
    )


def _contact_text(contact: Contact) -> str:
    """A contact as Markdown for running text: its name, and its phone as a link when known."""
    text = escape(contact.name)
    if contact.phone:
        text += f" (telefon [{escape(contact.phone)}](tel:{contact.phone.replace(' ', '')}))"
    return text


def tooltip(definition: str) -> str:
    """The short explanation shown when a reader points at or focuses a linked term."""
    return first_sentence(definition)
