"""Cross-checks over all content: ids, references, links, and advice for editors.

The models check each file on its own; this module checks what spans files: that every id is
unique and every reference points at something that exists. Advice (valid but incomplete content)
is collected in the same pass and never stops a build. What needs the page plan (every link to the
site's own pages lands, every published link keeps a target) is checked after the plan is made,
as a step of the build (``kvalitet.build.check_plan``).
"""

from __future__ import annotations

import datetime as dt
import re

from kvalitet.content.guide import check_guide
from kvalitet.content.linkcheck import plausible
from kvalitet.content.load import GLOSSARY, MUNICIPALITY, OFFERS, Site
from kvalitet.content.model import RESERVED_IDS, check_id
from kvalitet.content.versions import check_editions
from kvalitet.plain import join_list
from kvalitet.problems import Findings
from kvalitet.site.standard_pages import body_headings

STALE_AFTER_DAYS = 365
# A § 104 decision is always a concrete, individual assessment: a guide may never promise it.
_DECISION = re.compile(r"\b(?:du er i målgruppen|du er berettiget|du har ret til|du kan få "
                       r"tilbuddet|du bliver visiteret)\b", re.I)


def check_site(site: Site, findings: Findings, today: dt.date | None = None) -> None:
    """Record every cross-file error and all advice in ``findings``."""
    folders, failed = site.folders, site.failed
    _check_folders(folders, findings)
    if MUNICIPALITY not in failed:
        _check_municipality(site, folders, findings)
    if GLOSSARY not in failed:
        _check_glossary(site, findings)
    if OFFERS not in failed:
        _check_offers(site, findings)
    for std in site.standards:
        _check_standard(site, std, findings, failed)
    if findings.errors:
        return  # advice on a site that does not load would only distract
    _advise_headings(site, findings)
    _advise(site, findings, today or site.today)


def _unique(findings: Findings, file: str, site: Site, items: list, path: str, what: str,
            extra: str = "former_ids") -> None:
    """Ids (and their former ids) must be unique within one list."""
    seen: dict[str, str] = {}
    for i, item in enumerate(items):
        for key, value in [("id", item.id)] + [(extra, old) for old in getattr(item, extra, [])]:
            if value in seen:
                findings.error(file, site.line(file, path, i, key),
                               f'{what} "{value}" findes allerede (som {seen[value]}). Giv '
                               "hvert id sin egen værdi; et tidligere id må ikke bruges igen")
            else:
                seen[value] = "id" if key == "id" else f'tidligere id for "{item.id}"'


def _check_folders(folders: list[str], findings: Findings) -> None:
    for name in folders:
        where = f"content/standards/{name}"
        try:
            check_id(name)
        except ValueError as exc:
            findings.error(where, None, f"mappenavnet er standardens id, og {exc}. Omdøb mappen")
            continue
        if name in RESERVED_IDS:
            findings.error(where, None, f'"{name}" er et af sitets egne navne ('
                           + ", ".join(sorted(RESERVED_IDS)) + "). Omdøb mappen")


def _check_municipality(site: Site, folders: list[str], findings: Findings) -> None:
    muni = site.municipality
    _unique(findings, MUNICIPALITY, site, muni.contacts, "contacts", "kontakten")
    seen: set[str] = set()
    for i, ref in enumerate(muni.standards):
        if not ref.id:
            continue
        if ref.id in seen:
            findings.error(MUNICIPALITY, site.line(MUNICIPALITY, "standards", i, "id"),
                           f'standarden "{ref.id}" står to gange i listen. Slet den ene')
        seen.add(ref.id)
        if ref.id not in folders:
            findings.error(MUNICIPALITY, site.line(MUNICIPALITY, "standards", i, "id"),
                           f'standarden "{ref.id}" har ingen mappe content/standards/{ref.id}/. '
                           'Opret mappen med en standard.yaml, eller slet "id" (og brug "url", '
                           "hvis standarden udgives et andet sted)")


def _check_glossary(site: Site, findings: Findings) -> None:
    terms = site.glossary.terms
    _unique(findings, GLOSSARY, site, terms, "terms", "ordet")
    ids = {t.id for t in terms}
    owner: dict[str, str] = {}
    for i, term in enumerate(terms):
        for j, other in enumerate(term.see_also):
            if other not in ids:
                findings.error(GLOSSARY, site.line(GLOSSARY, "terms", i, "see_also", j),
                               f'ordet "{term.id}": see_also nævner "{other}", som ikke er et '
                               "ord i ordforklaringen. Ret id'et, eller tilføj ordet")
        for j, form in enumerate([term.term, *term.forms]):
            key = form.lower()
            if key in owner and owner[key] != term.id:
                findings.error(GLOSSARY, site.line(GLOSSARY, "terms", i, "forms", j - 1),
                               f'ordformen "{form}" hører både til "{owner[key]}" og '
                               f'"{term.id}". En ordform må kun linke til ét ord: slet den ene')
            owner.setdefault(key, term.id)


def _check_offers(site: Site, findings: Findings) -> None:
    offers = site.offers
    _unique(findings, OFFERS, site, offers.offers, "offers", "tilbuddet")
    _unique(findings, OFFERS, site, offers.areas, "areas", "området")
    _unique(findings, OFFERS, site, offers.groups, "groups", "gruppen")
    areas = {a.id for a in offers.areas}
    groups = {g.id for g in offers.groups}
    named: dict[str, str] = {}
    for i, offer in enumerate(offers.offers):
        same = named.setdefault(" ".join(offer.name.lower().split()), offer.id)
        if same != offer.id:
            detail = (f'tilbuddene "{same}" og "{offer.id}" hedder begge "{offer.name}", så '
                      "borgerne ser to ens kort på /tilbud/ og kan ikke se forskel. Giv dem "
                      "hvert sit navn, fx med stedet eller bydelen")
            findings.advise(OFFERS, site.line(OFFERS, "offers", i, "name"), detail, urgent=True,
                            path=("offers", i, "name"), detail=detail)
        for j, area in enumerate(offer.areas):
            if area not in areas:
                findings.error(OFFERS, site.line(OFFERS, "offers", i, "areas", j),
                               f'tilbuddet "{offer.id}" nævner området "{area}", som ikke står '
                               f"under areas. Brug {_names(areas, area)}, eller tilføj området")
        if offer.group and offer.group not in groups:
            findings.error(OFFERS, site.line(OFFERS, "offers", i, "group"),
                           f'tilbuddet "{offer.id}" er i gruppen "{offer.group}", som ikke står '
                           f"under groups. Brug {_names(groups, offer.group)}, eller tilføj "
                           "gruppen")
        if offer.areas and not offer.areas_source:
            findings.advise(OFFERS, site.line(OFFERS, "offers", i, "areas"),
                            f'tilbuddet "{offer.id}" har områder, men ingen areas_source. Skriv, '
                            "hvor det står, at tilbuddet hører til områderne (fx afsnittet i "
                            "kvalitetsstandarden), eller slet areas")


def _check_standard(site: Site, std, findings: Findings, failed: set[str]) -> None:
    editions = std.editions or [None]
    for edition in editions:
        standard, file = (edition.standard, edition.file) if edition else (std.standard, std.file)
        _check_text(site, standard, file, findings, failed)
    check_editions(site, std, findings)
    _check_guide_refs(site, std, findings, failed)


def _check_text(site: Site, standard, file: str, findings: Findings, failed: set[str]) -> None:
    """One edition's ids (unique across sections and sub-sections) and references."""
    seen: dict[str, str] = {}
    for path, part in standard.parts():
        what = "underafsnittet" if "subsections" in path else "afsnittet"
        for key, value in [("id", part.id)] + [("former_ids", old) for old in part.former_ids]:
            if value in seen:
                findings.error(file, site.line(file, *path, key),
                               f'{what} "{value}" findes allerede (som {seen[value]}). Giv hvert '
                               "id sin egen værdi i hele standarden; et tidligere id må ikke "
                               "bruges igen")
            else:
                seen[value] = "id" if key == "id" else f'tidligere id for "{part.id}"'
    contacts = {c.id for c in site.municipality.contacts}
    if MUNICIPALITY not in failed and standard.apply:
        for j, cid in enumerate(standard.apply.contacts):
            if cid not in contacts:
                findings.error(file, site.line(file, "apply", "contacts", j),
                               f'apply nævner kontakten "{cid}", som ikke står under contacts i '
                               f"{MUNICIPALITY}. Brug {_names(contacts, cid)}")
    terms = {t.id for t in site.glossary.terms}
    if GLOSSARY not in failed:
        for j, entry in enumerate(standard.glossary):
            if entry.term_id and entry.term_id not in terms:
                findings.error(file, site.line(file, "glossary", j, "term_id"),
                               f'ordet "{entry.term}" peger på "{entry.term_id}", som ikke er et '
                               f"ord i {GLOSSARY}. Brug {_names(terms, entry.term_id)}, eller slet "
                               "term_id")


def _check_guide_refs(site: Site, std, findings: Findings, failed: set[str]) -> None:
    """The guide fits the edition in force and every scheduled one (a section it names may be
    a former id of a renamed section), so it never breaks on a go-live day."""
    contacts = {c.id for c in site.municipality.contacts}
    guide = std.guide
    if guide is None:
        return
    gfile = std.guide_file
    texts = [(text, edition_file(std, text)) for text in std.texts_in_force()]
    for text, file in texts:
        sections = {p.id for _, p in text.parts()} | {o for _, p in text.parts()
                                                        for o in p.former_ids}
        if guide.section and guide.section not in sections:
            findings.error(gfile, site.line(gfile, "section"),
                           f'section peger på "{guide.section}", som ikke er et afsnit i {file}. '
                           f"Brug {_names(_ids(text), guide.section)}")
        for oid, outcome in guide.outcomes.items():
            for j, sid in enumerate(outcome.sections):
                if sid not in sections:
                    findings.error(gfile, site.line(gfile, "outcomes", oid, "sections", j),
                                   f'resultatet "{oid}" henviser til afsnittet "{sid}", som ikke '
                                   f"findes i {file}. Brug {_names(_ids(text), sid)}")
    file = std.file
    areas = {a.id for a in site.offers.areas}
    for oid, outcome in guide.outcomes.items():
        said = _DECISION.search(f"{outcome.title}\n{outcome.body}")
        if said:
            findings.error(gfile, site.line(gfile, "outcomes", oid),
                           f'resultatet "{oid}" siger "{said.group(0)}". Guiden er hjælp, aldrig '
                           "en afgørelse: kommunen vurderer altid konkret og individuelt. Skriv "
                           '"Du er måske i målgruppen", og hvad borgeren kan gøre nu')
        if outcome.offers and outcome.offers.areas and OFFERS not in failed:
            for j, area in enumerate(outcome.offers.areas):
                if area not in areas:
                    findings.error(gfile, site.line(gfile, "outcomes", oid, "offers", "areas", j),
                                   f'resultatet "{oid}" viser tilbud fra området "{area}", som '
                                   f"ikke står i offers.yaml. Brug {_names(areas, area)}")
        if outcome.apply and not std.standard.apply:
            findings.error(gfile, site.line(gfile, "outcomes", oid, "apply"),
                           f'resultatet "{oid}" viser "Sådan søger du", men {file} har ingen '
                           'apply. Tilføj "apply:" med text og contacts i standarden, eller slet '
                           "apply her")
        for j, cid in enumerate(outcome.apply):
            if MUNICIPALITY not in failed and cid not in contacts:
                findings.error(gfile, site.line(gfile, "outcomes", oid, "apply", j),
                               f'resultatet "{oid}" nævner kontakten "{cid}", som ikke står under '
                               f"contacts i {MUNICIPALITY}. Brug {_names(contacts, cid)}")
    check_guide(guide, site.lines[gfile], findings)


def _ids(standard) -> set[str]:
    return {p.id for _, p in standard.parts()}


def edition_file(std, standard) -> str:
    """The file an edition of ``std`` was read from."""
    return next((e.file for e in std.editions if e.standard is standard), std.file)


def _names(ids: set[str], wrong: str | None = None) -> str:
    """The ids to choose from, the likeliest first when ``wrong`` is the id written."""
    close = plausible(wrong, ids) if wrong else None
    listed = ", ".join(f'"{i}"' for i in sorted(ids) if i != close) or "(ingen)"
    if not close:
        return f"et af: {listed}"
    return f'"{close}" (mente du det?)' + (f" eller et af: {listed}" if len(ids) > 1 else "")


# --- advice --------------------------------------------------------------------------------------

def _advise_headings(site: Site, findings: Findings) -> None:
    """A heading in a section's text whose id is a section's or sub-section's id gets another
    anchor ("-2"): say so, so that nobody links to the wrong place."""
    for std in site.standards:
        for text in std.texts_in_force():
            file = edition_file(std, text)
            for found in body_headings(text, _anchors_of(text)).values():
                for h in found:
                    if h.clash:
                        value = _value(text, h.path)
                        findings.advise(file, site.text_line(file, h.path, value, h.start),
                                        f'overskriften "{h.title}" i teksten får ankeret '
                                        f'#{h.id}, fordi "{h.clash}" allerede er id på et afsnit '
                                        f"eller underafsnit. Et link til #{h.clash} fører til "
                                        "afsnittet, ikke til overskriften; giv overskriften en "
                                        "anden tekst, hvis den skal have sit eget anker")


def _anchors_of(standard) -> set[str]:
    return {p.id for _, p in standard.parts()} | {f for _, p in standard.parts()
                                                    for f in p.former_ids}


def _value(standard, path: tuple):
    node = standard
    for key in path:
        node = node[key] if isinstance(key, int) else getattr(node, key)
    return node


def _advise_dates(site: Site, findings: Findings, today: dt.date) -> None:
    for std in site.standards:
        text = std.standard
        if not std.editions:
            findings.advise(std.file, site.line(std.file, "title"), "standarden har ingen dato. "
                            "Skriv approved (datoen, den blev godkendt, som den står i den "
                            "godkendte standard), så sitet kan vise, hvornår den gælder fra, og "
                            "gemme udgaven, når der kommer en ny")
        if text.review_by and text.review_by < today:
            findings.advise(std.file, site.line(std.file, "review_by"), "standarden skal "
                            f"revideres senest {text.review_by.isoformat()}, og den dato er "
                            "passeret. Revidér standarden (kvalitet ny-udgave), eller ret "
                            "review_by")


def _advise(site: Site, findings: Findings, today: dt.date) -> None:
    _advise_dates(site, findings, today)
    muni = site.municipality
    if not muni.accessibility_statement:
        findings.advise(MUNICIPALITY, site.line(MUNICIPALITY, "name"),
                        "der er ingen accessibility_statement. Loven (webtilgængelighedsloven) "
                        "kræver et link til sitets tilgængelighedserklæring, før sitet "
                        "offentliggøres: lav erklæringen i Digitaliseringsstyrelsens WAS-værktøj "
                        "og skriv adressen her")
    if not muni.site_url:
        findings.advise(MUNICIPALITY, site.line(MUNICIPALITY, "name"),
                        "der er ingen site_url. Skriv den adresse, sitet udgives på, så "
                        "sagsbehandlere kan kopiere fulde links til breve")
    for i, contact in enumerate(muni.contacts):
        if not (contact.phone or contact.email):
            findings.advise(MUNICIPALITY, site.line(MUNICIPALITY, "contacts", i),
                            f'kontakten "{contact.id}" har hverken telefon eller e-mail. Tilføj '
                            "phone eller email, så borgerne kan komme i kontakt")
    listed = {ref.id for ref in muni.standards}
    for std in site.standards:
        if std.id not in listed:
            findings.advise(MUNICIPALITY, site.line(MUNICIPALITY, "standards"),
                            f'standarden "{std.id}" står ikke under standards. Tilføj den, så '
                            "den står på sin plads i listen på forsiden")
    for i, offer in enumerate(site.offers.offers):
        line = site.line(OFFERS, "offers", i)
        missing = [what for what, has in (("adresse", offer.address),
                                          ("åbningstider", offer.opening_hours),
                                          ("kontakt (telefon, e-mail eller hjemmeside)",
                                           offer.phone or offer.email or offer.url)) if not has]
        if missing:
            findings.advise(OFFERS, line, f'tilbuddet "{offer.id}" mangler ' + join_list(missing)
                            + ". Tilføj det, når oplysningerne er tjekket")
        if offer.verified and (today - offer.verified).days > STALE_AFTER_DAYS:
            findings.advise(OFFERS, site.line(OFFERS, "offers", i, "verified"),
                            f'oplysningerne om tilbuddet "{offer.id}" er sidst tjekket '
                            f"{offer.verified.isoformat()}, for over 12 måneder siden. Tjek dem, "
                            "og ret verified til datoen")

