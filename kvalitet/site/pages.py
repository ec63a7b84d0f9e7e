"""Page specs: every page of the site as (URL, template, context), built from checked content.

This is where the site's shape is decided; ``render`` turns a spec into Markdown and the MkDocs
adapter hands that to MkDocs. The anchors a page will carry are listed here too, so that links can
be checked before anything is built.
"""

from __future__ import annotations

import html
from typing import Any

from kvalitet import urls
from kvalitet.content.load import Site, StandardContent
from kvalitet.content.model import Contact, Offer
from kvalitet.mdtext import escape
from kvalitet.plain import first_sentence, genitive
from kvalitet.site.glossary import by_letter, initial, sections_about, sorted_terms
from kvalitet.site.guide_pages import guide_pages
from kvalitet.site.offers import OfferLists, jsonld, offers_data, opening_lines, script_json
from kvalitet.site.render import danish_date
from kvalitet.site.searchwords import hidden
from kvalitet.site.spec import TITLE_ID, Page, StaticFile
from kvalitet.site.standard_pages import edition_pages, standard_page, standards_data


def site_pages(site: Site) -> list[Page]:
    """Every page of the site, front page first (planned once per loaded site: the link checks
    and the build both need them)."""
    if site.planned is None:
        site.planned = _plan(site)
    return site.planned


def _plan(site: Site) -> list[Page]:
    lists = OfferLists(site.offers)  # worked out once, used by the guides and /tilbud/
    pages = [front_page(site)]
    for std in site.standards:
        pages.append(standard_page(site, std))
        pages += edition_pages(site, std)
        if std.guide:
            pages += guide_pages(site, std, lists)
    if site.offers.offers:
        pages.append(offers_page(site, lists))
        pages += [offer_page(site, offer) for offer in site.offers.offers]
    if site.glossary.terms:
        pages.append(glossary_page(site))
    pages.append(caseworkers_page(site))
    return pages


def data_files(site: Site) -> list[StaticFile]:
    """Data for other systems."""
    found = [StaticFile(urls.standards_data(), standards_data(site))] if any(
        std.editions for std in site.standards) else []
    if site.offers.offers:
        found.append(StaticFile(urls.offers_data(),
                                offers_data(site.offers.areas, site.offers.offers)))
    return found


def _data_urls(site: Site) -> list[str]:
    """The addresses of ``data_files`` (without making them)."""
    return ([urls.standards_data()] if any(std.editions for std in site.standards) else []) + (
        [urls.offers_data()] if site.offers.offers else [])


def targets(site: Site) -> dict[str, frozenset[str]]:
    """Every address the site publishes, with the anchors on it (redirects not included)."""
    found = {p.url: p.anchors | {TITLE_ID} for p in site_pages(site)}
    found.update({url: frozenset() for url in _data_urls(site)})
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
    shortcuts = []
    for s in site.standards:
        shortcuts.append({"title": s.standard.title, "url": urls.standard(s.id),
                          "text": s.standard.description})
        if s.guide:
            shortcuts.append({"title": f"{s.guide.title} ({s.standard.title})",
                              "url": urls.guide_start(s.id),
                              "text": "Svar på nogle få spørgsmål, og se om tilbuddet måske er "
                                      "noget for dig, og hvad du kan gøre nu."})
    if site.offers.offers:
        shortcuts.append({"title": "Tilbud, du kan bruge", "url": urls.offers(),
                          "text": "Caféer, væresteder og andre tilbud, og om du kan møde op "
                                  "uden visitation."})
    if site.glossary.terms:
        shortcuts.append({"title": "Ordforklaring", "url": urls.glossary(),
                          "text": "Forklaringer på de ord, der bruges i kvalitetsstandarderne."})
    return Page(
        url=urls.front(), template="front.md.j2", title="Kvalitetsstandarder",
        description=f"{genitive(muni.name)} kvalitetsstandarder på det sociale område: hvad du "
                    "kan få hjælp til, hvem hjælpen er for, og hvordan du søger.",
        context={"municipality": muni, "standards": listed, "shortcuts": shortcuts},
        anchors=frozenset({"kvalitetsstandarder"}), nav_title="Forside", hide=("toc",),
        link_terms=False,  # the front page is a list of titles, not running text
        source="content/municipality.yaml",
    )


def glossary_page(site: Site) -> Page:
    groups = by_letter(site.glossary.terms)
    names = {t.id: t.term for t in site.glossary.terms}
    about = sections_about(site)
    entries = [{"letter": letter, "letter_id": letter_id(letter),
                "terms": [{"term": t, "about": about.get(t.id, []),
                           "index": hidden(site, t.id, (t.term, t.definition), t.search_words),
                           "see_also": [{"title": names[s], "url": urls.glossary(s)}
                                        for s in t.see_also]} for t in terms]}
               for letter, terms in groups]
    anchors = {t.id for t in site.glossary.terms} | {
        old for t in site.glossary.terms for old in t.former_ids} | {
        letter_id(initial(t)) for t in site.glossary.terms}
    return Page(
        url=urls.glossary(), template="glossary.md.j2", title="Ordforklaring",
        description="Forklaringer i et enkelt sprog på ord, der bruges i "
                    f"{genitive(site.municipality.name)} kvalitetsstandarder.",
        context={"groups": entries, "official": _official(site.glossary.terms),
                 "multiple_standards": len(site.standards) > 1},
        anchors=frozenset(anchors), nav_title="Ordforklaring",
        link_terms=False, hide=("toc",), source="content/glossary.yaml",
    )


def offers_page(site: Site, lists: OfferLists) -> Page:
    groups = lists.listings
    return Page(
        url=urls.offers(), template="offers.md.j2", title="Tilbud",
        description=f"Tilbud i {site.municipality.name}: caféer, væresteder og aktivitets- og "
                    "samværstilbud, og om du kan møde op uden visitation.",
        context={"groups": [{"group": g, "open": [lists.entry(o) for o in g.open],
                             "referred": [lists.entry(o) for o in g.referred]} for g in groups],
                 "by_area": not site.offers.groups},
        anchors=frozenset(g.id for g in groups), nav_title="Tilbud", hide=("toc",),
        source="offers.yaml",
    )


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
                 "index": hidden(site, offer.id, (offer.name, offer.kind, offer.description),
                                 offer.search_words),
                 "areas": [{"name": names[a],
                            "url": None if site.offers.groups else urls.offers(a)}
                           for a in offer.areas],
                 "hours": opening_lines(offer.opening_hours),
                 "missing": facts_missing, "offers_url": urls.offers(),
                 "phone_href": urls.tel(offer.phone) if offer.phone else None,
                 "has_details": any((offer.address, offer.opening_hours, offer.phone, offer.email,
                                     offer.url, offer.price, offer.accessibility)),
                 "ask": [_contact_text(c) for c in muni.contacts]},
        source="offers.yaml",
        meta={"jsonld": script_json(jsonld(offer, muni, address))},
    )


def _contact_text(contact: Contact) -> str:
    """A contact as Markdown for running text: its name, and its phone as a link when known."""
    text = escape(contact.name)
    if contact.phone:
        text += f" (telefon [{escape(contact.phone)}]({urls.tel(contact.phone)}))"
    return text


def _official(terms: list) -> str | None:
    """"all", "some" or None: which definitions stand word for word in a standard."""
    count = sum(1 for t in terms if t.official)
    return "all" if count == len(terms) else "some" if count else None


def _headings(std: StandardContent) -> list[tuple[str, Any]]:
    """Each section and sub-section with a title that says where it stands."""
    found = []
    for section in std.standard.sections:
        found.append((section.title, section))
        found += [(f"{section.title} › {sub.title}", sub) for sub in section.subsections]
    return found


def caseworkers_page(site: Site) -> Page:
    """Links ready to paste into letters: full addresses when site_url is set."""
    base = site.municipality.site_url

    def address(url: str) -> str:
        # Break long addresses only after "/" and "#", never inside an id.
        return html.escape(urls.absolute(base, url)).replace("/", "/<wbr>").replace(
            "#", "#<wbr>")

    def row(title: str, url: str, dated: str | None = None) -> dict[str, Any]:
        return {"title": title, "url": url, "address": address(url),
                "href": urls.relative_href(urls.caseworkers(), url),
                "dated": {"address": address(dated),
                          "href": urls.relative_href(urls.caseworkers(), dated)}
                if dated else None}

    groups = []
    for std in site.standards:
        today = std.current  # the edition in force today, for a dated link a letter can cite
        groups.append({"title": std.standard.title, "id": std.id, "rows": [
            row(f"{std.standard.title} (hele standarden)", urls.standard(std.id),
                urls.version(std.id, today.date) if today else None),
            *(row(title, urls.standard(std.id, part.id),
                  urls.version(std.id, today.date, part.id) if today else None)
              for title, part in _headings(std))],
            "dated": danish_date(today.date) if today else None})
        if std.guide:
            guide = std.guide
            groups.append({"title": f"{guide.title} ({std.standard.title})",
                           "id": f"{std.id}_guide", "rows": [
                               row("Guidens startside", urls.guide_start(std.id)),
                               row("Hele guiden på én side", urls.guide_overview(std.id)),
                               *(row(f"Resultat: {o.title}", urls.guide_node(std.id, oid))
                                 for oid, o in guide.outcomes.items())]})
    if site.offers.offers:
        groups.append({"title": "Tilbud", "id": "kv_tilbud", "rows": [
            row("Alle tilbud", urls.offers()),
            *(row(o.name, urls.offer(o.id)) for o in site.offers.offers)]})
    if site.glossary.terms:
        groups.append({"title": "Ordforklaring", "id": "kv_ordforklaring", "rows": [
            row("Hele ordforklaringen", urls.glossary()),
            *(row(t.term, urls.glossary(t.id)) for t in sorted_terms(site.glossary.terms))]})
    return Page(
        url=urls.caseworkers(), template="caseworkers.md.j2", title="For sagsbehandlere",
        description="Links til afsnittene i kvalitetsstandarderne, guiden og tilbuddene, klar "
                    "til at sætte ind i breve og afgørelser.",
        context={"groups": groups, "full": bool(base)},
        anchors=frozenset(g["id"] for g in groups), nav_title="For sagsbehandlere",
        link_terms=False, hide=("toc",), source="content/published-links.txt",
    )

