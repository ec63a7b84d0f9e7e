"""Editors' JSON Schemas are current, and every content file points at its schema."""

from __future__ import annotations

import json
from pathlib import Path

from kvalitet.outputs.schema import schemas, write_schemas
from tests.helpers import FIXTURES, ROOT, copy_content, edit
from tests.yaml_lsp import diagnostics


def test_committed_schemas_are_current():
    assert write_schemas(ROOT / "schemas", check_only=True) == [], "run `kvalitet schema`"


def test_schemas_carry_danish_help():
    offers = json.loads(schemas()["offers.schema.json"])
    offer = offers["$defs"]["Offer"]
    assert offer["additionalProperties"] is False
    assert "visitation" in offer["properties"]["referral"]["description"]


def test_every_content_file_starts_with_its_schema():
    files = [*(ROOT / "content").rglob("*.yaml"), ROOT / "offers.yaml",
             *(FIXTURES / "versions").rglob("*.yaml")]
    for file in files:
        first = file.read_text("utf-8").splitlines()[0]
        kind = _kind(file)
        assert first.startswith("# yaml-language-server: $schema="), file
        target = (file.parent / first.split("=", 1)[1]).resolve()
        assert target == (ROOT / "schemas" / f"{kind}.schema.json").resolve(), file


# --- the editor's own checker: yaml-language-server ----------------------------------------------

def _kind(file: Path) -> str:
    if file.parent.name == "versions" and file.parent.parent.parent.name == "standards":
        return "version"
    return {"standard.yaml": "standard", "guide.yaml": "guide"}.get(file.name, file.stem)


def _content_files(root: Path) -> list[Path]:
    return sorted([*(root / "content").rglob("*.yaml"), root / "offers.yaml"])


def _valid_cases(tmp: Path) -> list[Path]:
    """The files of every broken-corpus case that must load, with their schema line pointing at
    this repository's schemas (the copies live in a temporary folder)."""
    from tests.test_broken import CASES, SECOND, apply_case, expected

    files = []
    for name in CASES:
        if expected(name):
            continue
        root = copy_content(tmp / name, SECOND)
        apply_case(name, root)
        files += [_point_at_schemas(f) for f in _content_files(root) if f.exists()]
    return files


def _point_at_schemas(file: Path) -> Path:
    """Make a copied file's schema line point at this repository's schema."""
    lines = file.read_text("utf-8-sig").splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server:"):
        lines = lines[1:]
    schema = ROOT / "schemas" / f"{_kind(file)}.schema.json"
    file.write_text(f"# yaml-language-server: $schema={schema}\n" + "".join(lines), "utf-8")
    return file


def test_editor_checker_agrees_with_kvalitet_check(tmp_path):
    """Nothing that `kvalitet check` accepts is underlined in VS Code: every shipped content
    file, the second municipality, the handbook's examples and every valid case of the broken
    corpus (Danish day names, 9.00, unquoted postcodes …) gets no diagnostic from
    yaml-language-server, while a file with an unknown key gets exactly one."""
    files = _content_files(ROOT) + _content_files(FIXTURES / "second") + _valid_cases(tmp_path)
    files += _content_files(FIXTURES / "versions")
    from tests.test_handbook import examples

    for name, text in examples().items():  # the handbook's examples too
        path = tmp_path / "handbook" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        files.append(_point_at_schemas(path))
    wrong = copy_content(tmp_path / "wrong", FIXTURES / "second") / "offers.yaml"
    edit(_point_at_schemas(wrong), "    price: Gratis", "    pris: Gratis")
    found = diagnostics([*files, wrong])
    assert {str(f): d for f, d in found.items() if d and f != wrong} == {}
    assert [d["message"] for d in found[wrong.resolve()]] == ["Property pris is not allowed."]
    assert len(files) > 50
