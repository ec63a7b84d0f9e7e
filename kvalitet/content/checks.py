"""Cross-checks over all content: ids, references, links, and advice for editors.

The models check each file on its own; this module checks what spans files: that every id is
unique, every reference points at something that exists, every link to the site's own pages lands,
and every published link still has a target. Advice (valid but incomplete content) is collected in
the same pass and never stops a build.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from typing import NamedTuple

from kvalitet import mdtext
from kvalitet.content.guide import check_guide
from kvalitet.content.load import GLOSSARY, MUNICIPALITY, OFFERS, PUBLISHED, REDIRECTS, Site
from kvalitet.content.model import RESERVED_IDS, check_id
from kvalitet.problems import Findings
from kvalitet.site import urls
from kvalitet.site.links import unlisted
from kvalitet.site.pages import targets
from kvalitet.site.plain import join_list

STALE_AFTER_DAYS = 365
# "www.kommune.dk", "htps//…", "kommune.dk/side": a web address without its https://.
_WEB_ADDRESS = re.compile(
    r"^(?:www\.|[a-z][a-z0-9+.-]*/{2}|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/|$))", re.I)
# A § 104 decision is always a concrete, individual assessment: a guide may never promise it.
_DECISION = re.compile(r"\b(?:du er i målgruppen|du er berettiget|du har ret til|du kan få "
                       r"tilbuddet|du bliver visiteret)\b", re.I)


class EditorText(NamedTuple):
    """A Markdown value of the content: where it is, and the page its relative links start from."""

    file: str
    path: tuple[str | int, ...]
    text: str
    home: str
    what: str


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
        return  # links are checked against a sound site; earlier errors would only echo here
    found = targets(site)
    _check_links(site, found, findings)
    _check_redirects(site, found, findings)
    _check_published(site, found, findings)
    _advise_unlocked(site, findings)
    _advise(site, findings, today or dt.date.today())


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
    for i, offer in enumerate(offers.offers):
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
    file = std.file
    seen: dict[str, str] = {}
    for path, part in std.standard.parts():
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
    if MUNICIPALITY not in failed and std.standard.apply:
        for j, cid in enumerate(std.standard.apply.contacts):
            if cid not in contacts:
                findings.error(file, site.line(file, "apply", "contacts", j),
                               f'apply nævner kontakten "{cid}", som ikke står under contacts i '
                               f"{MUNICIPALITY}. Brug {_names(contacts, cid)}")
    terms = {t.id for t in site.glossary.terms}
    if GLOSSARY not in failed:
        for j, entry in enumerate(std.standard.glossary):
            if entry.term_id and entry.term_id not in terms:
                findings.error(file, site.line(file, "glossary", j, "term_id"),
                               f'ordet "{entry.term}" peger på "{entry.term_id}", som ikke er et '
                               f"ord i {GLOSSARY}. Brug {_names(terms, entry.term_id)}, eller slet "
                               "term_id")
    guide = std.guide
    if guide is None:
        return
    gfile = std.guide_file
    sections = {part.id for _, part in std.standard.parts()}
    if guide.section and guide.section not in sections:
        findings.error(gfile, site.line(gfile, "section"),
                       f'section peger på "{guide.section}", som ikke er et afsnit i {file}. '
                       f"Brug {_names(sections, guide.section)}")
    areas = {a.id for a in site.offers.areas}
    for oid, outcome in guide.outcomes.items():
        said = _DECISION.search(f"{outcome.title}\n{outcome.body}")
        if said:
            findings.error(gfile, site.line(gfile, "outcomes", oid),
                           f'resultatet "{oid}" siger "{said.group(0)}". Guiden er hjælp, aldrig '
                           "en afgørelse: kommunen vurderer altid konkret og individuelt. Skriv "
                           '"Du er måske i målgruppen", og hvad borgeren kan gøre nu')
        for j, sid in enumerate(outcome.sections):
            if sid not in sections:
                findings.error(gfile, site.line(gfile, "outcomes", oid, "sections", j),
                               f'resultatet "{oid}" henviser til afsnittet "{sid}", som ikke '
                               f"findes i {file}. Brug {_names(sections, sid)}")
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


def _names(ids: set[str], wrong: str | None = None) -> str:
    """The ids to choose from, the likeliest first when ``wrong`` is the id written."""
    close = difflib.get_close_matches(wrong, sorted(ids), n=1, cutoff=0.6) if wrong else []
    listed = ", ".join(f'"{i}"' for i in sorted(ids) if i not in close) or "(ingen)"
    if not close:
        return f"et af: {listed}"
    return f'"{close[0]}" (mente du det?)' + (f" eller et af: {listed}" if len(ids) > 1 else "")


# --- links ---------------------------------------------------------------------------------------

def markdown_texts(site: Site) -> Iterator[EditorText]:
    """Every Markdown value editors wrote, with the page it belongs to."""
    for i, term in enumerate(site.glossary.terms):
        yield EditorText(GLOSSARY, ("terms", i, "definition"), term.definition,
                         urls.glossary(), f'ordet "{term.id}"')
    for std in site.standards:
        home = urls.standard(std.id)
        for path, part in std.standard.parts():
            what = "underafsnittet" if "subsections" in path else "afsnittet"
            for key in ("summary", "body"):
                value = getattr(part, key)
                if value:
                    yield EditorText(std.file, (*path, key), value, home, f'{what} "{part.id}"')
        for j, entry in enumerate(std.standard.glossary):
            yield EditorText(std.file, ("glossary", j, "definition"), entry.definition, home,
                             f'ordet "{entry.term}"')
        if std.standard.apply:
            yield EditorText(std.file, ("apply", "text"), std.standard.apply.text, home, "apply")
        if std.standard.source_note:
            yield EditorText(std.file, ("source_note",), std.standard.source_note, home,
                             "source_note")
        guide = std.guide
        if guide:
            if guide.intro:
                yield EditorText(std.guide_file, ("intro",), guide.intro,
                                 urls.guide_start(std.id), "guidens intro")
            for qid, q in guide.questions.items():
                if q.hint:
                    yield EditorText(std.guide_file, ("questions", qid, "hint"), q.hint,
                                     urls.guide_node(std.id, qid), f'spørgsmålet "{qid}"')
            for oid, outcome in guide.outcomes.items():
                yield EditorText(std.guide_file, ("outcomes", oid, "body"), outcome.body,
                                 urls.guide_node(std.id, oid), f'resultatet "{oid}"')
    for i, offer in enumerate(site.offers.offers):
        if offer.description:
            yield EditorText(OFFERS, ("offers", i, "description"), offer.description,
                             urls.offer(offer.id), f'tilbuddet "{offer.id}"')
    for i, group in enumerate(site.offers.groups):
        if group.description:
            yield EditorText(OFFERS, ("groups", i, "description"), group.description,
                             urls.offers(), f'gruppen "{group.id}"')


def lands(url: str, found: dict[str, frozenset[str]]) -> bool:
    """Whether a site path (with optional #anchor) exists on the site."""
    path, anchor = urls.split(url.split("?", 1)[0])
    return path in found and (not anchor or anchor in found[path])


def _check_links(site: Site, found: dict[str, frozenset[str]], findings: Findings) -> None:
    for text in markdown_texts(site):
        for link in mdtext.find_links(text.text):
            if mdtext.scheme(link.target) is not None:
                continue
            line = site.text_line(text.file, text.path, text.text, link.start)
            target = urls.resolve(text.home, link.target)
            if lands(target, found):
                continue
            if _WEB_ADDRESS.search(link.target):
                findings.error(text.file, line,
                               f'{text.what}: linket "{link.target}" ligner en adresse på et '
                               "andet site, men mangler https://. Skriv hele adressen, fx "
                               '"https://www.kommune.dk"')
                continue
            path, anchor = urls.split(target)
            if path in found:
                problem = f'siden {path} har intet anker "#{anchor}"'
                close = difflib.get_close_matches(anchor, sorted(found[path]), n=1, cutoff=0.5)
                close = [f"{path}#{c}" for c in close]
            else:
                problem = "den side findes ikke på sitet"
                close = difflib.get_close_matches(path, list(found), n=1, cutoff=0.5)
            hint = f' Mente du "{close[0]}"?' if close else ""
            findings.error(text.file, line,
                           f'{text.what}: linket "{link.target}" virker ikke: {problem}.{hint} '
                           "Ret linket (skriv stier på sitet fra roden, fx /tilbud/)")


def _check_redirects(site: Site, found: dict[str, frozenset[str]], findings: Findings) -> None:
    seen: set[str] = set()
    for i, redirect in enumerate(site.redirects.redirects):
        source = redirect.from_
        line = site.line(REDIRECTS, "redirects", i)
        if urls.split(source)[1]:
            findings.error(REDIRECTS, line, f'"from: {source}" må ikke have et #anker: en '
                           "omdirigering gælder en hel side. Slet ankeret")
        elif source in found:
            findings.error(REDIRECTS, line, f"{source} er en side, der findes nu. En omdirigering "
                           "må kun gælde en adresse, som ikke længere bruges. Slet omdirigeringen")
        elif source in seen:
            findings.error(REDIRECTS, line, f"{source} omdirigeres to gange. Slet den ene")
        if not lands(redirect.to, found):
            findings.error(REDIRECTS, site.line(REDIRECTS, "redirects", i, "to"),
                           f'"to: {redirect.to}" findes ikke på sitet. Skriv adressen på den '
                           "side (og evt. det #anker), hvor indholdet nu ligger")
        seen.add(source)


def _check_published(site: Site, found: dict[str, frozenset[str]], findings: Findings) -> None:
    moved = {r.from_ for r in site.redirects.redirects}
    for n, link in enumerate(site.published, start=1):
        if lands(link, found):
            continue
        path, anchor = urls.split(link)
        if path in moved:
            continue  # the redirect page carries the #anchor on to the new address
        if path in found and anchor:
            holder = next((s.file for s in site.standards if urls.standard(s.id) == path),
                          GLOSSARY if path == urls.glossary() else None)
            where = f" i {holder}" if holder else ""
            fix = (f'Behold id\'et "{anchor}"{where}, eller skriv "{anchor}" under former_ids på '
                   "det afsnit eller ord, der har overtaget indholdet")
        else:
            fix = (f"Behold id'et, eller tilføj en omdirigering i {REDIRECTS}: "
                   f'"- from: {path}" og "to:" den adresse, hvor indholdet nu ligger')
        findings.error(PUBLISHED, n, f"det udgivne link {link} har ikke længere et mål, så links "
                       f"i breve og på andre sider vil ikke virke. {fix}")


# --- advice --------------------------------------------------------------------------------------

def _advise_unlocked(site: Site, findings: Findings) -> None:
    new = unlisted(site)
    if new:
        count = "1 ny adresse er" if len(new) == 1 else f"{len(new)} nye adresser er"
        findings.advise(PUBLISHED, None, f"{count} ikke låst, fx {new[0]}. Kør make links, og gem "
                        "ændringen (commit), så adresserne er beskyttet mod at forsvinde. Siden "
                        "kan ikke udgives, før de er låst")


def _advise(site: Site, findings: Findings, today: dt.date) -> None:
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

