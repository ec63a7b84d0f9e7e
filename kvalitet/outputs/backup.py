"""Earlier versions of the content files, kept by every save through the browser form
(``kvalitet edit``'s server writes them), and ``kvalitet gendan``, which puts one back.

A save through the form first copies the version it replaces to
``.kvalitet/backup/<file>/<UTC time>.yaml`` (outside ``content/``, ignored by git, the newest 100
per file). ``kvalitet gendan`` lists the files and their versions, and restores one atomically,
after keeping the version it replaces in the same way, so a restore can be undone too.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from kvalitet.files import write_atomic

FOLDER = ".kvalitet/backup"  # relative to the project; the Node server gets the same
KEPT = 100


@dataclass(frozen=True)
class Backup:
    """One kept version of a content file."""

    file: str   # the content file, e.g. "offers.yaml"
    path: Path  # the copy
    saved: dt.datetime  # when the save that replaced it happened (UTC)

    @property
    def local_time(self) -> str:
        return self.saved.astimezone().strftime("%d.%m.%Y kl. %H.%M.%S")


def _stamp(name: str) -> dt.datetime | None:
    """``2026-12-07T10-15-03-123Z.yaml`` -> its time (None for anything else)."""
    try:
        return dt.datetime.strptime(name[:24], "%Y-%m-%dT%H-%M-%S-%fZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def backups(root: Path, file: str) -> list[Backup]:
    """The kept versions of ``file``, the newest first."""
    folder = root / FOLDER / file
    found = []
    if folder.is_dir() and not folder.is_symlink():
        for path in folder.glob("*.yaml"):
            saved = _stamp(path.name)
            if saved is not None and path.is_file() and not path.is_symlink():
                found.append(Backup(file, path, saved))
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def files_with_backups(root: Path) -> list[str]:
    """Every content file that has kept versions."""
    base = root / FOLDER
    if not base.is_dir():
        return []
    return sorted({str(p.parent.relative_to(base)) for p in base.rglob("*.yaml")
                   if _stamp(p.name) and p.parent.is_dir()})


def keep(root: Path, file: str, text: str) -> Path:
    """Keep ``text`` as a version of ``file`` (as the form's server does), pruning old ones."""
    folder = root / FOLDER / file
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    name = now.strftime("%Y-%m-%dT%H-%M-%S-") + f"{now.microsecond // 1000:03d}Z.yaml"
    while (folder / name).exists():
        name = name.removesuffix(".yaml") + "-1.yaml"
    write_atomic(folder / name, text)
    for old in backups(root, file)[KEPT:]:
        old.path.unlink(missing_ok=True)
    return folder / name


def changed_lines(old: str, new: str) -> tuple[int, int]:
    """(lines added, lines removed) from ``old`` to ``new``."""
    added = removed = 0
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        added += line.startswith("+ ")
        removed += line.startswith("- ")
    return added, removed


def restore_command(root: Path, file: str | None, number: int | None) -> int:
    """``kvalitet gendan [FIL [NR]]``: list the files with kept versions, list one file's
    versions, or put version ``number`` (1 = the newest) back."""
    if file is None:
        files = files_with_backups(root)
        if not files:
            print("Der er ingen tidligere udgaver: de gemmes, når du gemmer i browseren "
                  "(make edit).")
            return 0
        print("Filer med tidligere udgaver (fra gemninger i browseren):")
        for name in files:
            kept = backups(root, name)
            print(f"  {name}: {len(kept)}, den nyeste fra {kept[0].local_time}")
        print("Se en fils udgaver med: kvalitet gendan FIL, fx kvalitet gendan " + files[0])
        return 0
    file = file.strip().removeprefix("./")
    if Path(file).is_absolute() or ".." in Path(file).parts:
        print(f'Skriv filens sti fra projektmappen, fx offers.yaml, ikke "{file}".')
        return 1
    kept = backups(root, file)
    target = root / file
    if not kept:
        print(f'Der er ingen tidligere udgaver af "{file}". Skriv filens sti fra projektmappen, '
              "fx offers.yaml eller content/glossary.yaml (kvalitet gendan viser dem, der har).")
        return 1
    now = target.read_text("utf-8") if target.is_file() else ""
    if number is None:
        print(f"Tidligere udgaver af {file}, den nyeste først (+/- er linjer i forhold til "
              "filen nu):")
        for n, b in enumerate(kept, start=1):
            added, removed = changed_lines(b.path.read_text("utf-8"), now)
            same = " (samme som nu)" if not (added or removed) else f" (+{removed} -{added})"
            print(f"  {n}. gemt over {b.local_time}{same}")
        print(f"Sæt en udgave tilbage med: kvalitet gendan {file} NR, fx kvalitet gendan {file} 1")
        return 0
    if not 1 <= number <= len(kept):
        print(f"{file} har {len(kept)} tidligere udgaver: vælg et nummer fra 1 til {len(kept)}.")
        return 1
    if target.is_symlink() or (target.exists() and not target.is_file()):
        print(f"{file} er ikke en almindelig fil; den gendannes ikke.")
        return 1
    chosen = kept[number - 1]
    text = chosen.path.read_text("utf-8")
    if target.is_file():
        keep(root, file, now)
    write_atomic(target, text)
    print(f"{file} er sat tilbage til udgaven fra før gemningen {chosen.local_time}. Den udgave, "
          f"filen havde lige før, er også gemt (kvalitet gendan {file} viser den som nr. 1).")
    print("Genindlæs redigeringen i browseren (F5), før du retter videre i filen.")
    return 0
