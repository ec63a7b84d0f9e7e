"""What the text of a standard says in so many words, for the draft's keys: ``law`` from its
§ reference, a sagsbehandlingsfrist for ``facts``, the day it was adopted (``approved``), and
``description`` from the subtitle or the first sentence. Each is noted for review; nothing is
guessed beyond what the words say."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from kvalitet.sources.blocks import Block, Document, Para, excerpt, text_of
from kvalitet.sources.draft import Draft, Part, walk
from kvalitet.sources.structure import words

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


def find_law(draft: Draft, sections: list[Part], doc: Document) -> None:
    for part in walk(sections):
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
    counts = Counter(_find_laws(" ".join(text_of(p.blocks).plain for p in walk(sections))))
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


def find_facts(draft: Draft, blocks: list[Block], doc: Document) -> None:
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


def find_approved(draft: Draft, blocks: list[Block], doc: Document) -> None:
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


def find_description(draft: Draft, sections: list[Part], doc: Document) -> None:
    only_law = bool(_LAW.fullmatch(draft.subtitle.strip().rstrip(".")))
    if draft.subtitle and words(draft.subtitle) >= 3 and not only_law:
        draft.description = draft.subtitle
        doc.note("beskrivelse", f"beskrivelsen (description) er undertitlen "
                 f"«{draft.subtitle}». Læs den igennem: den vises i søgeresultater")
        return
    parts = list(walk(sections))
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
