"""The user's cache folder for what every build would otherwise work out again: compiled
templates, the Danish word list, Material's rules for a set of pages. ``$XDG_CACHE_HOME`` or
~/.cache, then kvalitet/<name>; never the temp folder, which stopping a server leaves as it found
it. Everything kept here is keyed by what it was made from, so a stale entry is never used.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kvalitet.files import write_atomic

T = TypeVar("T")


def folder(name: str) -> Path | None:
    """The cache folder ``name`` (made if needed); None when it cannot be made."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "kvalitet" / name
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def kept(name: str, key: str, make: Callable[[], T]) -> T:
    """``make()``, kept in the cache folder ``name`` under ``key`` (a hash of what it is made
    from): read from there when it was made before."""
    where = folder(name)
    path = where / f"{key}.pickle" if where else None
    if path is not None and path.is_file():
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass  # made again below
    value = make()
    if path is not None:
        try:  # whole or not at all, also with builds side by side
            write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written is only slower
    return value
