"""A draft -> standard.yaml text that the project's own reader reads back exactly: the schema
comment first (as in the shipped standard), every Markdown value as a ``|`` block, and every
one-line value quoted when YAML (1.1 or 1.2) would read it as anything but that text."""

from __future__ import annotations

import json

import yaml

from kvalitet.sources.draft import Draft, Part

SCHEMA_LINE = "# yaml-language-server: $schema=../../../schemas/standard.schema.json"
FILL = "UDFYLD"  # marks what an editor must write; `kvalitet check` names each such key
_SPECIAL_START = tuple("!&*[]{}|>'\"%@`#,?:-") + (" ",)


def scalar(value: str) -> str:
    """``value`` as a one-line YAML scalar: plain when it reads back as the same text, else
    double-quoted (JSON's string syntax is YAML's double-quoted style)."""
    plain = (value and value == value.strip() and not value.startswith(_SPECIAL_START)
             and ": " not in value and " #" not in value and not value.endswith(":")
             and "\n" not in value)
    if plain:
        try:
            plain = yaml.safe_load(f"k: {value}") == {"k": value}
        except yaml.YAMLError:
            plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def block(value: str, indent: int) -> str:
    """``|`` and the text's lines, indented (blank lines stay blank)."""
    pad = " " * indent
    lines = value.strip("\n").split("\n")
    return "|\n" + "\n".join(pad + ln.rstrip() if ln.strip() else "" for ln in lines)


def _key(name: str, value: str, indent: int, hint: str) -> str:
    """``name: value``, or an empty key marked for the editor to fill."""
    pad = " " * indent
    if value:
        return f"{pad}{name}: {scalar(value)}"
    return f"{pad}{name}:  # {FILL}: {hint}"


def _part(part: Part, indent: int) -> list[str]:
    pad = " " * indent
    lines = [f"{pad}- id: {scalar(part.id)}", f"{pad}  title: {scalar(part.title)}",
             f"{pad}  body: {block(part.body, indent + 4)}"]
    if part.subsections:
        lines.append(f"{pad}  subsections:")
        for sub in part.subsections:
            lines += _part(sub, indent + 4)
    return lines


def to_yaml(draft: Draft, source: str, glossary_ids: dict[str, str] | None = None) -> str:
    """The draft as the text of a standard.yaml."""
    glossary_ids = glossary_ids or {}
    out = [SCHEMA_LINE,
           f"# Udkast importeret fra {source} med \"kvalitet import\". Læs import-rapport.md i "
           "samme mappe,",
           "# ret udkastet, og kør \"kvalitet check\". Slet disse to linjer, når udkastet er "
           "gennemset."]
    out.append(_key("title", draft.title, 0, "standardens titel, som i den godkendte standard"))
    if draft.subtitle:
        out.append(_key("subtitle", draft.subtitle, 0, ""))
    out.append(_key("law", draft.law, 0, "kort lovgrundlag (lov og paragraf) - kilden nævner "
                    "det ikke"))
    out.append(_key("description", draft.description, 0, "én sætning om standarden til "
                    "søgeresultater"))
    if draft.approved:
        out.append(f"approved: {json.dumps(draft.approved.isoformat())}")
        if draft.approved_by:
            out.append(_key("approved_by", draft.approved_by, 0, ""))
    if draft.facts:
        out += ["", "facts:"]
        for label, value in draft.facts:
            out += [f"  - label: {scalar(label)}", f"    value: {scalar(value)}"]
    out += ["", "sections:"] if draft.sections else ["", "sections:",
                                                      f"  - id:  # {FILL}: afsnittets id",
                                                      f"    title:  # {FILL}: overskriften",
                                                      f"    body:  # {FILL}: teksten"]
    for part in draft.sections:
        out += _part(part, 2)
        out.append("")
    if draft.glossary:
        out.append("glossary:")
        for term, definition in draft.glossary:
            out.append(f"  - term: {scalar(term)}")
            if term in glossary_ids:
                out.append(f"    term_id: {scalar(glossary_ids[term])}")
            out.append(f"    definition: {block(definition, 6)}")
    return "\n".join(out).rstrip("\n") + "\n"
