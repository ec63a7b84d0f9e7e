"""Problems found in content: errors that stop a build and advice that does not.

This is the one place that formats what editors read. Every message is Danish and starts with the
file and (when known) the line: ``content/offers.yaml, linje 12: <what is wrong>. <what to do>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor should know about a content file."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, linje {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised once, after loading, when the content has one or more errors."""

    def __init__(self, errors: list[Problem]):
        self.errors = sorted(set(errors))
        super().__init__(format_errors(self.errors))


def format_errors(errors: list[Problem]) -> str:
    count = len(errors)
    head = "Indholdet har 1 fejl" if count == 1 else f"Indholdet har {count} fejl"
    lines = [f"{head}. Siden er ikke bygget; den offentliggjorte side er uændret.", ""]
    lines += [f"- {p}" for p in errors]
    return "\n".join(lines)


def format_advice(advice: list[Problem]) -> str:
    if not advice:
        return "Ingen råd: indholdet er komplet."
    lines = [f"{len(advice)} råd (siden kan bygges, men bør rettes før offentliggørelse):", ""]
    lines += [f"- {p}" for p in sorted(set(advice))]
    return "\n".join(lines)


@dataclass
class Findings:
    """Collects every error and every piece of advice of one load, so all are reported at once."""

    errors: list[Problem] = field(default_factory=list)
    advice: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int | None, message: str) -> None:
        self.errors.append(Problem(file, line or 0, message))

    def advise(self, file: str, line: int | None, message: str) -> None:
        self.advice.append(Problem(file, line or 0, message))

    def raise_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)
