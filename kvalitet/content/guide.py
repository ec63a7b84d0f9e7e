"""The "am I in the target group?" guide as a graph: its checks and its paths.

The YAML is routing and text only (as GOV.UK's smart answers keep flows); this module checks the
routing before anything is built: every answer leads somewhere that exists, every node is reachable
from ``start``, no path loops, and so every path ends in an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from kvalitet.content.model import Guide
from kvalitet.content.reader import Lines
from kvalitet.problems import Findings


@dataclass(frozen=True)
class Step:
    """One answer taken on a path through the guide."""

    question: str
    answer: str


@dataclass(frozen=True)
class GuidePath:
    """A way through the guide from the start to an outcome."""

    steps: tuple[Step, ...]
    outcome: str

    def __str__(self) -> str:
        route = " → ".join(f"{s.question}: {s.answer}" for s in self.steps)
        return f"{route} ⇒ {self.outcome}"


def check_guide(guide: Guide, lines: Lines, findings: Findings) -> bool:
    """Record every routing error of ``guide``; return True when the graph is sound."""
    file, before = lines.file, len(findings.errors)
    for node in sorted(set(guide.questions) & set(guide.outcomes)):
        findings.error(file, lines.line(("outcomes", node)),
                       f'"{node}" er både et spørgsmål og et resultat. Spørgsmål og resultater '
                       "deler id'er: giv det ene et andet id")
    if guide.start not in guide.questions:
        findings.error(file, lines.line(("start",)),
                       f'start peger på "{guide.start}", men der er intet spørgsmål med det id. '
                       "Skriv id'et på det første spørgsmål")
    nodes = set(guide.questions) | set(guide.outcomes)
    for qid, question in guide.questions.items():
        labels = [a.label for a in question.answers]
        for i, answer in enumerate(question.answers):
            if answer.next not in nodes:
                findings.error(file, lines.line(("questions", qid, "answers", i, "next")),
                               f'spørgsmålet "{qid}": svaret "{answer.label}" fører til '
                               f'"{answer.next}", som hverken er et spørgsmål eller et resultat. '
                               "Ret id'et, eller tilføj spørgsmålet eller resultatet")
            if labels.count(answer.label) > 1 and labels.index(answer.label) < i:
                findings.error(file, lines.line(("questions", qid, "answers", i, "label")),
                               f'spørgsmålet "{qid}" har svaret "{answer.label}" to gange. '
                               "Giv svarene forskellige tekster")
    if len(findings.errors) > before:
        return False
    reached = _reachable(guide)
    for kind, ids in (("questions", guide.questions), ("outcomes", guide.outcomes)):
        for node in ids:
            if node not in reached:
                what = "Spørgsmålet" if kind == "questions" else "Resultatet"
                findings.error(file, lines.line((kind, node)),
                               f'{what.lower()} "{node}" kan ikke nås fra start: intet svar fører '
                               f"hertil. Lad et svar føre hertil, eller slet det")
    loop = _find_loop(guide)
    if loop:
        route = " → ".join(loop)
        findings.error(file, lines.line(("questions", loop[0])),
                       f"guiden går i ring: {route}. Lad et af svarene føre videre til et andet "
                       "spørgsmål eller et resultat")
    return len(findings.errors) == before


def _edges(guide: Guide, node: str) -> list[str]:
    question = guide.questions.get(node)
    return [a.next for a in question.answers] if question else []


def _reachable(guide: Guide) -> set[str]:
    seen, todo = set(), [guide.start]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo += _edges(guide, node)
    return seen


def _find_loop(guide: Guide) -> list[str] | None:
    """A cycle as a list of node ids (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in _edges(guide, node):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in [guide.start, *guide.questions]:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def guide_paths(guide: Guide) -> list[GuidePath]:
    """Every path from the start to an outcome, in answer order. Assumes a checked guide."""
    paths: list[GuidePath] = []

    def walk(node: str, steps: tuple[Step, ...]) -> None:
        question = guide.questions.get(node)
        if question is None:
            paths.append(GuidePath(steps, node))
            return
        for answer in question.answers:
            walk(answer.next, (*steps, Step(node, answer.label)))

    walk(guide.start, ())
    return paths


def node_order(guide: Guide) -> list[str]:
    """Questions and outcomes in the order a reader meets them (breadth first from the start)."""
    order, todo = [], [guide.start]
    while todo:
        node = todo.pop(0)
        if node not in order:
            order.append(node)
            todo += _edges(guide, node)
    return order


def previous_question(guide: Guide, node: str) -> str | None:
    """The question that leads to ``node`` when exactly one does (for a back link), else None."""
    sources = {qid for qid, q in guide.questions.items() if any(a.next == node for a in q.answers)}
    return sources.pop() if len(sources) == 1 else None
