"""What changed between two editions of a standard: facts first, then section by section, word
by word. The change page and ``kvalitet forskelle`` show the same comparison."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from kvalitet.content import model as m
from kvalitet.plain import plain_text

_TOKEN = re.compile(r"\n\s*\n|\S+")  # words (with their punctuation), and paragraph breaks
PARAGRAPH = "\n\n"


@dataclass(frozen=True)
class Piece:
    """A run of words: kept (" "), inserted ("+") or deleted ("-")."""

    op: str
    text: str


@dataclass(frozen=True)
class FactChange:
    label: str
    old: str | None  # None: the fact is new
    new: str | None  # None: the fact was removed


@dataclass(frozen=True)
class PartChange:
    """One section or sub-section: how it changed, and its text word by word."""

    kind: str  # "added", "removed", "renamed", "changed" or "same"
    old_id: str | None
    new_id: str | None
    old_title: str | None
    new_title: str | None
    words: list[Piece] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.new_title or self.old_title or ""


@dataclass(frozen=True)
class Comparison:
    facts: list[FactChange]
    parts: list[PartChange]
    fields: list[tuple[str, str | None, str | None]]  # other keys: (what, old, new)
    words: list[tuple[str, str | None, str | None]]  # the word list: (term, old, new)

    @property
    def changed(self) -> list[PartChange]:
        return [p for p in self.parts if p.kind != "same"]

    def summary(self) -> str:
        """One line for the list of editions: "2 afsnit ændret, 1 nyt; 1 nøgletal ændret"."""
        counts = {kind: sum(1 for p in self.parts if p.kind == kind)
                  for kind in ("changed", "renamed", "added", "removed")}
        said = []
        if counts["changed"] or counts["renamed"]:
            said.append(f"{counts['changed'] + counts['renamed']} afsnit ændret")
        if counts["added"]:
            said.append(f"{counts['added']} nyt" if counts["added"] == 1
                        else f"{counts['added']} nye")
        if counts["removed"]:
            said.append(f"{counts['removed']} fjernet")
        if self.facts:
            said.append(f"{len(self.facts)} nøgletal ændret")
        if self.fields or self.words:
            said.append("andre oplysninger ændret")
        return ", ".join(said) if said else "ingen ændringer i teksten"


def words(old: str, new: str) -> list[Piece]:
    """A word-level comparison of two texts, paragraph breaks kept."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    a = [PARAGRAPH if not t.strip() else t for t in a]
    b = [PARAGRAPH if not t.strip() else t for t in b]
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            pieces.append(Piece("-", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("+", " ".join(b[j1:j2])))
        if op == "equal":
            pieces.append(Piece(" ", " ".join(a[i1:i2])))
    return pieces


def _text(part: m.Section | m.Subsection) -> str:
    """The official text as a reader sees it (links as their text, no Markdown signs)."""
    return plain_text(part.body)


def compare(old: m.Standard, new: m.Standard) -> Comparison:
    """The changes from ``old`` to ``new``. A section is the same section when it keeps its id
    or lists the old id under ``former_ids`` (renamed)."""
    old_parts = {p.id: p for _, p in old.parts()}
    new_parts = [p for _, p in new.parts()]
    by_former = {f: p for p in new_parts for f in p.former_ids}
    parts: list[PartChange] = []
    matched: set[str] = set()
    for part in new_parts:
        before = old_parts.get(part.id)
        renamed = None
        if before is None:
            renamed = next((old_parts[f] for f in part.former_ids if f in old_parts), None)
            before = renamed
        if before is None:
            parts.append(PartChange("added", None, part.id, None, part.title,
                                    words("", _text(part))))
            continue
        matched.add(before.id)
        kind = "renamed" if renamed else "same"
        if kind == "same" and (before.title != part.title or before.body != part.body):
            kind = "changed"
        parts.append(PartChange(kind, before.id, part.id, before.title, part.title,
                                words(_text(before), _text(part))))
    for oid, part in old_parts.items():
        if oid not in matched and oid not in by_former:
            parts.append(PartChange("removed", oid, None, part.title, None,
                                    words(_text(part), "")))
    old_facts = {f.label: f.value for f in old.facts}
    new_facts = {f.label: f.value for f in new.facts}
    facts = [FactChange(label, old_facts.get(label), new_facts.get(label))
             for label in [*new_facts, *(k for k in old_facts if k not in new_facts)]
             if old_facts.get(label) != new_facts.get(label)]
    fields = [(what, getattr(old, key), getattr(new, key)) for key, what in (
        ("title", "Titel"), ("subtitle", "Undertitel"), ("law", "Lovgrundlag"))
        if getattr(old, key) != getattr(new, key)]
    old_words = {e.term: e.definition for e in old.glossary}
    new_words = {e.term: e.definition for e in new.glossary}
    changed_words = [(term, old_words.get(term), new_words.get(term))
                     for term in [*new_words, *(t for t in old_words if t not in new_words)]
                     if old_words.get(term) != new_words.get(term)]
    return Comparison(facts, parts, fields, changed_words)


def as_text(comparison: Comparison, old_label: str, new_label: str) -> str:
    """The comparison for a terminal: [-slettet-] and {+indsat+} inside each changed section."""
    out = [f"Ændringer fra {old_label} til {new_label}:", ""]
    if comparison.facts:
        out.append("Nøgletal:")
        out += [f"  {f.label}: {f.old or '(ikke før)'} → {f.new or '(fjernet)'}"
                for f in comparison.facts]
        out.append("")
    for what, before, after in comparison.fields:
        out.append(f"{what}: {before or '(ingen)'} → {after or '(ingen)'}")
    kinds = {"added": "Nyt afsnit", "removed": "Fjernet afsnit", "renamed": "Afsnit med nyt id",
             "changed": "Ændret afsnit"}
    for part in comparison.changed:
        ids = part.new_id if part.kind != "renamed" else f"{part.old_id} → {part.new_id}"
        out.append(f"{kinds[part.kind]}: {part.title} ({ids or part.old_id})")
        if part.old_title and part.new_title and part.old_title != part.new_title:
            out.append(f"  Overskrift: {part.old_title} → {part.new_title}")
        if any(p.op != " " for p in part.words):
            out.append("  " + _marked(part.words))
        out.append("")
    for term, before, after in comparison.words:
        out.append(f"Ordforklaring: {term}: " + _marked(words(before or "", after or "")))
    if not comparison.changed and not comparison.facts and not comparison.fields \
            and not comparison.words:
        out.append("Ingen ændringer i teksten.")
    return "\n".join(out).rstrip() + "\n"


def _marked(pieces: list[Piece]) -> str:
    shown = []
    for piece in pieces:
        text = piece.text.replace(PARAGRAPH, "¶")
        shown.append(text if piece.op == " " else f"[-{text}-]" if piece.op == "-"
                     else f"{{+{text}+}}")
    return " ".join(shown).replace("\n", " ")
