"""Shaped blocks -> a draft standard: title, subtitle, sections and sub-sections with ids, the
standard's own word list, ``law`` from its § reference, and the few facts the text states in so
many words. Nothing is made up: what the source does not say stays empty, and every guess is a
note in the review report."""

from __future__ import annotations

import re

from kvalitet.content.ids import unique_id
from kvalitet.sources.blocks import (
    Block,
    Document,
    Heading,
    Inline,
    ListBlock,
    Para,
    Subtitle,
    escape,
    excerpt,
    text_of,
)
from kvalitet.sources.draft import Draft, Part, walk
from kvalitet.sources.facts import find_approved, find_description, find_facts, find_law
from kvalitet.sources.markdown import render
from kvalitet.sources.structure import is_glossary_title, shape, words
from kvalitet.sources.wordlist import read_word_list, term_split

__all__ = ["Draft", "Part", "split"]


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
    draft.glossary = read_word_list(glossary, doc) if glossary else []
    _fill(sections, doc)
    draft.sections = sections
    _ids(sections)
    everything = [b for p in walk(sections) for b in p.blocks]
    find_law(draft, sections, doc)
    find_facts(draft, everything, doc)
    find_approved(draft, blocks, doc)
    find_description(draft, sections, doc)
    draft.notes = doc.notes
    return draft


def _subtitle_like(text: str) -> bool:
    text = text.strip()
    return 0 < words(text) <= 15 and not text.endswith((".", ":", ";", ",")) \
        and text[:1].isupper() and not re.search(r"[.!?] \S", text)


# --- sections ------------------------------------------------------------------------------------

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
                block, [glossary or [], [b for p in walk(sections) for b in p.blocks]], doc):
            continue
        if glossary is not None and isinstance(block, ListBlock) \
                and all(term_split(i.text) for i in block.items):
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
    for part in walk(sections):
        part.id = unique_id(part.title, taken)
        taken.add(part.id)
    for section in sections:
        for sub in section.subsections:
            section.body = section.body.replace(
                _link_placeholder(sub), f"[{_md_text(sub.title)}](#{sub.id})")


def _md_text(text: str) -> str:
    return escape(text)
