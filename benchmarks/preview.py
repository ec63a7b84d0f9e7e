"""The editors' preview measured as an editor uses it: ``kvalitet serve`` is started on a
project, a file is saved, and the time runs until the open page, told to reload by the
preview's status address, shows the new words.

``edits(project)`` gives the kinds of save the issue names: a section's text, an offer, a
glossary term (its first sentence is the tooltip of every link to it) and the municipality's
name.
"""

from __future__ import annotations

import json
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from measure import ENV, free_port

BUILT = re.compile(r"Siden er opdateret på ([0-9]+,[0-9]+) s(?: \((\d+) sid(?:e|er)\))?")
PAUSE = 3.0  # seconds between saves, as an editor reads the page (the search index is made then)


@dataclass
class Edit:
    """One kind of save: ``change(text, i)`` gives the file's i-th new text and a word the page
    at ``page`` must then show."""

    file: str
    page: str
    change: Callable[[str, int], tuple[str, str]]


@dataclass
class Figures:
    """One preview session: seconds until the first page was served, per kind of save the
    seconds from the save until the page showed the new words and the build time and pages
    the preview printed, and the process's peak memory."""

    start_s: float = 0.0
    shown: dict[str, list[float]] = field(default_factory=dict)
    printed: dict[str, list[float]] = field(default_factory=dict)
    pages: dict[str, list[int | None]] = field(default_factory=dict)
    peak_mb: float = 0.0
    error: str | None = None

    def median(self, kind: str) -> float:
        return statistics.median(self.shown[kind])


def _insert(pattern: str, text: str, word: str) -> str:
    """``text`` with ``word`` put right after the first match of ``pattern``."""
    found = re.search(pattern, text, re.M)
    if not found:
        raise SystemExit(f"no {pattern!r} to edit")
    return text[:found.end()] + word + text[found.end():]


def edits(project: Path) -> dict[str, Edit]:
    """The saves of a synthetic project (benchmarks/synth.py) or of the shipped content."""
    standard = sorted((project / "content/standards").iterdir())[0].name
    offers = (project / "offers.yaml").read_text("utf-8")
    offer = re.search(r"^offers:\n\s*- id: (\S+)", offers, re.M).group(1)

    def word(kind: str, i: int) -> str:
        return f"Benchmark{kind}{i}"

    def section(text: str, i: int) -> tuple[str, str]:
        return _insert(r"^ *body: \|\n\s+", text, word("afsnit", i) + " "), word("afsnit", i)

    def offer_text(text: str, i: int) -> tuple[str, str]:
        start = text.index("\noffers:")  # the first offer's description, not an area's
        return (text[:start] + _insert(r"^ *description: (?:[|>]-?\n\s+)?", text[start:],
                                       word("tilbud", i) + " "), word("tilbud", i))

    def term(text: str, i: int) -> tuple[str, str]:
        return (_insert(r"^ *definition: (?:[|>]-?\n\s+)?", text, word("ord", i) + " "),
                word("ord", i))

    def name(text: str, i: int) -> tuple[str, str]:
        return _insert(r"^name: .*", text, f" {word('navn', i)}"), word("navn", i)

    return {
        "a section's text": Edit(f"content/standards/{standard}/standard.yaml",
                                 f"/{standard}/", section),
        "an offer": Edit("offers.yaml", f"/tilbud/{offer}/", offer_text),
        "a glossary term": Edit("content/glossary.yaml", "/ordforklaring/", term),
        "the municipality's name": Edit("content/municipality.yaml", "/", name),
    }


def measure(project: Path, kinds: dict[str, Edit], repeat: int, log: Path) -> Figures:
    """Start the preview on ``project``, make ``repeat`` saves of each kind, restore the files.
    A failed build is reported in ``Figures.error``."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    figures = Figures()
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    originals = {e.file: (project / e.file).read_text("utf-8") for e in kinds.values()}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "kvalitet.cli", "--root", str(project),
                             "serve", "--port", str(port)], cwd=project, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()

    def printed(deadline: float) -> tuple[float, int | None]:
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            seen.append(line)
            if found := BUILT.search(line):
                return (float(found.group(1).replace(",", ".")),
                        int(found.group(2)) if found.group(2) else None)
            if "fejl" in line and line.startswith("["):
                raise RuntimeError(f"the build failed: {line.strip()} (see {log})")
        raise RuntimeError(f"the preview printed no build in time (see {log})")

    def get(path: str, timeout: float = 60) -> str:
        with urllib.request.urlopen(base + path, timeout=timeout) as answer:
            return answer.read().decode("utf-8")

    try:
        printed(time.monotonic() + 300)
        while True:
            try:
                get("/")
                break
            except OSError:
                time.sleep(0.05)
        figures.start_s = time.monotonic() - started
        for kind, edit in kinds.items():
            for i in range(repeat):
                time.sleep(PAUSE)
                version = json.loads(get("/_kvalitet/status"))["version"]
                path = project / edit.file
                text, wanted = edit.change(path.read_text("utf-8"), i)
                path.write_text(text, "utf-8")
                saved = time.monotonic()
                state = json.loads(get(f"/_kvalitet/status?v={version}"))
                while state["version"] == version:  # the status answers after 20 s anyway
                    state = json.loads(get(f"/_kvalitet/status?v={version}"))
                if not state["ok"]:
                    raise RuntimeError(f"{kind}: the build failed (see {log})")
                page = get(edit.page)
                shown = time.monotonic() - saved
                if wanted not in page:
                    raise RuntimeError(f"{kind}: {edit.page} does not show {wanted!r}")
                seconds, pages = printed(saved + 300)
                figures.shown.setdefault(kind, []).append(shown)
                figures.printed.setdefault(kind, []).append(seconds)
                figures.pages.setdefault(kind, []).append(pages)
        status = Path(f"/proc/{proc.pid}/status").read_text()
        figures.peak_mb = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
    except (RuntimeError, OSError) as exc:
        figures.error = str(exc)
    finally:
        for name, text in originals.items():
            (project / name).write_text(text, "utf-8")
        proc.terminate()
        proc.wait(timeout=60)
        log.write_text("".join(seen), "utf-8")
    return figures
