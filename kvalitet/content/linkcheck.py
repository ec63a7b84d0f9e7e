"""The links of the site checked before anything is built: every link editors wrote lands,
every redirect leads somewhere, and every published address keeps a target.

Editors' links are read from the page they were written for. A link to an address that has
moved (content/redirects.yaml) lands where the page lives now, so a frozen edition never has to
be edited when an offer is renamed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import NamedTuple

from kvalitet import mdtext, urls
from kvalitet.content.load import GLOSSARY, OFFERS, PUBLISHED, REDIRECTS, Site
from kvalitet.problems import Findings

# "www.kommune.dk", "htps//…", "kommune.dk/side": a web address without its https://.
_WEB_ADDRESS = re.compile(
    r"^(?:www\.|[a-z][a-z0-9+.-]*/{2}|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/|$))", re.I)


class EditorText(NamedTuple):
    """A Markdown value of the content: where it is, and the page its relative links start from."""

    file: str
    path: tuple[str | int, ...]
    text: str
    home: str
    what: str


def markdown_texts(site: Site) -> Iterator[EditorText]:
    """Every Markdown value editors wrote, with the page it belongs to."""
    for i, term in enumerate(site.glossary.terms):
        yield EditorText(GLOSSARY, ("terms", i, "definition"), term.definition,
                         urls.glossary(), f'ordet "{term.id}"')
    for std in site.standards:
        editions = [(e.standard, e.file, urls.standard(std.id) if e.state == "current"
                     else urls.version(std.id, e.date)) for e in std.editions
                    ] or [(std.standard, std.file, urls.standard(std.id))]
        for standard, file, home in editions:
            yield from _standard_texts(standard, file, home)
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


def _standard_texts(standard, file: str, home: str) -> Iterator[EditorText]:
    """The Markdown of one edition of a standard, read from its own page."""
    for path, part in standard.parts():
        what = "underafsnittet" if "subsections" in path else "afsnittet"
        for key in ("summary", "body"):
            value = getattr(part, key)
            if value:
                yield EditorText(file, (*path, key), value, home, f'{what} "{part.id}"')
    for j, entry in enumerate(standard.glossary):
        yield EditorText(file, ("glossary", j, "definition"), entry.definition, home,
                         f'ordet "{entry.term}"')
    if standard.apply:
        yield EditorText(file, ("apply", "text"), standard.apply.text, home, "apply")
    if standard.source_note:
        yield EditorText(file, ("source_note",), standard.source_note, home, "source_note")


def _anchors(standard) -> set[str]:
    """The anchors an edition's page will have (sections, sub-sections, their former ids)."""
    return {p.id for _, p in standard.parts()} | {f for _, p in standard.parts()
                                                    for f in p.former_ids}


def lands(url: str, found: dict[str, frozenset[str]]) -> bool:
    """Whether a site path (with optional #anchor) exists on the site."""
    path, anchor = urls.split(url.split("?", 1)[0])
    return path in found and (not anchor or anchor in found[path])


def check_links(site: Site, found: dict[str, frozenset[str]], findings: Findings) -> None:
    moved = {r.from_: r.to for r in site.redirects.redirects}
    for text in markdown_texts(site):
        for link in mdtext.find_links(text.text):
            if mdtext.scheme(link.target) is not None:
                continue
            line = site.text_line(text.file, text.path, text.text, link.start)
            target = urls.follow(moved, urls.resolve(text.home, link.target))
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


def check_redirects(site: Site, found: dict[str, frozenset[str]], findings: Findings) -> None:
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


def check_published(site: Site, found: dict[str, frozenset[str]], findings: Findings) -> None:
    moved = {r.from_ for r in site.redirects.redirects}
    coming = {urls.standard(std.id): std.scheduled for std in site.standards if std.scheduled}
    for n, link in enumerate(site.published, start=1):
        path, anchor = urls.split(link)
        for edition in coming.get(path, []) if anchor else []:
            if anchor not in _anchors(edition.standard):
                findings.error(PUBLISHED, n, f"det udgivne link {link} findes ikke i udgaven, der "
                               f"gælder fra {edition.date.isoformat()} ({edition.file}), så det "
                               "holder op med at virke den dag. Behold id'et i den nye udgave, "
                               f'eller skriv "{anchor}" under former_ids på det afsnit, der '
                               "overtager indholdet")
        if lands(link, found) or any(anchor in _anchors(e.standard) for e in coming.get(path, [])):
            continue
        if path in moved:
            continue  # the redirect page carries the #anchor on to the new address
        if path in found and anchor:
            files = {urls.standard(s.id): s.file for s in site.standards}
            files.update({urls.version(s.id, e.date): e.file for s in site.standards
                          for e in s.editions})
            holder = files.get(path, GLOSSARY if path == urls.glossary() else None)
            where = f" i {holder}" if holder else ""
            fix = (f'Behold id\'et "{anchor}"{where}, eller skriv "{anchor}" under former_ids på '
                   "det afsnit eller ord, der har overtaget indholdet")
        else:
            fix = (f"Behold id'et, eller tilføj en omdirigering i {REDIRECTS}: "
                   f'"- from: {path}" og "to:" den adresse, hvor indholdet nu ligger')
        findings.error(PUBLISHED, n, f"det udgivne link {link} har ikke længere et mål, så links "
                       f"i breve og på andre sider vil ikke virke. {fix}")


