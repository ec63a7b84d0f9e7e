"""Editors' JSON Schemas are current, and every content file points at its schema."""

from __future__ import annotations

import json

from kvalitet.outputs.schema import schemas, write_schemas
from tests.helpers import ROOT


def test_committed_schemas_are_current():
    assert write_schemas(ROOT / "schemas", check_only=True) == [], "run `kvalitet schema`"


def test_schemas_carry_danish_help():
    offers = json.loads(schemas()["offers.schema.json"])
    offer = offers["$defs"]["Offer"]
    assert offer["additionalProperties"] is False
    assert "visitation" in offer["properties"]["referral"]["description"]


def test_every_content_file_starts_with_its_schema():
    files = list((ROOT / "content").rglob("*.yaml")) + [ROOT / "offers.yaml"]
    for file in files:
        first = file.read_text("utf-8").splitlines()[0]
        kind = "standard" if file.name == "standard.yaml" else "guide" \
            if file.name == "guide.yaml" else file.stem
        assert first.startswith("# yaml-language-server: $schema="), file
        target = (file.parent / first.split("=", 1)[1]).resolve()
        assert target == (ROOT / "schemas" / f"{kind}.schema.json").resolve(), file
