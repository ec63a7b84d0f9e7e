"""The review report of an import: what the draft holds, what the editor must fill in, and
everything the import was unsure of, each with where it came from in the source. Printed in the
terminal and written as import-rapport.md beside the draft (Danish, for editors)."""

from __future__ import annotations

from kvalitet.sources.blocks import Note
from kvalitet.sources.draft import Draft

REPORT_NAME = "import-rapport.md"
# The report's groups, in the order an editor should work through them.
GROUPS = [
    ("Skal udfyldes, før standarden kan bygges", ("mangler",)),
    ("Sat ud fra teksten: tjek, at det er rigtigt", ("lovgrundlag", "fakta", "dato",
                                                    "beskrivelse")),
    ("Gættet ud fra dokumentets form: tjek titler og overskrifter", ("titel", "undertitel",
                                                                     "overskrift")),
    ("Flyttet, samlet eller ikke placeret: tjek, at teksten står rigtigt",
     ("placering", "ordforklaring", "tabel", "udeladt")),
    ("Ikke importeret", ("sidehoved", "billede", "html", "link")),
]


def _line(note: Note) -> str:
    if note.where:
        return f"- {note.where}: {note.message}."
    return f"- {note.message[:1].upper()}{note.message[1:]}."


def summary(draft: Draft) -> str:
    subsections = sum(len(s.subsections) for s in draft.sections)
    parts = [f"{len(draft.sections)} afsnit"]
    if subsections:
        parts.append(f"{subsections} underafsnit")
    parts.append(f"{len(draft.glossary)} ord i ordforklaringen")
    return ", ".join(parts)


def report(draft: Draft, source: str, standard_file: str, missing: list[str]) -> str:
    """The report as Markdown (it reads as plain text in a terminal too)."""
    lines = [f"# Importrapport: {draft.title or source}", "",
             f"Kilde: {source}. Udkast: {standard_file} ({summary(draft)}).", "",
             "Importen har lavet et udkast ud fra dokumentet. Den har ikke skrevet noget nyt: "
             "\"Kort fortalt\" (summary), \"Sådan søger du\" (apply) og kontakter skal I selv "
             "skrive. Læs udkastet igennem mod dokumentet, ret det, kør \"kvalitet check\", og "
             "se siden med \"make serve\".", ""]
    notes = list(draft.notes)
    for field in missing:
        notes.insert(0, Note("mangler", field))
    for title, kinds in GROUPS:
        found = [n for n in notes if n.kind in kinds]
        if found:
            lines += [f"## {title}", ""]
            lines += [_line(n) for n in dict.fromkeys(found)]
            lines.append("")
    lines += ["## Id'er og adresser", "",
              "Afsnittenes id'er er lavet af overskrifterne (æ, ø og å skrevet som ae, oe og "
              "aa). De bliver adresser, som sagsbehandlere linker til i breve. Forkort dem gerne "
              "nu, før standarden udgives første gang; bagefter må de ikke ændres (brug "
              "former_ids).", ""]
    return "\n".join(lines)
