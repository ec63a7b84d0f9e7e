"""JSON Schemas for editors' completion and hover help, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from kvalitet.content.model import FILE_MODELS


def schemas() -> dict[str, str]:
    """File name -> schema text, for every content file kind."""
    out = {}
    for name, model in FILE_MODELS.items():
        schema = model.model_json_schema(by_alias=True)
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
        out[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return out


def write_schemas(folder: Path, *, check_only: bool = False) -> list[str]:
    """Write the schemas (unless ``check_only``); return the names that were missing or stale."""
    stale = []
    for name, text in schemas().items():
        path = folder / name
        if not path.exists() or path.read_text("utf-8") != text:
            stale.append(name)
            if not check_only:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(text, "utf-8")
    return stale
