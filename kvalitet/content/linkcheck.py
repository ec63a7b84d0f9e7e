"""The links of the site checked before anything is built: every link editors wrote lands,
every redirect leads somewhere, and every published address keeps a target.

Editors' links are read from the page they were written for. A link to an address that has
moved (content/redirects.yaml) lands where the page lives now, so a frozen edition never has to
be edited when an offer is renamed.
"""

from __future__ import annotations

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


def distance(a: str, b: str) -> int:
    """The number of letters to add, remove or change to turn ``a`` into ``b``."""
    before = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        now = [i]
        for j, y in enumerate(b, start=1):
            now.append(min(before[j] + 1, now[j - 1] + 1, before[j - 1] + (x != y)))
        before = now
    return before[-1]


def plausible(wrong: str, candidates) -> str | None:
    """The one candidate an editor plausibly meant by ``wrong``: one or two letters off (one for
    a short word), or the same word inflected ("tilbuddene" for "tilbud", "ankestyrelse" for
    "ankestyrelsens-praksis"). None when there is none, or more than one as close."""
    def score(candidate: str) -> int | None:
        far = distance(wrong, candidate)
        if far <= (2 if min(len(wrong), len(candidate)) >= 4 else 1):
            return far
        short, long = sorted((wrong, candidate), key=len)
        return 3 if len(short) >= 4 and long.startswith(short) else None

    scored = sorted((s, c) for c in set(candidates) if c != wrong and (s := score(c)) is not None)
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _meant(site: Site, written: str, target: str, found: dict[str, frozenset[str]]) -> str:
    """What to tell an editor whose link to ``target`` (as written: ``written``) lands nowhere:
    the problem, and a suggestion only for a plausibly intended address."""
    path, anchor = urls.split(target)
    rooted = "/" + written.lstrip("./")
    if not written.startswith(("/", "#")) and lands(rooted, found):
        return (f'stien mangler / forrest, så den læses fra siden selv og bliver til {target}. '
                f'Mente du "{rooted}"? Skriv stier på sitet fra roden, med / forrest')
    if path in found:
        close = plausible(anchor, found[path])
        hint = f' Mente du "{path}#{close}"?' if close else ""
        return f'siden {path} har intet anker "#{anchor}".{hint} Ret linket'
    if not path.endswith("/") and lands(f"{path}/#{anchor}" if anchor else f"{path}/", found):
        return f'der mangler / til sidst. Mente du "{path}/{"#" + anchor if anchor else ""}"?'
    folder, _, last = path.rstrip("/").rpartition("/")
    siblings = [p.rstrip("/").rpartition("/")[2] for p in found
                if p.rstrip("/").rpartition("/")[0] == folder]
    close = plausible(last, [s for s in siblings if s])
    if close:
        return f'den side findes ikke på sitet. Mente du "{folder}/{close}/"? Ret linket'
    gone = "siden var udgivet, men findes ikke længere" if path in site.published else \
        "den side findes ikke på sitet"
    parent = f"{folder}/" if folder else "/"
    if parent != "/" and parent in found:
        return (f"{gone}. Link til en side, der findes, fx oversigten {parent}, eller fjern "
                "linket")
    return f"{gone}. Ret linket, eller fjern det"


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
            findings.error(text.file, line, f'{text.what}: linket "{link.target}" virker ikke: '
                           f"{_meant(site, link.target, target, found)}")


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
    for link in site.published:
        n = site.published_lines.get(link, 0)
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
            fix, example = _lost_anchor(site, path, anchor)
        else:
            fix, example = _lost_page(site, path, found)
        findings.error(PUBLISHED, n, f"det udgivne link {link} har ikke længere et mål, så links "
                       f"i breve og på andre sider vil ikke virke. {fix}", example)


def _lost_anchor(site: Site, path: str, anchor: str) -> tuple[str, str | None]:
    """How to keep a published #anchor: the exact former_ids line, when it is clear which
    section, sub-section or term took the id over (the one that is new since publishing)."""
    if path == urls.glossary():
        file, what = GLOSSARY, "ordet"
        new = [(f"  - id: {t.id}", t.id, t.term) for t in site.glossary.terms
               if urls.glossary(t.id) not in site.published]
    else:
        std = next((s for s in site.standards if path == urls.standard(s.id) or any(
            path == urls.version(s.id, e.date) for e in s.editions if e.file == s.latest_file)),
            None)  # the text in force, or the dated page of standard.yaml's edition
        if std is None:  # a frozen edition: the change is in its file
            holder = next((e.file for s in site.standards for e in s.editions
                           if urls.version(s.id, e.date) == path), None)
            return (f'Behold id\'et "{anchor}"' + (f" i {holder}" if holder else "")
                    + ", eller fortryd ændringen", None)
        file, what = std.latest_file, "afsnittet"
        new = [(("  - id: " if len(at) == 2 else "      - id: ") + part.id, part.id, part.title)
               for at, part in std.standard.parts()
               if urls.standard(std.id, part.id) not in site.published]
    if len(new) == 1:
        line, new_id, title = new[0]
        indent = " " * (len(line) - len(line.lstrip()) + 2)
        return (f'Har {what} "{title}" fået et nyt id ("{new_id}"), så skriv det gamle id under '
                f'former_ids i {file} (i browseren: feltet "Tidligere id\'er"), som herunder; '
                f'ellers behold id\'et "{anchor}"', f"{line}\n{indent}former_ids: [{anchor}]")
    return (f'Behold id\'et "{anchor}" i {file}, eller skriv "{anchor}" under former_ids (i '
            "browseren: feltet \"Tidligere id'er\") på det afsnit eller ord, der har overtaget "
            "indholdet", None)


def _lost_page(site: Site, path: str, found: dict[str, frozenset[str]]
               ) -> tuple[str, str | None]:
    """How to keep a published page address: a redirect, with its exact lines. A closed offer
    goes to the list of offers (or to its new address, if it got a new id)."""
    parent = path.rstrip("/").rpartition("/")[0] + "/"
    to = parent if parent in found else urls.front()
    head = "" if site.redirects.redirects else "redirects:\n"
    example = f"{head}  - from: {path}\n    to: {to}"
    form = (f'(i browseren: Omdirigeringer, "Tilføj omdirigering" med Gammel adresse "{path}" og '
            f'Ny adresse "{to}")')
    if path.startswith(urls.offers()):
        renamed = [urls.offer(o.id) for o in site.offers.offers
                   if urls.offer(o.id) not in site.published]
        other = (f'Har tilbuddet fået den nye adresse {renamed[0]}, så skriv den som "to" i '
                 "stedet" if len(renamed) == 1 else
                 'Har tilbuddet fået et nyt id, så skriv dets nye adresse som "to" i stedet')
        return (f"Er tilbuddet lukket, så send adressen videre til oversigten over tilbud: "
                f'skriv "- from: {path}" og "to: {to}" i {REDIRECTS} {form}. {other}', example)
    return (f'Behold id\'et, eller send adressen videre: skriv "- from: {path}" og "to:" den '
            f"adresse, hvor indholdet nu ligger, i {REDIRECTS} {form}", example)


