"""Editions of a standard: which text applies on a given day, and which published texts are
frozen.

A standard's folder holds ``standard.yaml`` (the newest edition: in force, or scheduled for a day
to come) and, in ``versions/``, every earlier edition as a complete frozen file named after the
day it came into force (``versions/2019-12-09.yaml``). The edition in force on a day is the
newest one whose date has come; the build date is today in Europe/Copenhagen unless
``KVALITET_DATE`` says otherwise (previews and tests). So a new edition goes live on its date
without anyone editing a file.

A frozen edition must never change once published: ``content/published-versions.json`` records,
for every frozen file, a hash of each value of its parsed model (so re-saving or re-indenting
is harmless, and the first changed value can be named). A file may still be corrected when it
says so in ``corrections``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kvalitet.content import model as m

VERSIONS = "versions"  # the folder of frozen editions inside a standard's folder
LOCK = "content/published-versions.json"
ZONE = ZoneInfo("Europe/Copenhagen")
DATE_VARIABLE = "KVALITET_DATE"


def build_date() -> dt.date:
    """The day the site is built for: ``KVALITET_DATE`` (ÅÅÅÅ-MM-DD) when set, else today in
    Copenhagen (a build just after midnight UTC is already the next day there)."""
    given = os.environ.get(DATE_VARIABLE, "").strip()
    if given:
        return dt.date.fromisoformat(given)
    return dt.datetime.now(ZONE).date()


@dataclass(frozen=True)
class Edition:
    """One edition of a standard and its place in time."""

    date: dt.date  # in force from
    standard: m.Standard  # a m.Version for a frozen file
    file: str
    frozen: bool
    until: dt.date | None  # its last day in force (None: no later edition)
    state: str  # "superseded", "current" or "scheduled"

    @property
    def corrections(self) -> list[m.Correction]:
        return getattr(self.standard, "corrections", [])


def arrange(editions: list[tuple[dt.date, m.Standard, str, bool]], today: dt.date
            ) -> tuple[Edition, ...]:
    """Editions in date order with their state on ``today``. The current one is the newest
    whose date has come (or the first, while none has: a standard not yet in force)."""
    ordered = sorted(editions, key=lambda e: e[0])
    started = [i for i, e in enumerate(ordered) if e[0] <= today]
    current = started[-1] if started else 0
    found = []
    for i, (date, standard, file, frozen) in enumerate(ordered):
        until = ordered[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(ordered) else None
        state = "current" if i == current else "superseded" if i < current else "scheduled"
        found.append(Edition(date, standard, file, frozen, until, state))
    return tuple(found)


# --- the lock of frozen editions -----------------------------------------------------------------

def fingerprint(standard: m.Standard) -> dict[str, str]:
    """A short hash of every value of a parsed edition, by its path (``sections.2.body``); the
    corrections themselves are left out (adding one is how a change is allowed)."""
    data = standard.model_dump(mode="json", exclude={"corrections"}, exclude_defaults=True)
    found: dict[str, str] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            found[f"{path}.#"] = str(len(value))
            for i, item in enumerate(value):
                walk(item, f"{path}.{i}")
        else:
            text = json.dumps(value, ensure_ascii=False)
            found[path] = hashlib.sha256(text.encode()).hexdigest()[:16]

    walk(data, "")
    return found


def read_lock(root: Path) -> dict[str, dict[str, Any]]:
    """``{file: {"values": {path: hash}, "corrections": n}}`` for every locked frozen file."""
    path = root / LOCK
    if not path.exists():
        return {}
    return json.loads(path.read_text("utf-8-sig")).get("versions", {})


def lock_entry(edition: Edition) -> dict[str, Any]:
    return {"values": fingerprint(edition.standard), "corrections": len(edition.corrections)}


def first_difference(locked: dict[str, str], now: dict[str, str]) -> tuple[str | int, ...]:
    """The path (as in the YAML file) of the first value that differs from the lock."""
    for path in [*locked, *now]:
        if locked.get(path) != now.get(path):
            parts = path.split(".")
            if parts[-1] == "#":
                parts = parts[:-1]
            return tuple(int(p) if p.isdigit() else p for p in parts)
    return ()


def write_lock(root: Path, entries: dict[str, dict[str, Any]]) -> None:
    text = json.dumps({"versions": dict(sorted(entries.items()))}, ensure_ascii=False, indent=1)
    (root / LOCK).write_text(text + "\n", "utf-8")


# --- checks ---------------------------------------------------------------------------------------

def check_editions(site, std, findings) -> None:
    """The dates of a standard's editions, and that no published frozen edition has changed."""
    latest = std.latest_file
    frozen = [e for e in std.editions if e.frozen]
    folder = f"{Path(latest).parent.as_posix()}/{VERSIONS}/"
    newest = next((e.standard for e in std.editions if e.file == latest), None)
    if not std.editions and any(f.startswith(folder) for f in site.lines):
        findings.error(latest, site.line(latest, "title"), "der er tidligere udgaver i "
                       f"{folder}, men standard.yaml har hverken approved eller in_force_from. "
                       "Skriv datoen, den nye udgave gælder fra (in_force_from: ÅÅÅÅ-MM-DD)")
        return
    seen: dict[dt.date, str] = {}
    for edition in std.editions:
        text, file = edition.standard, edition.file
        if text.approved and text.in_force_from and text.in_force_from < text.approved:
            findings.error(file, site.line(file, "in_force_from"), "in_force_from ligger før "
                           "approved: en udgave kan ikke gælde, før den er godkendt. Ret datoerne")
        if edition.frozen:
            named = dt.date.fromisoformat(Path(file).stem)
            if text.date != named:
                key = "in_force_from" if text.in_force_from else "approved"
                findings.error(file, site.line(file, key) if text.date else 1,
                               f"filnavnet siger, at udgaven gælder fra {named.isoformat()}, men "
                               f"filen siger {text.date.isoformat() if text.date else 'ingen dato'}"
                               f'. Skriv "in_force_from: {named.isoformat()}" i filen')
        if edition.date in seen:
            findings.error(file, site.line(file, "title"), f"to udgaver gælder fra samme dato "
                           f"({edition.date.isoformat()}): {seen[edition.date]} og {file}. Giv "
                           "den nye udgave sin egen dato (in_force_from)")
        seen[edition.date] = file
    if newest is not None and frozen and newest.date <= max(e.date for e in frozen):
        findings.error(latest, site.line(latest, "in_force_from" if newest.in_force_from
                                          else "approved"),
                       "standard.yaml er den nyeste udgave, men den gælder ikke fra en dato efter "
                       f"udgaverne i {folder}. Skriv den nye udgaves dato (in_force_from)")
    _check_frozen(site, frozen, findings)


def _check_frozen(site, frozen: list[Edition], findings) -> None:
    lock = read_lock(site.root)
    for edition in frozen:
        locked = lock.get(edition.file)
        if locked is None:
            continue  # not published yet: the next publishing build locks it
        now = fingerprint(edition.standard)
        if now == locked["values"]:
            continue
        if len(edition.corrections) > locked.get("corrections", 0):
            continue  # a correction: the next publishing build locks the corrected edition
        path = first_difference(locked["values"], now)
        shown = ".".join(str(p) for p in path) or "filen"
        findings.error(edition.file, site.line(edition.file, *path) if path else None,
                       f'udgaven er udgivet og må ikke ændres, men "{shown}" er ændret. Fortryd '
                       'ændringen, eller skriv en rettelse under "corrections:" med date og note '
                       "(fx - date: 2027-02-01 og note: Stavefejl rettet), som udgavens side "
                       "viser")


def unlocked_editions(site) -> list[Edition]:
    """Frozen editions the lock does not hold (or holds without their latest correction)."""
    lock = read_lock(site.root)
    return [e for std in site.standards for e in std.editions if e.frozen
            and lock.get(e.file) != lock_entry(e)]


def update_lock(site) -> list[str]:
    """Lock every frozen edition as it is now (only after the checks passed); return the files
    added or re-locked."""
    lock = read_lock(site.root)
    changed = []
    for edition in unlocked_editions(site):
        lock[edition.file] = lock_entry(edition)
        changed.append(edition.file)
    if changed:
        write_lock(site.root, lock)
    return changed


# --- a new edition -------------------------------------------------------------------------------

_SCHEMA_LINE = "# yaml-language-server: $schema="


def freeze(site, std, start: dt.date, approved: dt.date | None, approved_by: str | None) -> str:
    """Copy standard.yaml, as it is, to versions/<its date>.yaml (locked at once: it is the
    published text), and give standard.yaml the new edition's dates. The text of standard.yaml
    is kept line for line; only its date keys change. Returns the frozen file's name."""
    latest = site.root / std.latest_file
    newest = next((e for e in std.editions if e.file == std.latest_file), None)
    if newest is None:
        raise ValueError(f"{std.latest_file} har ingen dato. Skriv approved (datoen, udgaven "
                         "blev godkendt) først, så den kan gemmes som en tidligere udgave")
    if start <= newest.date:
        raise ValueError(f"den nye udgave skal gælde fra en dato efter {newest.date.isoformat()}")
    text = latest.read_text("utf-8-sig")
    lines = text.splitlines(keepends=True)
    frozen_name = f"{Path(std.latest_file).parent.as_posix()}/{VERSIONS}/{newest.date}.yaml"
    target = site.root / frozen_name
    if target.exists():
        raise ValueError(f"{frozen_name} findes allerede")
    body = lines[1:] if lines and lines[0].startswith(_SCHEMA_LINE) else lines
    head = f"{_SCHEMA_LINE}../../../../schemas/version.schema.json\n"
    dated = "" if newest.standard.in_force_from else f"in_force_from: {newest.date}\n"
    target.parent.mkdir(exist_ok=True)
    target.write_text(head + dated + "".join(body), "utf-8")
    lock = read_lock(site.root)
    as_frozen = newest.standard.model_copy(update={"in_force_from": newest.date})
    lock[frozen_name] = {"values": fingerprint(as_frozen), "corrections": 0}
    write_lock(site.root, lock)
    keys = {"in_force_from": start.isoformat(), "approved": approved.isoformat() if approved
            else None, "approved_by": approved_by}
    latest.write_text(_set_keys("".join(lines), keys), "utf-8")
    return frozen_name


def _set_keys(text: str, keys: dict[str, str | None]) -> str:
    """Set (or with None, remove) top-level keys of a YAML file, leaving every other line as
    it is; a new key goes after "law:" (or at the end)."""
    lines = text.splitlines(keepends=True)
    for key, value in keys.items():
        at = next((i for i, ln in enumerate(lines) if ln.startswith(f"{key}:")), None)
        if at is not None:
            if value is None:
                del lines[at]
            else:
                lines[at] = f"{key}: {value}\n"
        elif value is not None:
            after = next((i for i, ln in enumerate(lines) if ln.startswith("law:")), len(lines) - 1)
            lines.insert(after + 1, f"{key}: {value}\n")
    return "".join(lines)
