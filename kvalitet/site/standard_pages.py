"""A standard's pages: the text in force at /<id>/, and, for a dated standard, every edition at
/<id>/udgaver/<date>/, the list of editions and what changed in each.

An edition's page never disappears and keeps every anchor it had, so a letter that cites the text
as it was on a day keeps its meaning. A superseded edition says when it applied and links each
of its sections to the same section in the text in force (or the nearest one that remains).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from kvalitet import mdtext, urls
from kvalitet.content.changes import PARAGRAPH, Comparison, Piece, compare, words
from kvalitet.content.load import Site, StandardContent
from kvalitet.content.versions import Edition
from kvalitet.site.render import danish_date
from kvalitet.site.searchwords import hidden
from kvalitet.site.spec import APPLY_ID, TITLE_ID, WORDS_ID, Page


def standard_page(site: Site, std: StandardContent, edition: Edition | None = None) -> Page:
    """The standard's page: at /<id>/ the edition in force (``edition`` None), else the dated
    page of ``edition``."""
    shown = edition or std.current
    standard = shown.standard if shown else std.standard
    url = urls.version(std.id, edition.date) if edition else urls.standard(std.id)
    aliases = _aliases(std, standard) if edition is None else {}
    anchors = {part.id for _, part in standard.parts()} | {
        old for _, part in standard.parts() for old in part.former_ids} | {
        a for found in aliases.values() for a in found}
    extra = {APPLY_ID} if standard.apply else set()
    extra |= {WORDS_ID} if standard.glossary else set()
    headings = body_headings(standard, anchors | extra | {TITLE_ID})
    guide = None
    if std.guide and edition is None:
        offered = standard.part(std.guide.section) if std.guide.section else None
        guide = {"title": std.guide.title, "url": urls.guide_start(std.id),
                 "section": offered.id if offered else None}
    terms = {t.id for t in site.glossary.terms}
    word_list = [{"term": e.term, "definition": e.definition,
                  "url": urls.glossary(e.term_id) if e.term_id in terms else None}
                 for e in standard.glossary]
    label = f" (udgaven, der gælder fra {danish_date(shown.date)})" if shown else ""
    return Page(
        url=url, template="standard.md.j2", title=standard.title + (label if edition else ""),
        description=standard.description,
        context={"standard": standard, "standard_id": std.id, "guide": guide,
                 "apply": apply_box(site, std, standard.apply.contacts, standard)
                 if standard.apply else None,
                 "words": word_list, "glossary_url": urls.glossary() if terms else None,
                 "edition": _edition(std, shown, edition is not None) if shown else None,
                 "pdf_url": urls.pdf(std.id, edition.date if edition else None),
                 "aliases": aliases,
                 "headings": {key: [h.id for h in found] for key, found in headings.items()},
                 "index": {part.id: hidden(site, part.id, (part.title, part.summary, part.body),
                                           part.search_words)
                           for _, part in standard.parts()} if edition is None else {},
                 "print_line": f"{site.municipality.name}: {standard.title}{label}. "
                 + urls.absolute(site.municipality.site_url, url)},
        anchors=frozenset(anchors | extra | {h.id for found in headings.values() for h in found}),
        nav_title=None if edition else standard.title,
        search=edition is None,
        source=shown.file if shown else std.file,
        meta={"robots": "noindex"} if edition and edition.state != "current" else {},
    )


@dataclass(frozen=True)
class HeadingAnchor:
    """A heading an editor wrote in a section's text, and the anchor the page gives it."""

    path: tuple  # the text's path in the file, e.g. ("sections", 2, "body")
    start: int   # where the heading's line starts in the text
    title: str
    id: str
    clash: str | None  # the section or sub-section id it would have had, when that is taken


def body_headings(standard, taken: set[str]) -> dict[str, list[HeadingAnchor]]:
    """The anchors of the headings in each section's and sub-section's summary and body ("<part
    id>/summary", "<part id>/body"), in reading order: made like every other id, and unique on
    the page (``taken``: its other anchors); a heading whose id is taken gets "-2", "-3", …"""
    used = set(taken)
    found: dict[str, list[HeadingAnchor]] = {}
    for path, part in standard.parts():
        for key in ("summary", "body"):
            text = getattr(part, key)
            for heading in mdtext.headings(text) if text else []:
                base = mdtext.heading_id(heading.title)
                anchor, n = base, 2
                while anchor in used:
                    anchor, n = f"{base}-{n}", n + 1
                used.add(anchor)
                found.setdefault(f"{part.id}/{key}", []).append(HeadingAnchor(
                    (*path, key), heading.start, heading.title, anchor,
                    base if base in taken else None))
    return found


def _aliases(std: StandardContent, standard) -> dict[str, list[str]]:
    """Anchors of the editions to come, placed on the page in force, so that an address that is
    locked (and may be cited) before its go-live day lands somewhere sensible today: a new
    section's id goes at the section it renames (former_ids), else at the nearest section
    before it that exists now (else the title)."""
    now = {p.id for _, p in standard.parts()} | {f for _, p in standard.parts()
                                                  for f in p.former_ids}
    found: dict[str, list[str]] = {}
    for coming in std.scheduled:
        place = TITLE_ID
        for _, part in coming.standard.parts():
            same = part.id if part.id in now else next(
                (f for f in part.former_ids if f in now), None)
            target = standard.part(same) if same else None
            if target:
                place = target.id
            if part.id not in now:
                found.setdefault(place, []).append(part.id)
    return {k: sorted(set(v)) for k, v in found.items()}


def apply_box(site: Site, std: StandardContent, contact_ids: list[str], standard=None
              ) -> dict[str, Any]:
    """"Sådan søger du": the standard's own words on applying, and who to contact."""
    standard = standard or std.standard
    assert standard.apply is not None
    muni = site.municipality
    contacts = {c.id: c for c in muni.contacts}
    chosen = [contacts[c] for c in contact_ids]
    return {"text": standard.apply.text, "home": urls.standard(std.id),
            "contacts": [{"contact": c, "tel": urls.tel(c.phone) if c.phone else None}
                         for c in chosen],
            "ask_website": any(not (c.phone or c.email or c.url) for c in chosen),
            "website": muni.website, "municipality": muni.name}


def _edition(std: StandardContent, edition: Edition, dated: bool) -> dict[str, Any]:
    """What a page says about the edition it shows: its dates, who approved it, and where the
    text in force, the next edition and the list of editions are."""
    current = std.current
    following = next((e for e in std.editions if e.date > edition.date), None)
    earlier = [e for e in std.editions if e.date < edition.date]
    return {
        "state": edition.state, "dated": dated, "from": edition.date, "until": edition.until,
        "approved": edition.standard.approved, "approved_by": edition.standard.approved_by,
        "review_by": edition.standard.review_by,
        "corrections": edition.corrections,
        "url": urls.version(std.id, edition.date),
        "versions_url": urls.versions(std.id),
        "changes_url": urls.changes(std.id, edition.date) if earlier else None,
        "current_url": urls.standard(std.id),
        "current_from": current.date if current else None,
        "next": {"from": following.date, "url": urls.version(std.id, following.date)}
        if following and edition.state == "current" else None,
        "in_current": _in_current(std, edition) if edition.state == "superseded" else {},
    }


def _in_current(std: StandardContent, edition: Edition) -> dict[str, dict[str, str]]:
    """For each section of a superseded edition, where the text in force has it: the same id,
    a section that lists it under former_ids, or else the nearest earlier section that still
    is there (the page itself when none is)."""
    now = std.standard
    ids = {p.id: p for _, p in now.parts()}
    former = {f: p for _, p in now.parts() for f in p.former_ids}
    found: dict[str, dict[str, str]] = {}
    nearest = None
    for _, part in edition.standard.parts():
        same = ids.get(part.id) or former.get(part.id)
        if same:
            nearest = same
            found[part.id] = {"url": urls.standard(std.id, same.id), "title": same.title,
                              "same": "yes"}
        elif nearest:
            found[part.id] = {"url": urls.standard(std.id, nearest.id), "title": nearest.title,
                              "same": ""}
        else:
            found[part.id] = {"url": urls.standard(std.id), "title": now.title, "same": ""}
    return found


def edition_pages(site: Site, std: StandardContent) -> list[Page]:
    """The list of editions, a page per edition and a change page per edition after the first
    (none for a standard without dates)."""
    if not std.editions:
        return []
    pages = [versions_page(site, std)]
    pages += [standard_page(site, std, e) for e in std.editions]
    for before, after in zip(std.editions, std.editions[1:], strict=False):
        pages.append(changes_page(site, std, before, after))
    return pages


def _comparisons(std: StandardContent) -> dict[str, Comparison]:
    return {after.date.isoformat(): compare(before.standard, after.standard)
            for before, after in zip(std.editions, std.editions[1:], strict=False)}


def versions_page(site: Site, std: StandardContent) -> Page:
    changes = _comparisons(std)
    rows = []
    for e in reversed(std.editions):
        found = changes.get(e.date.isoformat())
        rows.append({"edition": e, "url": urls.version(std.id, e.date),
                     "changes_url": urls.changes(std.id, e.date) if found else None,
                     "summary": found.summary() if found else "den første udgave på sitet"})
    title = std.standard.title
    return Page(
        url=urls.versions(std.id), template="versions.md.j2", title=f"{title}: alle udgaver",
        description=f"Alle udgaver af kvalitetsstandarden {title}: hvornår hver gjaldt, hvem der "
                    "godkendte den, og hvad der blev ændret.",
        context={"standard_title": title, "rows": rows, "current_url": urls.standard(std.id)},
        search=False, hide=("toc",), source=std.latest_file,
    )


def changes_page(site: Site, std: StandardContent, before: Edition, after: Edition) -> Page:
    found = compare(before.standard, after.standard)
    return Page(
        url=urls.changes(std.id, after.date), template="changes.md.j2",
        title=f"{after.standard.title}: ændringer {danish_date(after.date)}",
        description=f"Det er ændret i kvalitetsstandarden {after.standard.title} i udgaven, der "
                    f"gælder fra {danish_date(after.date)}.",
        context={"comparison": found, "before": before, "after": after,
                 "before_url": urls.version(std.id, before.date),
                 "after_url": urls.version(std.id, after.date),
                 "versions_url": urls.versions(std.id),
                 "parts": [{"change": p, "html": diff_html(p.words)} for p in found.changed],
                 "words": [{"term": t, "html": diff_html(words(o or "", n or ""))}
                           for t, o, n in found.words]},
        search=False, source=after.file, meta={"robots": "noindex"},
    )


def diff_html(pieces: list[Piece]) -> str:
    """Word changes as HTML that says what it shows: <del> and <ins> carry a hidden "slettet:" or
    "indsat:" for screen readers (most do not announce the elements themselves), and print as
    struck through and underlined, legible without colour."""
    paragraphs: list[list[str]] = [[]]
    for piece in pieces:
        for i, chunk in enumerate(piece.text.split(PARAGRAPH)):
            if i:
                paragraphs.append([])
            chunk = chunk.strip()
            if not chunk:
                continue
            text = html.escape(chunk)
            if piece.op == "-":
                text = f'<del><span class="kv-sr-only">slettet: </span>{text}</del>'
            elif piece.op == "+":
                text = f'<ins><span class="kv-sr-only">indsat: </span>{text}</ins>'
            paragraphs[-1].append(text)
    return "".join(f"<p>{' '.join(p)}</p>" for p in paragraphs if p)


def standards_data(site: Site) -> str:
    """/data/standarder.json: every dated standard with its editions, for other systems (a case
    system that stores the edition it cites)."""
    base = site.municipality.site_url
    items = []
    for std in site.standards:
        versions = [{"in_force_from": e.date.isoformat(),
                     "in_force_until": e.until.isoformat() if e.until else None,
                     "approved": e.standard.approved.isoformat() if e.standard.approved else None,
                     "approved_by": e.standard.approved_by, "state": e.state,
                     "page": urls.version(std.id, e.date),
                     "url": urls.absolute(base, urls.version(std.id, e.date)) if base else None}
                    for e in std.editions]
        items.append({"id": std.id, "title": std.standard.title, "page": urls.standard(std.id),
                      "versions": versions})
    return json.dumps({"standards": items}, ensure_ascii=False, indent=2) + "\n"
