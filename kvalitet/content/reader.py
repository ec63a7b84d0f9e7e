"""Read one editor-owned YAML file safely, keeping the line of every value.

PyYAML's YAML 1.1 rules turn ``10:30`` into 630, ``NO`` into False and ``0700`` into 448, keep the
last of two equal keys silently and expand aliases without limit. So this reader composes the node
tree (no construction), refuses anchors and aliases as soon as it meets one, refuses duplicate keys,
and hands every scalar on as the text the editor wrote. The models then check and type the values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kvalitet.content.examples import HOURS_EXAMPLE
from kvalitet.problems import Findings

MAX_BYTES = 1_000_000
_NULLS = {"", "~", "null", "Null", "NULL"}

# (fragment of PyYAML's problem text, Danish explanation with what to do)
_YAML_PROBLEMS = [
    ("'\\t'", "linjen er rykket ind med tabulator. Brug mellemrum i stedet for tabulator"),
    ("mapping values are not allowed",
     "der står et kolon (:) midt i en værdi, eller indrykningen er forkert. Sæt teksten i "
     'anførselstegn ("…"), hvis den indeholder et kolon, og tjek indrykningen'),
    ("could not find expected ':'",
     "der mangler et kolon efter en nøgle, eller en tekst fortsætter på næste linje uden at "
     'være sat i anførselstegn. Tjek linjen og linjen over den'),
    ("did not find expected key",
     "indrykningen passer ikke med linjerne over. Nøgler på samme niveau skal stå lige under "
     "hinanden, rykket ind med mellemrum"),
    ("did not find expected '-' indicator",
     'indrykningen passer ikke med listen over. Punkter i en liste skal begynde med "- " '
     "og stå lige under hinanden"),
    ("expected <block end>",
     "indrykningen passer ikke med linjerne over. Tjek at linjen er rykket lige så langt ind "
     "som de andre nøgler på samme niveau"),
    ("while scanning an alias",
     'en værdi må ikke begynde med "*". Sæt hele teksten i anførselstegn ("…")'),
    ("while scanning an anchor",
     'en værdi må ikke begynde med "&". Sæt hele teksten i anførselstegn ("…")'),
    ("found character '@'",
     'en værdi må ikke begynde med "@" eller "`". Sæt hele teksten i anførselstegn ("…")'),
    ("found character '`'",
     'en værdi må ikke begynde med "@" eller "`". Sæt hele teksten i anførselstegn ("…")'),
    ("quoted scalar", "et anførselstegn er ikke lukket. Tilføj det afsluttende anførselstegn"),
    ("expected a single document",
     'filen indeholder flere dokumenter (adskilt af "---"). Brug kun ét dokument pr. fil'),
    ("found unexpected end of stream",
     "filen slutter midt i en værdi. Tjek at alle anførselstegn og parenteser er lukket"),
    ("flow", "en liste i [ ] eller et opslag i { } er ikke lukket rigtigt. Tjek parenteserne"),
]

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Lines:
    """Where each value of one file stands: a path of keys and indexes -> 1-based line.

    It also keeps what the YAML parser hides and the loader should tell editors about: a plain
    value followed by a comment on its line (``cut``: ``name: Klub #85`` reads as "Klub"), and
    values written over several lines without ``|`` whose lines look like list items or
    paragraphs (``squashed``: YAML folds them into one line)."""

    file: str
    at: dict[Path_, int]
    cut: dict[Path_, str] = field(default_factory=dict)
    squashed: frozenset[Path_] = frozenset()
    blocks: dict[Path_, int] = field(default_factory=dict)  # "|" values: their first text line

    def text_line(self, path: Path_, value: str, offset: int) -> int:
        """The line of the character at ``offset`` in a text value: exact for a "|" block,
        else the line where the value begins."""
        path = tuple(path)
        first = self.blocks.get(path)
        if first is None:
            return self.line(path)
        return first + value[:offset].count("\n")

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of the nearest enclosing value that has one."""
        path = tuple(path)
        while path and path not in self.at:
            path = path[:-1]
        return self.at.get(path, 1)


class _Refused(yaml.MarkedYAMLError):
    pass


class _ComposeLoader(yaml.SafeLoader):
    """A loader that stops at the first anchor or alias, before anything is expanded."""

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # noqa: D102
        event = self.peek_event()
        if isinstance(event, AliasEvent) or event.anchor is not None:
            raise _Refused(problem="anchor", problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def read_yaml(path: Path, name: str, findings: Findings, *, required: bool = True
              ) -> tuple[Any, Lines] | None:
    """Read ``path`` (shown to editors as ``name``). On a problem, record it and return None.

    ``required``: whether the site needs the file (this changes what an empty file is told)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        findings.error(name, None, "filen findes ikke. Opret den, eller tjek filens navn og mappe")
        return None
    if size > MAX_BYTES:
        findings.error(name, None, f"filen fylder {_number(size)} byte; højst "
                       f"{_number(MAX_BYTES)} er tilladt. Del indholdet op, eller fjern det, der "
                       "ikke hører til")
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        findings.error(name, line, "filen er ikke gemt som UTF-8 (der står et tegn, som ikke kan "
                       "læses). Gem filen med tegnsættet UTF-8 i din editor")
        return None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        findings.error(name, None, "filen er tom. Skriv indholdet; filen skal være der, for at "
                       "sitet kan bygges" if required else "filen er tom. Skriv indholdet, eller "
                       "slet filen, hvis den ikke skal bruges")
        return None
    odd = _odd_space(text)
    if odd:
        findings.error(name, odd, "YAML-fejl: linjen indeholder et hårdt mellemrum (tit kopieret "
                       "fra Word eller en hjemmeside). Det ligner et almindeligt mellemrum, men "
                       "YAML kan ikke læse det. Slet mellemrummene i starten af linjen og efter "
                       "kolonet eller stregen, og skriv dem igen med mellemrumstasten")
        return None
    try:
        node = _fast_compose(text)
        if node is None:  # anchors, aliases or a syntax error: the careful path explains it
            loader = _ComposeLoader(text)
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
    except _Refused as exc:
        findings.error(name, exc.problem_mark.line + 1,
                       'filen bruger et YAML-anker eller en henvisning ("&" eller "*"), og det er '
                       'ikke tilladt. Skriv værdien helt ud, og sæt tekst, der begynder med "*" '
                       'eller "&", i anførselstegn')
        return None
    except yaml.MarkedYAMLError as exc:
        line = _line(exc, text)
        quote = _unclosed_quote(text, line)
        curly = _curly_quotes(text, line)
        if curly:
            number, fixed = curly
            findings.error(name, number, "YAML-fejl: teksten står i typografiske anførselstegn "
                           "(“ ”), som Word sætter automatisk; YAML kender kun de lige "
                           f'anførselstegn ("). Skriv teksten i lige anførselstegn: {fixed}')
        elif quote:
            number, mark, fixed = quote
            findings.error(name, number, f"YAML-fejl: anførselstegnet ({mark}) i begyndelsen af "
                           "værdien er ikke lukket. Tilføj det afsluttende anførselstegn sidst i "
                           f"teksten: {fixed}")
        else:
            findings.error(name, line, _explain(exc))
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control
        findings.error(name, text[: exc.position].count("\n") + 1,
                       "filen indeholder et tegn, som YAML ikke tillader (fx et kontroltegn). "
                       "Slet tegnet, eller skriv teksten igen")
        return None
    at: dict[Path_, int] = {}
    notes = _Notes(text.splitlines())
    data = _to_python(node, (), at, name, findings, notes)
    return data, Lines(name, at, notes.cut, frozenset(notes.squashed), notes.blocks)


# A line inside a folded value that would start a list item ("- ", "* ", "1. ") in Markdown.
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+\S")


class _Notes:
    """Collects, per scalar, what the source shows and the parsed value no longer does."""

    def __init__(self, source: list[str]):
        self.source = source
        self.cut: dict[Path_, str] = {}
        self.squashed: set[Path_] = set()
        self.blocks: dict[Path_, int] = {}

    def scalar(self, node: ScalarNode, path: Path_) -> None:
        start, end = node.start_mark, node.end_mark
        if node.style == "|":
            self.blocks[path] = start.line + 2  # the line after "key: |", 1-based
        plain = not node.style  # None from PyYAML, "" from libyaml
        if plain and end.line < len(self.source):
            rest = self.source[end.line][end.column:]
            if rest.lstrip().startswith("#") and rest[:1].isspace():
                self.cut[path] = rest.strip()
        last = end.line if end.column > 0 else end.line - 1  # a block ends at the next line
        if (plain or node.style == ">") and last > start.line:
            inner = self.source[start.line + 1:last + 1]  # after the key (or the ">") line
            listed = any(_LIST_LINE.match(ln) for ln in inner)
            blank = next((i for i, ln in enumerate(inner) if not ln.strip()), None)
            paragraphs = blank is not None and any(ln.strip() for ln in inner[blank:])
            if listed or paragraphs:
                self.squashed.add(path)


def _fast_compose(text: str) -> Node | None:
    """Compose with libyaml (about ten times faster than PyYAML's Python composer) when the file
    is plain YAML; None when it has an anchor, an alias or an error, or libyaml is missing.
    Anchors are looked for in the event stream first, so nothing is ever expanded."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return None
    try:
        if "&" in text or "*" in text:  # only then can an anchor or an alias be there
            for event in yaml.parse(text, Loader=loader):
                if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
                    return None
        return yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return None


def _number(value: int) -> str:
    """1000000 -> "1.000.000" (Danish thousands separator)."""
    return f"{value:,}".replace(",", ".")


def _line(exc: yaml.MarkedYAMLError, text: str) -> int:
    """The line an editor should look at. For something opened and never closed (a quote, a
    bracket, a key without its colon) that is where it opens, not where PyYAML gave up."""
    mark, opened = exc.problem_mark, exc.context_mark
    context = exc.context or ""
    line = mark.line + 1 if mark else (opened.line + 1 if opened else 1)
    if opened is not None and context != "while scanning a simple key" and (
            context.startswith("while scanning") or context.startswith("while parsing a flow")):
        line = opened.line + 1  # where the quote or bracket opens
    last = text.count("\n") + (0 if text.endswith("\n") else 1)
    return min(line, max(last, 1))


_ODD_SPACES = "\u00a0\u202f\u2007\u2009\u3000"
_ODD_AFTER = re.compile(rf"^[ \t]*(?:-[{_ODD_SPACES}]|[^\s#\"'-][^:#]*:[{_ODD_SPACES}])")
_CURLY = re.compile(r"^(\s*(?:-\s+)*[^\s#\"'{}\[\],][^:#]*:\s+)[“„”](.*)[”“]\s*$")


def _odd_space(text: str) -> int | None:
    """The first line with a non-breaking (or other look-alike) space where YAML needs a real
    one: in the indentation, or right after a key's colon or a list's dash."""
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[:len(line) - len(line.lstrip(" \t" + _ODD_SPACES))]
        if any(c in _ODD_SPACES for c in indent) or _ODD_AFTER.match(line):
            return number
    return None


def _curly_quotes(text: str, upto: int) -> tuple[int, str] | None:
    """(line, the line mended) of the first value up to line ``upto`` written in Word's curly
    quotes, which YAML takes for text."""
    for number, line in enumerate(text.splitlines()[:upto], start=1):
        m = _CURLY.match(line)
        if m:
            return number, f'{m.group(1).strip()} "{m.group(2)}"'
    return None


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s#"'{}\[\],][^:#]*:\s+)?(["'])(.*)$""")


def _unclosed_quote(text: str, upto: int) -> tuple[int, str, str] | None:
    """(line, quote, the line mended) of the first value up to line ``upto`` that opens a quote
    and does not close it on its line: what an editor means by a broken quote, wherever YAML
    then fails."""
    for number, line in enumerate(text.splitlines()[:upto], start=1):
        m = _QUOTED_VALUE.match(line)
        if not m:
            continue
        quote, rest = m.group(1), m.group(2)
        i, closed = 0, False
        while i < len(rest):
            if quote == '"' and rest[i] == "\\":
                i += 2
                continue
            if rest[i] == quote:
                if quote == "'" and rest[i + 1:i + 2] == "'":  # '' is a quote inside '…'
                    i += 2
                    continue
                closed = True
                break
            i += 1
        if not closed:
            return number, quote, line.strip() + quote
    return None


def _explain(exc: yaml.MarkedYAMLError) -> str:
    said = f"{exc.context or ''} {exc.problem or ''}"
    for fragment, danish in _YAML_PROBLEMS:
        if fragment in said:
            return f"YAML-fejl: {danish}"
    return ("YAML-fejl: linjen kan ikke læses. Tjek indrykning (mellemrum, ikke tabulator), "
            'kolon efter hver nøgle, og sæt tekst med kolon eller "#" i anførselstegn')


def _to_python(node: Node, path: Path_, at: dict[Path_, int], name: str, findings: Findings,
               notes: _Notes):
    at.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, ScalarNode):
        if not node.style and node.value in _NULLS:  # plain style: None (PyYAML), "" (libyaml)
            return None
        notes.scalar(node, path)
        return node.value
    if isinstance(node, SequenceNode):
        return [_to_python(child, (*path, i), at, name, findings, notes)
                for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        in_list = bool(path) and isinstance(path[-1], int)
        told = False
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                findings.error(name, line, "en nøgle skal være et enkelt ord efterfulgt af kolon. "
                               "Ret linjen")
                continue
            key = key_node.value
            if key in result and in_list and key == next(iter(result)):
                # The item's first key again: most likely a new item without its "- ".
                if not told:  # one message for the whole item: its other keys follow suit
                    findings.error(
                        name, line, f'nøglen "{key}" står to gange i samme punkt (første gang i '
                        f"linje {first_line[key]}). Er linje {line} starten på et nyt punkt, "
                        f'mangler der "- " foran: skriv "- {key}: …", og ryk punktets andre '
                        f'nøgler ind, så de står lige under "{key}". Står nøglen to gange ved en '
                        "fejl, så slet den forkerte linje",
                        HOURS_EXAMPLE if "opening_hours" in path else None)
                    told = True
                continue
            if key in result and key in ("opens", "closes") and "opening_hours" in path:
                # Most likely a break (lunch) written as a second opens/closes in one entry.
                if not told:
                    findings.error(
                        name, line, f'nøglen "{key}" står to gange i samme åbningstid (første '
                        f"gang i linje {first_line[key]}). Har tilbuddet en pause, fx frokost, så "
                        'skriv hver del som sin egen åbningstid, der begynder med "- days:", som '
                        "i eksemplet. Står nøglen to gange ved en fejl, så slet den forkerte linje",
                        HOURS_EXAMPLE)
                    told = True
                continue
            if key in result:
                if not told:
                    findings.error(name, line, f'nøglen "{key}" står to gange (første gang i '
                                   f"linje {first_line[key]}). Slet den ene, så kun den rigtige "
                                   "værdi står")
                continue
            first_line[key] = line
            at[(*path, key)] = line
            result[key] = _to_python(value_node, (*path, key), at, name, findings, notes)
        return result
    raise TypeError(f"unknown YAML node {node!r}")  # pragma: no cover - PyYAML has three kinds
