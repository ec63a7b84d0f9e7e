"""Problems found in content: errors that stop a build and advice that does not.

This is the one place that formats what editors read. Every message is Danish and starts with the
file and (when known) the line: ``content/offers.yaml, linje 12: <what is wrong>. <what to do>``.
A problem may carry a complete, correct example of the block it is about (``example``): it is
printed under the message in the terminal and shown as code on the preview's error page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# What an error means where it is shown (the first line of the list of errors).
AFTER_CHECK = "Ret fejlene; siden kan først bygges, når de er rettet."
AFTER_BUILD = "Siden er ikke bygget; den offentliggjorte side er uændret."
AFTER_PREVIEW = ("Forhåndsvisningen viser en fejlside, til fejlene er rettet; den opdaterer sig "
                 "selv, når du gemmer filen.")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor should know about a content file."""

    file: str
    line: int
    message: str
    example: str | None = field(default=None, compare=False)
    urgent: bool = field(default=False, compare=False)  # advice: the page will look wrong
    # Where in the file (keys and list indexes, as in the YAML), and the message without its
    # "which item, which key" beginning: the preview names the place as the form shows it.
    path: tuple = field(default=(), compare=False)
    detail: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    @property
    def where(self) -> str:
        return f"{self.file}, linje {self.line}" if self.line else self.file


class ContentError(Exception):
    """Raised once, after loading and checking, when the content has one or more errors."""

    def __init__(self, errors: list[Problem]):
        self.errors = sorted(set(errors))
        super().__init__(format_errors(self.errors))


def error_count(count: int) -> str:
    return "1 fejl" if count == 1 else f"{count} fejl"


def _item(problem: Problem) -> list[str]:
    lines = [f"- {problem}"]
    if problem.example:
        lines.append("  Sådan kan det se ud:")
        lines += [f"    {ln}" for ln in problem.example.splitlines()]
    return lines


def format_errors(errors: list[Problem], after: str = AFTER_BUILD) -> str:
    """Every error, with what it means where it is shown (``after``)."""
    lines = [f"Indholdet har {error_count(len(errors))}. {after}", ""]
    for problem in errors:
        lines += _item(problem)
    return "\n".join(lines)


def format_advice(advice: list[Problem]) -> str:
    """Advice, the text that will look wrong on the page first (it is easy to miss among the
    facts a municipality has yet to supply)."""
    if not advice:
        return "Ingen råd: indholdet er komplet."
    lines = [f"{len(advice)} råd (siden kan bygges, men bør rettes før offentliggørelse):", ""]
    urgent = sorted(p for p in set(advice) if p.urgent)
    if urgent:
        lines += ["Tekst, der vil se forkert ud på siden (ret det før udgivelse):", ""]
        for problem in urgent:
            lines += _item(problem)
        lines += ["", "Andre råd:", ""]
    for problem in sorted(p for p in set(advice) if not p.urgent):
        lines += _item(problem)
    return "\n".join(lines)


@dataclass
class Findings:
    """Collects every error and every piece of advice of one load, so all are reported at once."""

    errors: list[Problem] = field(default_factory=list)
    advice: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int | None, message: str, example: str | None = None
              ) -> None:
        self.errors.append(Problem(file, line or 0, message, example))

    def advise(self, file: str, line: int | None, message: str, example: str | None = None,
               urgent: bool = False, path: tuple = (), detail: str = "") -> None:
        self.advice.append(Problem(file, line or 0, message, example, urgent, path, detail))

    def raise_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)
