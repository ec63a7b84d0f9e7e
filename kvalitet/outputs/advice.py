"""Advice on the preview's pages: what will look wrong on a page (urgent advice: a list that will
not be a list, a web address that will not be a link, example text left in, …) is shown at the top
of that page in the editors' preview, naming the place as the browser form shows it ('Tilbud ›
"Rusfri Cafe" › Beskrivelse') as well as the file and line. Only the preview shows it; the
published site never does.
"""

from __future__ import annotations

import hashlib
import html
import re
import typing
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from kvalitet import urls
from kvalitet.content import load
from kvalitet.content import model as m
from kvalitet.content.reader import read_yaml
from kvalitet.outputs import cms
from kvalitet.problems import Findings, Problem

STYLE = "/_kvalitet/raad.css"
STYLE_FILE = Path(__file__).parent / "preview_advice.css"
EVERY_PAGE = "*"
_STANDARD = re.compile(rf"^{re.escape(load.STANDARDS)}/([^/]+)/(standard|guide)\.yaml$")
_NAMES = ("name", "title", "term", "label", "from", "text")


@dataclass(frozen=True)
class Note:
    """One piece of advice, for one page."""

    place: str  # as the form shows it, or the file
    where: str  # file and line
    text: str


def _model_and_label(file: str) -> tuple[type[m.Model] | None, str | None]:
    for collection in cms.FILES:
        if collection.file == file:
            return collection.model, collection.label
    found = _STANDARD.match(file)
    if found and found.group(2) == "standard":
        return m.Standard, "Kvalitetsstandarder"
    return None, None


def pages_of(file: str, path: tuple, data) -> list[str]:
    """The pages that show the value at ``path`` of ``file``."""
    if file == load.MUNICIPALITY:
        return [EVERY_PAGE]  # its name and contacts are in every page's header and footer
    if file == load.GLOSSARY:
        return [urls.glossary()]
    if file == load.OFFERS:
        if path[:1] == ("offers",) and len(path) > 1 and isinstance(path[1], int):
            offer = data["offers"][path[1]]
            return [urls.offers()] + ([urls.offer(offer["id"])] if isinstance(
                offer, dict) and isinstance(offer.get("id"), str) else [])
        return [urls.offers()]
    found = _STANDARD.match(file)
    if found and found.group(2) == "standard":
        return [urls.standard(found.group(1))]
    if found:  # guide.yaml: a question's or an outcome's page, or the start page
        if len(path) > 1 and path[0] in ("questions", "outcomes"):
            return [urls.guide_node(found.group(1), str(path[1]))]
        return [urls.guide_start(found.group(1))]
    return []


def form_place(file: str, path: tuple, data) -> str:
    """'Tilbud › "Rusfri Cafe" › Beskrivelse': the way to the value in the browser form (the
    file's name when the form does not show it)."""
    model, label = _model_and_label(file)
    if model is None:
        return f"filen {file}"
    parts: list[str] = [label]
    if model is m.Standard and isinstance(data, dict) and isinstance(data.get("title"), str):
        parts.append(f'"{data["title"]}"')  # the entry, as the collection lists it
    current: typing.Any = model
    node = data
    for key in path:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and key < len(node) else None
            name = next((node[k] for k in _NAMES if isinstance(node, dict)
                         and isinstance(node.get(k), str)), None)
            parts.append(f'"{name}"' if name else f"nr. {key + 1}")
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            break
        info = next((f for n, f in current.model_fields.items() if (f.alias or n) == key), None)
        if info is None:
            break
        try:
            parts.append(cms._label(current, key))
        except KeyError:
            parts.append(key)
        node = node.get(key) if isinstance(node, dict) else None
        current = m.item_type(info.annotation)
    return " › ".join(p for i, p in enumerate(parts) if not i or p != parts[i - 1])


def form_places(root: Path, spots: list[tuple[str, int]]) -> list[str | None]:
    """The place in the browser form of the value on each (file, line), for errors found there:
    None when the form does not show the file, or no value stands on that line. Each file is
    read once."""
    read: dict[str, typing.Any] = {}
    places: list[str | None] = []
    for file, line in spots:
        if file not in read:
            shown = _model_and_label(file)[0] is not None
            read[file] = read_yaml(root / file, file, Findings()) if shown else None
        found = read[file]
        paths = [path for path, number in found[1].at.items() if number == line and path] \
            if found and line else []
        # A list item's first line ("- id: klage") holds the item and its first key: an error
        # there is about the item (a key missing from it) as often as about that key.
        items = [path for path in paths if isinstance(path[-1], int)]
        places.append(form_place(file, max(items or paths, key=len), found[0]) if paths
                      else None)
    return places


class Banners:
    """The notes of each page, made once per set of advice (a build). A file's notes are made
    again only when its advice or its bytes changed: after a save, that is the saved file."""

    def __init__(self, root: Path):
        self.root = root
        self._for: list[Problem] | None = None
        self._notes: dict[str, list[Note]] = {}
        self._files: dict[str, tuple[tuple, dict[str, list[Note]]]] = {}

    def notes(self, advice: list[Problem], page: str) -> list[Note]:
        if advice is not self._for:
            self._notes, self._for = self._make(advice), advice
        return self._notes.get(EVERY_PAGE, []) + self._notes.get(page, [])

    def _make(self, advice: list[Problem]) -> dict[str, list[Note]]:
        by_file: dict[str, list[Problem]] = {}
        for problem in (p for p in advice if p.urgent and p.path):
            by_file.setdefault(problem.file, []).append(problem)
        files: dict[str, tuple[tuple, dict[str, list[Note]]]] = {}
        out: dict[str, list[Note]] = {}
        for file, problems in by_file.items():
            try:
                digest = hashlib.blake2b((self.root / file).read_bytes(), digest_size=16).digest()
            except OSError:
                continue
            key = (digest, tuple(problems))
            known = self._files.get(file)
            files[file] = known if known and known[0] == key else (key, self._file(file, problems))
            for page, notes in files[file][1].items():
                out.setdefault(page, []).extend(notes)
        self._files = files
        return out

    def _file(self, file: str, problems: list[Problem]) -> dict[str, list[Note]]:
        """The notes of one file's advice, by page."""
        read = read_yaml(self.root / file, file, Findings())
        if read is None:
            return {}
        data = read[0]
        out: dict[str, dict[tuple[str, str], Note]] = {}
        for problem in problems:
            note = Note(form_place(file, problem.path, data), problem.where,
                        problem.detail or problem.message)
            for page in pages_of(file, problem.path, data):
                notes = out.setdefault(page, {})
                same = notes.get((note.place, note.text))
                if same is None:
                    notes[note.place, note.text] = note
                else:  # the same advice on several lines of one text: one note
                    line = note.where.rsplit(" ", 1)[-1]
                    notes[note.place, note.text] = Note(same.place, f"{same.where}, {line}",
                                                        same.text)
        return {page: list(notes.values()) for page, notes in out.items()}

    def html(self, advice: list[Problem], page: str) -> str:
        """The banner for ``page`` ("" when it has no advice)."""
        notes = self.notes(advice, page)
        if not notes:
            return ""
        items = "".join(
            f'<li><p class="kv-raad__sted"><strong>{html.escape(n.place)}</strong> '
            f"({html.escape(n.where)})</p><p>{html.escape(n.text)}</p></li>" for n in notes)
        count = "1 ting" if len(notes) == 1 else f"{len(notes)} ting"
        return ('<aside class="kv-raad" aria-labelledby="kv-raad-titel">'
                f'<h2 id="kv-raad-titel">{count} på denne side vil se forkert ud</h2>'
                "<p>Det står kun i forhåndsvisningen, ikke på det udgivne site. Ret det i "
                "formularen eller i filen, og gem.</p>"
                f"<ul>{items}</ul></aside>")


def page_of(path: str) -> str:
    """The page address of a served path: "/tilbud/index.html" -> "/tilbud/"."""
    return path[:-len("index.html")] if path.endswith("/index.html") else path
