"""``kvalitet report``: plain-language figures per section and what must be supplied before launch.

It advises and never blocks: the figures help editors write "Kort fortalt" summaries that people
who read poorly can use (LIX 35 or lower as the aim, 40 at most; sentences of at most 25 words).
"""

from __future__ import annotations

from dataclasses import dataclass

from kvalitet.content.load import Site
from kvalitet.plain import Readability, readability
from kvalitet.problems import Problem

LIX_AIM = 35
LIX_MAX = 40
SENTENCE_MAX = 25


@dataclass(frozen=True)
class SectionFigures:
    standard_id: str
    section_id: str
    file: str
    line: int
    official: Readability
    summary: Readability | None


def figures(site: Site) -> list[SectionFigures]:
    """LIX and sentence lengths of every section's and sub-section's official text and
    summary."""
    found = []
    for std in site.standards:
        for path, part in std.standard.parts():
            found.append(SectionFigures(
                std.id, part.id, std.file, site.line(std.file, *path),
                readability(part.body), readability(part.summary) if part.summary else None))
    return found


def summary_advice(rows: list[SectionFigures]) -> list[Problem]:
    """Advice on the summaries: missing, too hard, sentences too long."""
    advice = []
    for row in rows:
        where = f'afsnittet "{row.section_id}"'
        if row.summary is None:
            advice.append(Problem(row.file, row.line, f'{where} har ingen "Kort fortalt" '
                                  "(summary). Skriv to til fire korte sætninger i et enkelt "
                                  "sprog"))
            continue
        if row.summary.lix > LIX_MAX:
            advice.append(Problem(row.file, row.line, f'{where}: "Kort fortalt" har LIX '
                                  f"{row.summary.lix:.0f} (over {LIX_MAX}). Brug kortere ord og "
                                  "sætninger"))
        if row.summary.longest_sentence > SENTENCE_MAX:
            advice.append(Problem(row.file, row.line, f'{where}: "Kort fortalt" har en sætning på '
                                  f"{row.summary.longest_sentence} ord (over {SENTENCE_MAX}). Del "
                                  "den op"))
    return advice


def report(site: Site) -> str:
    """The report as text."""
    rows = figures(site)
    out = ["Sprog: LIX (under 25 meget let, 25-34 let, 35-44 middel, 45-54 svær, 55+ meget svær)",
           f"Mål for \"Kort fortalt\": LIX {LIX_AIM} eller lavere, højst {LIX_MAX}; "
           f"sætninger på højst {SENTENCE_MAX} ord.", ""]
    for std in site.standards:
        out.append(f"{std.standard.title} ({std.file})")
        out.append(f"  {'afsnit':<40} {'LIX tekst':>9} {'LIX kort':>9} "
                   f"{'længste sætning i kort':>23}")
        for row in (r for r in rows if r.standard_id == std.id):
            summary = row.summary
            out.append(f"  {row.section_id:<40} {row.official.lix:>9.0f} "
                       f"{(f'{summary.lix:.0f}' if summary else '-'):>9} "
                       f"{(f'{summary.longest_sentence} ord' if summary else '-'):>23}")
        out.append("")
    advice = summary_advice(rows)
    out.append("Råd om sproget:" if advice else "Råd om sproget: ingen.")
    out += [f"- {a}" for a in advice]
    out += ["", "Før offentliggørelse skal kommunen stadig levere:" if site.advice
            else "Før offentliggørelse: intet mangler."]
    out += [f"- {a}" for a in site.advice]
    return "\n".join(out)
