"""A corpus of editors' mistakes (tests/fixtures/broken) with the exact Danish messages they get.

Each folder under ``tests/fixtures/broken/`` breaks a copy of ``tests/fixtures/second`` in one way
(or a few ways at once) and holds the golden messages:

``case.yaml``
    ``about``: the mistake, in a sentence. ``changes``: a list of edits, each with ``file`` (a path
    relative to the project: ``content/...`` or ``offers.yaml``) and one of

    - ``old`` and ``new``: replace the first occurrence of a text (it must be there);
    - ``content``: the whole new text of the file (UTF-8);
    - ``bytes``: the name of a file next to case.yaml whose raw bytes become the file;
    - ``delete: true``: remove the file (or folder);
    - ``rename_to``: move the file or folder to another path;
    - ``grow_to``: append comment lines until the file is larger than this many bytes (so no
      1 MB file is committed).

    Content that must load is also rendered (``build_site``). For it, ``values`` (optional) is a
    list of ``[expression, expected]`` pairs: each expression is evaluated with ``site`` bound to
    the loaded Site and must equal ``expected``; ``absent`` (optional) lists texts that must not
    appear in any rendered page (e.g. an editor's raw ``<script>`` in a plain-text field);
    ``advice`` (optional) lists exact advice lines the content must get (mistakes YAML hides,
    which do not stop a build).
    ``xfail`` (optional): the reason the engine gets this case wrong today (strict xfail).
``expected.txt``
    The exact error lines ``load_errors`` returns, one per line; empty when the content must load.

To (re)generate a golden file after an engine change, run the case and READ every message before
you copy it: it must be Danish, start with the right file and line, and say what to do.
"""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.helpers import FIXTURES, copy_content, edit, load_errors, make_project

BROKEN = FIXTURES / "broken"
SECOND = FIXTURES / "second"
CASES = sorted(p.name for p in BROKEN.iterdir() if (p / "case.yaml").exists())
CONTENT_PATH = ("content/", "offers.yaml")


def read_case(name: str) -> dict:
    return yaml.safe_load((BROKEN / name / "case.yaml").read_text("utf-8"))


def apply_case(name: str, root: Path) -> None:
    """Break the copy of tests/fixtures/second at ``root`` as case ``name`` says."""
    for change in read_case(name)["changes"]:
        target = root / change["file"]
        if "old" in change:
            edit(target, change["old"], change["new"])
        elif "content" in change:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(change["content"], "utf-8")
        elif "bytes" in change:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((BROKEN / name / change["bytes"]).read_bytes())
        elif change.get("delete"):
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        elif "rename_to" in change:
            target.rename(root / change["rename_to"])
        elif "grow_to" in change:
            line = "# " + "fyld " * 19 + "\n"
            with target.open("a", encoding="utf-8") as f:
                f.write(line * (change["grow_to"] // len(line) + 1))
        else:
            raise AssertionError(f"{name}: unknown change {change}")


def expected(name: str) -> list[str]:
    text = (BROKEN / name / "expected.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip()]


def _assert_line_exists(root: Path, message: str) -> None:
    """A message's "linje N" is a line of the file it names."""
    match = re.match(r"^(.+?), linje (\d+): ", message)
    if match:
        lines = (root / match[1]).read_bytes().decode("utf-8", "replace").splitlines()
        assert 1 <= int(match[2]) <= len(lines), f"{message}\n(the file has {len(lines)} lines)"


def _param(name: str):
    reason = read_case(name).get("xfail")
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, id=name, marks=marks)


def test_corpus_is_there():
    assert len(CASES) >= 40
    for name in CASES:
        assert (BROKEN / name / "expected.txt").exists(), name


@pytest.mark.parametrize("name", [_param(n) for n in CASES])
def test_broken_case(name, tmp_path):
    root = copy_content(tmp_path / "c", SECOND)
    apply_case(name, root)
    errors = load_errors(root)
    for line in errors:
        assert "Traceback" not in line, line
        assert line.startswith(CONTENT_PATH), line
        assert "\n" not in line, line
        _assert_line_exists(root, line)
    assert errors == expected(name)
    if errors:
        return
    from kvalitet.build import build_site

    case = read_case(name)
    built = build_site(root)
    for expression, want in case.get("values", []):
        assert eval(expression, {"site": built.site}) == want, expression  # noqa: S307
    pages = list(zip(built.pages, built.markdown, strict=True))
    for text in case.get("absent", []):
        assert not [page.url for page, markdown in pages if text in markdown], text
    advice = [str(a) for a in built.site.advice]
    for line in case.get("advice", []):
        assert line in advice, "\n".join(advice)


def test_second_fixture_itself_loads():
    assert load_errors(SECOND) == []


# --- publishing: a failed build leaves the published site untouched -----------------------------

def _same_tree(a: Path, b: Path) -> None:
    """Byte-for-byte equal folders (names and contents)."""
    cmp = filecmp.dircmp(a, b)
    assert not (cmp.left_only or cmp.right_only or cmp.funny_files), (cmp.left_only,
                                                                      cmp.right_only)
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    assert not mismatch and not errors, (mismatch, errors)
    for sub in cmp.common_dirs:
        _same_tree(a / sub, b / sub)


@pytest.mark.parametrize("breakage", ["content-error", "broken-link"])
def test_failed_build_leaves_published_site_untouched(tmp_path, capfd, breakage):
    from kvalitet.cli import main

    project = make_project(tmp_path / "project", SECOND)
    assert main(["--root", str(project), "links", "--update"]) == 0
    assert main(["--root", str(project), "build", "--site-dir", "site"]) == 0
    site = project / "site"
    assert (site / "index.html").exists()
    before = tmp_path / "before"
    shutil.copytree(site, before)
    stamps = {p: p.stat().st_mtime_ns for p in site.rglob("*")}

    std = project / "content/standards/ledsagerordning/standard.yaml"
    if breakage == "content-error":
        edit(std, "  - id: klage\n", "  - id: Klage\n")
        told = 'standard.yaml, linje 22: afsnittet "Klage": "id": "Klage" kan ikke bruges som id'
    else:  # only noticed by the loader's link check (and MkDocs' strict mode behind it)
        edit(std, "[formålet](#formaal)", "[formålet](#formaalet)")
        told = 'standard.yaml, linje 21: afsnittet "maalgruppe": linket "#formaalet" virker ikke'
    capfd.readouterr()
    assert main(["--root", str(project), "build", "--site-dir", "site"]) != 0
    out = capfd.readouterr()
    assert "Traceback" not in out.out + out.err
    assert told in out.err
    assert f"Bygningen fejlede; {site} er uændret." in out.err

    _same_tree(before, site)
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == stamps
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site-")]
    assert leftovers == [], "the temporary build folder was not cleaned up"

