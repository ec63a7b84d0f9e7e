"""Shaped blocks -> a draft standard: title, subtitle, sections and sub-sections with ids, the
standard's own word list, ``law`` from its § reference, and the few facts the text states in so
many words. Nothing is made up: what the source does not say stays empty, and every guess is a
note in the review report."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from kvalitet.content.ids import unique_id
from kvalitet.sources.blocks import (
    Block,
    Document,
    Heading,
    Inline,
    ListBlock,
    Para,
    Subtitle,
    Table,
    Terms,
    escape,
    excerpt,
    text_of,
)
from kvalitet.sources.markdown import render, safe_start, wrap
from kvalitet.sources.structure import is_glossary_title, shape, words


@dataclass
class Part:
    """A section or sub-section of the draft."""

    title: str
    where: str = ""
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Part] = field(default_factory=list)
    id: str = ""
    body: str = ""
    added: bool = False  # the import made its title ("Indledning"): the source has none


@dataclass
class Draft:
    """A draft standard, ready to be written as YAML."""

    title: str = ""
    subtitle: str = ""
    law: str = ""
    description: str = ""
    approved: dt.date | None = None
    approved_by: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Part] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)  # term, definition (Markdown)
    notes: list = field(default_factory=list)
    kind: str = ""


def split(doc: Document) -> Draft:
    """The draft standard made from a reader's document."""
    blocks = shape(doc)
    draft = Draft(kind=doc.kind)
    at = next((k for k, b in enumerate(blocks) if isinstance(b, Heading) and b.level <= 1), None)
    start = 0
    if at is not None and blocks[at].level == 0:
        draft.title = blocks.pop(at).text.plain
        start = at
    elif doc.title:
        draft.title = doc.title
        doc.note("titel", f"titlen «{doc.title}» er taget fra filens egenskaber (dokumentet har "
                 "ingen tydelig titel). Tjek den")
    for j in range(start, min(start + 2, len(blocks))):
        block = blocks[j]
        if isinstance(block, Subtitle) and block.text:
            draft.subtitle = block.text.plain
            blocks.pop(j)
            break
        # A "heading" without text of its own, or a guessed one that names the standard kind.
        bare = isinstance(block, Heading) and (
            (j + 1 < len(blocks) and isinstance(blocks[j + 1], Heading))
            or (block.guessed and "kvalitetsstandard" in block.text.plain.lower()))
        if (isinstance(block, Para) or bare) and j == start \
                and _subtitle_like(block.text.plain):
            draft.subtitle = block.text.plain
            doc.note("undertitel", f"undertitlen er gættet: {excerpt(block.text.plain, 12)}",
                     block.where)
            blocks.pop(j)
            break
        if not isinstance(block, Subtitle):
            break
    if draft.subtitle and draft.title and draft.subtitle.endswith(" " + draft.title):
        # A running header printed after the subtitle (text pulled out of a PDF).
        draft.subtitle = draft.subtitle[: -len(draft.title)].strip()
    sections, glossary = _parts(blocks, doc)
    draft.glossary = _glossary(glossary, doc) if glossary else []
    _fill(sections, doc)
    draft.sections = sections
    _ids(sections)
    everything = [b for p in _walk(sections) for b in p.blocks]
    _law(draft, sections, doc)
    _facts(draft, everything, doc)
    _approved(draft, blocks, doc)
    _description(draft, sections, doc)
    draft.notes = doc.notes
    return draft


def _subtitle_like(text: str) -> bool:
    text = text.strip()
    return 0 < words(text) <= 15 and not text.endswith((".", ":", ";", ",")) \
        and text[:1].isupper() and not re.search(r"[.!?] \S", text)


# --- sections ------------------------------------------------------------------------------------

def _walk(parts: list[Part]):
    for part in parts:
        yield part
        yield from part.subsections


def _parts(blocks: list[Block], doc: Document) -> tuple[list[Part], list[Block] | None]:
    sections: list[Part] = []
    glossary: list[Block] | None = None
    current: Part | None = None
    target: Part | None = None  # the section or sub-section text goes into
    in_glossary = False
    preamble: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            if is_glossary_title(block.text.plain):
                in_glossary = True
                glossary = glossary or []
                current = target = None
                continue
            in_glossary = False
            current = Part(block.text.plain, block.where)
            sections.append(current)
            target = current
            continue
        if in_glossary:
            glossary.append(block)
            continue
        if _continues(block) and _join_fragment(
                block, [glossary or [], [b for p in _walk(sections) for b in p.blocks]], doc):
            continue
        if glossary is not None and isinstance(block, ListBlock) \
                and all(_term_split(i.text) for i in block.items):
            glossary.append(block)
            doc.note("ordforklaring", f"punkterne {excerpt(block.items[0].text.plain)} ligner "
                     "ordforklaringens (ord: forklaring) og er lagt i ordforklaringen, selv "
                     "om de står efter et andet afsnit", block.where)
            continue
        if isinstance(block, Heading) and block.level == 2:
            if current is None:
                current = Part(block.text.plain, block.where)
                sections.append(current)
                target = current
                continue
            sub = Part(block.text.plain, block.where)
            current.subsections.append(sub)
            target = sub
            continue
        if target is None:
            preamble.append(block)
        else:
            target.blocks.append(block)
    if preamble:
        intro = Part("Indledning", preamble[0].where, preamble, added=True)
        sections.insert(0, intro)
        doc.note("placering", f"teksten før den første overskrift "
                 f"{excerpt(text_of(preamble).plain)} er lagt i et afsnit med overskriften "
                 "«Indledning», som ikke står i kilden. Ret overskriften, eller flyt teksten",
                 preamble[0].where)
    return sections, glossary


def _continues(block: Block) -> bool:
    return isinstance(block, Para) and block.continues


def _ends_open(text: str) -> bool:
    """Whether a text stops mid-sentence (it was cut by a column or page break)."""
    text = text.rstrip()
    return bool(text) and text[-1] not in ".!?:;)»”\"" and not text.endswith("…")


def _join_fragment(fragment: Para, candidates: list[list[Block]], doc: Document) -> bool:
    """Append text that starts mid-sentence to the last block before it that stops
    mid-sentence (text pulled out of a PDF mixes up columns): in the word list first, then in
    the sections. False, and a note, when there is none."""
    for blocks in candidates:
        for block in reversed(blocks):
            if isinstance(block, ListBlock) and block.items \
                    and _ends_open(block.items[-1].text.plain):
                item = block.items[-1]
                item.text = Inline(f"{item.text.md} {fragment.text.md}",
                                   f"{item.text.plain} {fragment.text.plain}")
            elif isinstance(block, Para) and _ends_open(block.text.plain):
                block.text = Inline(f"{block.text.md} {fragment.text.md}",
                                    f"{block.text.plain} {fragment.text.plain}")
            else:
                continue
            doc.note("placering", f"teksten {excerpt(fragment.text.plain)} begynder midt i en "
                     "sætning og er sat efter teksten, den fortsætter (kolonner og sider er "
                     "blandet i kilden). Tjek, at den står rigtigt", fragment.where)
            return True
    doc.note("placering", f"teksten {excerpt(fragment.text.plain)} begynder midt i en sætning, "
             "og importen fandt ikke, hvad den fortsætter. Den står, hvor den stod i kilden: "
             "flyt den", fragment.where)
    return False


def _fill(sections: list[Part], doc: Document) -> None:
    """Render bodies; a heading without text gets a list of its sub-sections, or is left out."""
    empty_run = longest = 0
    for section in list(sections):
        empty_run = 0 if section.blocks or section.subsections else empty_run + 1
        longest = max(longest, empty_run)
        for sub in list(section.subsections):
            sub.body = render(sub.blocks)
            if not sub.body.strip():
                section.subsections.remove(sub)
                doc.note("placering", f"underoverskriften «{sub.title}» har ingen tekst under "
                         "sig og er ikke taget med", sub.where)
        section.body = render(section.blocks)
        if section.body.strip():
            continue
        if section.subsections:
            section.body = "\n".join(f"- {_link_placeholder(sub)}" for sub in section.subsections)
            doc.note("placering", f"afsnittet «{section.title}» har ingen tekst før den første "
                     "underoverskrift; teksten er sat til en liste over underafsnittene. Ret "
                     "den, hvis standarden har en tekst til afsnittet", section.where)
        else:
            sections.remove(section)
            doc.note("placering", f"overskriften «{section.title}» har ingen tekst under sig og "
                     "er ikke taget med som afsnit", section.where)
    if longest >= 3:
        doc.note("placering", f"{longest} overskrifter i træk har ingen tekst under sig: "
                 "spørgsmålene og svarene er sandsynligvis trukket ud af PDF'en hver for sig. "
                 "Importér PDF'en selv, eller gem teksten med layoutet bevaret (fx pdftotext "
                 "-layout), og importér igen")


def _link_placeholder(sub: Part) -> str:
    return f"\x00{id(sub)}\x00"  # replaced by a link once ids are known (_ids)


def _ids(sections: list[Part]) -> None:
    taken: set[str] = set()
    for part in _walk(sections):
        part.id = unique_id(part.title, taken)
        taken.add(part.id)
    for section in sections:
        for sub in section.subsections:
            section.body = section.body.replace(
                _link_placeholder(sub), f"[{_md_text(sub.title)}](#{sub.id})")


def _md_text(text: str) -> str:
    return escape(text)


# --- the word list -------------------------------------------------------------------------------

_TERM_HEAD = re.compile(r"^(?:ord|begreb|term|udtryk)$", re.I)


def _term_split(text: Inline) -> tuple[str, str] | None:
    """("Skøn", "I denne sammenhæng …") from "Skøn: I denne sammenhæng …", "**Skøn** I …" or
    "Skøn – I …" (term in plain text, definition in Markdown); None when it is not an entry."""
    md, plain = text.md.strip(), text.plain.strip()
    m = re.match(r"^\*\*(.+?)\*\*\s*[:–—-]?\s*(\S.*)$", md, re.S)
    if m:
        term = re.sub(r"\\(.)", r"\1", m.group(1)).strip().rstrip(":").strip()
        return (term, m.group(2).strip()) if 0 < words(term) <= 6 else None
    for sep in (": ", " – ", " — ", " - "):
        if sep in plain and sep in md:
            term, definition = plain.split(sep, 1)[0], md.split(sep, 1)[1]
            if 0 < words(term) <= 6 and term[:1].isupper() and definition.strip() \
                    and not term.rstrip().endswith(("?", ".")):
                return term.strip(), definition.strip()
    return None


def _glossary(blocks: list[Block], doc: Document) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    # A word list made as a table, a definition list or a list: a paragraph after it is not
    # an entry (a web page's "Sidst opdateret: …").
    structured = any(isinstance(b, Table | Terms | ListBlock) for b in blocks)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Table):
            rows = block.rows
            head = text_of(rows[0][0]).plain.strip() if rows and rows[0] else ""
            if block.header or _TERM_HEAD.match(head):
                rows = rows[1:]
            for row in rows:
                if len(row) >= 2 and text_of(row[0]):
                    entries.append((text_of(row[0]).plain, render(row[1]).strip()))
                elif row:
                    _leftover(doc, text_of(row).plain, block.where)
        elif isinstance(block, Terms):
            for term, definition in block.entries:
                if term and definition:
                    entries.append((term.plain, render(definition).strip()))
                else:
                    _leftover(doc, (term.plain if term else text_of(definition).plain),
                              block.where)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found = _term_split(item.text)
                if found:
                    term, definition = found
                    extra = render(item.lists).strip()
                    entries.append((term, definition + ("\n\n" + extra if extra else "")))
                else:
                    _leftover(doc, item.text.plain, block.where)
        elif isinstance(block, Para | Heading):
            found = _term_split(block.text) if isinstance(block, Para) and not structured \
                else None
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if found:
                entries.append(found)
            elif (isinstance(block, Heading) or block.bold) and isinstance(nxt, Para) \
                    and words(block.text.plain) <= 6 and not structured:
                entries.append((block.text.plain.strip().rstrip(":"), render([nxt]).strip()))
                i += 1
            else:
                _leftover(doc, block.text.plain, block.where)
        else:
            _leftover(doc, text_of([block]).plain, block.where)
        i += 1
    if not entries:
        doc.note("ordforklaring", "ordforklaringen er fundet, men importen kunne ikke læse ord "
                 "og forklaringer i den. Skriv dem under glossary")
    return [(t, d if "\n" in d else wrap(safe_start(d))) for t, d in entries if t and d]


def _leftover(doc: Document, text: str, where: str) -> None:
    if text.strip():
        doc.note("placering", f"teksten {excerpt(text, 12)} i ordforklaringen er ikke et ord "
                 "med en forklaring og er ikke taget med. Flyt den til et afsnit, hvis den skal "
                 "med", where)


# --- law, facts, dates, description -------------------------------------------------------------

_LAW_NAME = r"(?:[A-ZÆØÅa-zæøå]+-?(?:lov)(?:en)?|[Ll]ov om [a-zæøå ,-]+?)"
_PARAGRAPH = r"§§?\s*\d+[a-z]?\b(?:\s*(?:,|og|-|–)\s*(?:§\s*)?\d+[a-z]?\b)*"
_LAW = re.compile(rf"\b(?P<name>{_LAW_NAME})s?\s*(?P<para>{_PARAGRAPH})")
_LAW_AFTER = re.compile(rf"(?P<para>§\s*\d+[a-z]?)\s+i\s+(?P<name>{_LAW_NAME})s?\b")
_LAW_TITLE = re.compile(r"^(?:lovgrundlag(?:et)?|lovgivning(?:en)?|lovhjemmel|lovgrundlag og "
                        r"regler|regler|lovgivning og regler|hjemmel)\b", re.I)


def _law_name(name: str) -> str:
    name = name.strip()
    if name.lower().endswith("lovens"):
        name = name[:-1]
    return name[:1].upper() + name[1:]


def _find_laws(text: str) -> list[str]:
    found = []
    for m in _LAW.finditer(text):
        if m.group("name").lower().startswith("lov om") or m.group("name").lower().endswith(
                ("loven", "lov")):
            para = re.sub(r"\s+", " ", m.group("para")).strip().rstrip(",").strip()
            para = re.sub(r"§(?=\d)", "§ ", para)
            found.append(f"{_law_name(m.group('name'))} {para}")
    for m in _LAW_AFTER.finditer(text):
        para = re.sub(r"§(?=\d)", "§ ", m.group("para"))
        found.append(f"{_law_name(m.group('name'))} {para}")
    return found


def _law(draft: Draft, sections: list[Part], doc: Document) -> None:
    for part in _walk(sections):
        if _LAW_TITLE.match(part.title):
            found = _find_laws(text_of(part.blocks).plain)
            if found:
                draft.law = found[0]
                doc.note("lovgrundlag", f"lovgrundlaget (law) er sat til «{draft.law}» fra "
                         f"afsnittet «{part.title}». Tjek det", part.where)
                return
    found = _find_laws(f"{draft.title}. {draft.subtitle}")
    if found:
        draft.law = found[0]
        doc.note("lovgrundlag", f"lovgrundlaget (law) er sat til «{draft.law}» fra titlen eller "
                 "undertitlen. "
                 "Tjek det")
        return
    counts = Counter(_find_laws(" ".join(text_of(p.blocks).plain for p in _walk(sections))))
    if counts:
        draft.law = counts.most_common(1)[0][0]
        doc.note("lovgrundlag", f"lovgrundlaget (law) er sat til «{draft.law}», den henvisning, "
                 "teksten oftest "
                 "nævner; standarden har intet afsnit om lovgrundlaget. Tjek det")
        return
    doc.note("mangler", "standarden nævner ingen lov med paragraf, så law (lovgrundlaget) står "
             "tom. Skriv det, fx som det står i den godkendte standard")


_NUMBERS = {"en": "1", "et": "1", "én": "1", "to": "2", "tre": "3", "fire": "4", "fem": "5",
            "seks": "6", "syv": "7", "otte": "8", "ni": "9", "ti": "10", "tolv": "12",
            "fjorten": "14"}
_DEADLINE = re.compile(r"\bsagsbehandlingsfrist(?:en)?\s+(?:på|er)\s+(?:op til\s+|højst\s+)?"
                       r"(?P<n>\d{1,3}|" + "|".join(_NUMBERS) + r")\s+"
                       r"(?P<unit>uger?|dage|hverdage|arbejdsdage|måneder|måned)\b", re.I)


def _facts(draft: Draft, blocks: list[Block], doc: Document) -> None:
    values = []
    for block in blocks:
        for m in _DEADLINE.finditer(text_of([block]).plain):
            number = _NUMBERS.get(m.group("n").lower(), m.group("n"))
            values.append((f"{number} {m.group('unit').lower()}", block.where))
    distinct = list(dict.fromkeys(v for v, _ in values))
    if len(distinct) == 1:
        draft.facts.append(("Sagsbehandlingsfrist", distinct[0]))
        doc.note("fakta", f"nøgletallet «Sagsbehandlingsfrist: {distinct[0]}» står i teksten og "
                 "er sat under facts. Tjek det", values[0][1])
    elif len(distinct) > 1:
        doc.note("fakta", "teksten nævner flere sagsbehandlingsfrister ("
                 + ", ".join(distinct) + "); ingen er sat under facts. Skriv dem selv, hvis de "
                 "skal stå øverst")


_MONTHS = {m: i for i, m in enumerate(["januar", "februar", "marts", "april", "maj", "juni",
                                       "juli", "august", "september", "oktober", "november",
                                       "december"], start=1)}
_APPROVED = re.compile(
    r"\b(?:vedtaget|godkendt|besluttet)\b(?P<mid>[^.]{0,80}?)\b(?:den\s+|d\.\s*)?"
    r"(?P<d>\d{1,2})\.?\s*(?:(?P<month>" + "|".join(_MONTHS) + r")|/(?P<m>\d{1,2})[/.-]?)\s*"
    r"(?P<y>\d{4})", re.I)
# Who adopted it: "Byrådet", "Kommunalbestyrelsen", "Social- og Sundhedsudvalget", ...
_BODY = re.compile(r"\b((?:[A-ZÆØÅ][a-zæøå]*-?,? (?:og )?)*[A-ZÆØÅ][a-zæøå]*"
                   r"(?:udvalget|rådet|bestyrelsen))\b")


def _approved(draft: Draft, blocks: list[Block], doc: Document) -> None:
    """``approved`` (and ``approved_by``) when the text says, in one date, when it was adopted."""
    found: dict[dt.date, tuple[str, str]] = {}
    texts = [(text_of([b]).plain, b.where) for b in blocks]
    for text, where in texts:
        for m in _APPROVED.finditer(text):
            month = _MONTHS.get((m.group("month") or "").lower()) or int(m.group("m") or 0)
            try:
                date = dt.date(int(m.group("y")), month, int(m.group("d")))
            except ValueError:
                continue
            body = _BODY.search(m.group("mid") or "")
            found.setdefault(date, (body.group(1)[:1].upper() + body.group(1)[1:]
                                    if body else "", where))
    if len(found) == 1:
        (date, (body, where)), = found.items()
        draft.approved, draft.approved_by = date, body
        doc.note("dato", f"datoen for godkendelsen (approved) er sat til {date.isoformat()}"
                 + (f" og hvem der godkendte (approved_by) til «{body}»" if body else "")
                 + " ud fra teksten. Tjek det: datoen afgør, hvornår udgaven gælder fra", where)
    elif len(found) > 1:
        doc.note("dato", "teksten nævner flere datoer for vedtagelse ("
                 + ", ".join(d.isoformat() for d in sorted(found)) + "); approved er ikke sat. "
                 "Skriv datoen, standarden blev godkendt")


def _description(draft: Draft, sections: list[Part], doc: Document) -> None:
    only_law = bool(_LAW.fullmatch(draft.subtitle.strip().rstrip(".")))
    if draft.subtitle and words(draft.subtitle) >= 3 and not only_law:
        draft.description = draft.subtitle
        doc.note("beskrivelse", f"beskrivelsen (description) er undertitlen "
                 f"«{draft.subtitle}». Læs den igennem: den vises i søgeresultater")
        return
    parts = list(_walk(sections))
    # The standard's own first sentence: not the text the import put under "Indledning" when
    # there is more, and not a line saying when it was adopted.
    if len(parts) > 1 and parts[0].added:
        parts = parts[1:] + parts[:1]
    for part in parts:
        first = next((b for b in part.blocks if isinstance(b, Para)
                      and not _APPROVED.search(b.text.plain)), None)
        if first is None:
            continue
        sentence = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])", first.text.plain.strip())[0]
        if 4 <= words(sentence) <= 45:
            draft.description = sentence
            doc.note("beskrivelse", f"beskrivelsen (description) er standardens første sætning "
                     f"{excerpt(sentence, 12)}. Læs den igennem: den vises i søgeresultater",
                     first.where)
            return
    if draft.title:
        draft.description = draft.title
        doc.note("beskrivelse", "beskrivelsen (description) er titlen, fordi standarden ikke har "
                 "en undertitel "
                 "eller en kort første sætning. Skriv én sætning om standarden")


