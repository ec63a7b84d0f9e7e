"""The user's cache folder (kvalitet/cachedir.py): what a build keeps between runs."""

from __future__ import annotations

from kvalitet import cachedir


def test_a_kept_value_is_made_once_and_read_after(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = []

    def make():
        made.append(1)
        return frozenset({"ord", "liste"})

    assert cachedir.kept("t", "abc", make) == {"ord", "liste"}
    assert cachedir.kept("t", "abc", make) == {"ord", "liste"}
    assert len(made) == 1 and (tmp_path / "kvalitet/t/abc.pickle").is_file()
    assert cachedir.kept("t", "other", make) and len(made) == 2  # another key: made again
    (tmp_path / "kvalitet/t/abc.pickle").write_bytes(b"\x80broken")
    assert cachedir.kept("t", "abc", make) == {"ord", "liste"} and len(made) == 3
    assert [p.name for p in (tmp_path / "kvalitet/t").iterdir() if p.name.startswith(".")] == []


def test_without_a_writable_cache_folder_the_value_is_still_made(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file, so no folder can be made in it
    assert cachedir.folder("t") is None
    assert cachedir.kept("t", "abc", lambda: 42) == 42
