"""The publishing build's PDF cache: a PDF is made again only when something it prints changed.

A PDF is made from its HTML (``pdf.document_html``), which holds everything it prints: the
standard or the edition, the municipality's name and contacts, the site's address, what the
build date makes of the edition ("Gældende", "Gjaldt", "Gælder fra") and the day it is made
("lavet <dato>"), and the CSS. What lays the HTML out is the rest: the font files fontconfig
finds for the document's fonts, WeasyPrint, pydyf, pikepdf and the engine's own PDF code (the
tagging pass). A cached PDF is kept under a hash of both; a build keeps only the PDFs it used.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from kvalitet.files import write_atomic

FOLDER = ".kvalitet-cache/pdf"  # in the project (git ignores it)
FONTS = ("Liberation Sans", "DejaVu Sans")  # the names pdf.FONT asks fontconfig for


@cache
def renderer() -> str:
    """What lays a PDF out, as text: the libraries' versions, the engine's PDF code and the
    font files (name, size, time) in the folders of the fonts fontconfig picks."""
    parts = []
    for name in ("weasyprint", "pydyf", "pikepdf", "fonttools"):
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} -")
    here = Path(__file__).parent
    for source in (here / "pdf.py", here.parent / "templates" / "pdf.css",
                   here.parent / "templates" / "pdf.html.j2"):
        parts.append(hashlib.sha256(source.read_bytes()).hexdigest())
    parts += fonts()
    return "\n".join(parts)


def fonts() -> list[str]:
    """The font files of the document's fonts, as fontconfig finds them now."""
    found = []
    for family in FONTS:
        try:
            path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True,
                                  text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            path = ""
        folder = Path(path).parent if path else None
        if folder is None or not folder.is_dir():
            found.append(f"{family}: {path or '-'}")
            continue
        for file in sorted(folder.iterdir()):
            stat = file.stat()
            found.append(f"{family}: {file} {stat.st_size} {stat.st_mtime_ns}")
    return found


def key(html: str) -> str:
    """The cache key of the PDF of ``html``."""
    return hashlib.sha256((renderer() + "\n\n" + html).encode("utf-8")).hexdigest()


class PdfCache:
    """PDFs made before, by ``key``, in ``folder``: ``<key>.pdf`` and ``<key>.json`` (pages)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.begin()

    def begin(self) -> None:
        """A new build: nothing used, nothing reused yet."""
        self.used: set[str] = set()
        self.reused = 0

    def get(self, html: str, target: Path) -> int | None:
        """Copy the PDF of ``html`` to ``target`` and return its page count, if it was made
        before (None: make it)."""
        found = key(html)
        self.used.add(found)
        pdf, meta = self.folder / f"{found}.pdf", self.folder / f"{found}.json"
        try:
            pages = json.loads(meta.read_text("utf-8"))["pages"]
            shutil.copyfile(pdf, target)
        except (OSError, ValueError, KeyError):
            return None
        self.reused += 1
        return pages

    def put(self, html: str, made: Path, pages: int) -> None:
        """Keep the PDF just made from ``html``."""
        found = key(html)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / f"{found}.pdf", made.read_bytes())
        write_atomic(self.folder / f"{found}.json", json.dumps({"pages": pages}))

    def keep_only_used(self) -> None:
        """Delete the PDFs this build did not use (an edited standard's old PDF)."""
        if not self.folder.is_dir():
            return
        for file in self.folder.iterdir():
            if file.name.split(".")[0] not in self.used:
                file.unlink(missing_ok=True)
