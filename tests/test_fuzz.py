"""Property tests: whatever an editor does to valid content, the engine answers with a Site it can
render, or with a ContentError whose every message starts with a content file. Never a traceback.

Two kinds of damage to a copy of tests/fixtures/second:

- structural: parse a file with ``yaml.safe_load``, change the data (drop a key, rename a key,
  duplicate a list item, replace a value by an int, list, dict, None, bool, random text with
  Unicode and control characters, Markdown/HTML snippets or another id of the site), dump it back
  with ``yaml.safe_dump``;
- textual: edit the raw file (insert a character such as a tab, colon, quote or bracket; indent,
  dedent, delete or repeat a line), for the YAML reader.

A Site must also render (``build_site``) with no editor HTML or script link in any page body, and
with title and description HTML-escaped in the front matter (the theme prints them unescaped).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kvalitet.build import build_site, checked_site
from kvalitet.problems import ContentError
from tests.helpers import FIXTURES

SECOND = FIXTURES / "second"
FILES = [
    "content/municipality.yaml",
    "content/glossary.yaml",
    "content/standards/ledsagerordning/standard.yaml",
    "content/standards/ledsagerordning/guide.yaml",
    "offers.yaml",
]
CONTENT_PATH = ("content/", "offers.yaml")
# More examples for a long run: KVALITET_FUZZ_EXAMPLES=3000 pytest tests/test_fuzz.py
EXAMPLES = int(os.environ.get("KVALITET_FUZZ_EXAMPLES", "150"))
DATA = {name: yaml.safe_load((SECOND / name).read_text("utf-8")) for name in FILES}
RAW = {name: (SECOND / name).read_text("utf-8") for name in FILES}


def _strings(obj: Any) -> set[str]:
    if isinstance(obj, dict):
        return set().union(*(_strings(v) | {str(k)} for k, v in obj.items())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(_strings(v) for v in obj)) if obj else set()
    return {obj} if isinstance(obj, str) else set()


# Every id-like word of the site (ids, references, keys): reusing one makes duplicates and
# dangling references.
SITE_IDS = sorted(s for s in set().union(*(_strings(d) for d in DATA.values()))
                  if s and len(s) < 30 and s.replace("-", "").isalnum() and s.islower())

SPECIAL = [
    "<", "&", "{#x}", "a < b & c", "R&D", "<3", "x<y", "&amp;", "&#106;",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "<!-- x -->", "[x](javascript:alert(1))", "[x](/tilbud/)",
    "[x](#nope)", "[x](/nope/)", "[x]( JaVa&#x09;Script:alert(1))", "<https://x.dk>",
    "![x](data:image/png;base64,AA==)", "10:30", "NO", "no", "0700", "+4512345678", "true",
    "false", "2024-02-30", "2026-01-01", "", " ", "~", "null", "-", "--", "a--b", "Æble",
    "tilbud", "ordforklaring", "{{ x }}", "{% if x %}", "`kode`", "```", "# Overskrift", "*",
    "**", "_", "\\", "|", ">", "](", "[", "{#", "\x00", "\x07", "\x1b[31m", "\t", "\r\n",
    "\u2028", "\u202e", "\ufeff", "\u00a0", "😀", "ﬁ", "https://www.example.org",
    "http://www.example.org", "mailto:a@b.dk", "a@b.dk", "09:00", "25:00", "mon", "8900",
]
text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(list("aæøå -:#<>&[]()!*`{}|\\\"'\t\n")), max_size=20),
    st.lists(st.sampled_from(SPECIAL), min_size=2, max_size=4).map(" ".join),
    st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6),
             min_size=1, max_size=3).map("-".join),
)
scalar = st.one_of(
    text,
    st.sampled_from(SITE_IDS),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
value = st.one_of(
    scalar,
    st.lists(scalar, max_size=3),
    st.dictionaries(st.one_of(text, st.sampled_from(SITE_IDS)), scalar, max_size=3),
)


def _paths(obj: Any, path: tuple = ()) -> list[tuple]:
    """Every path (keys and indexes) to a value inside ``obj``."""
    found = [path] if path else []
    if isinstance(obj, dict):
        for key, child in obj.items():
            found += _paths(child, (*path, key))
    elif isinstance(obj, list):
        for i, child in enumerate(obj):
            found += _paths(child, (*path, i))
    return found


def _parent(obj: Any, path: tuple) -> Any:
    for part in path[:-1]:
        obj = obj[part]
    return obj


def mutate(data: dict[str, Any], draw) -> None:
    """Apply one random change to one file's data, in place."""
    name = draw(st.sampled_from(FILES))
    doc = data[name]
    paths = _paths(doc)
    if not isinstance(doc, (dict, list)) or not paths:
        data[name] = draw(value)
        return
    texts = [p for p in paths if isinstance(_parent(doc, p)[p[-1]], str)]
    action = draw(st.sampled_from(["retext", "retext", "retext", "drop", "replace", "replace",
                                   "duplicate", "rename", "swap-file"]))
    path = draw(st.sampled_from(texts if action == "retext" and texts else paths))
    parent, last = _parent(doc, path), path[-1]
    if action == "retext":  # same type, other text: most of these still load and render
        parent[last] = draw(st.one_of(text, text.map(lambda t: f"{parent[last]} {t}")))
    elif action == "drop":
        del parent[last]
    elif action == "replace":
        parent[last] = draw(value)
    elif action == "duplicate":
        if isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        else:  # a mapping can't hold a key twice: duplicate the value under a new key
            parent[draw(st.sampled_from(SITE_IDS))] = copy.deepcopy(parent[last])
    elif action == "rename" and isinstance(parent, dict):
        new = draw(st.one_of(st.sampled_from(SITE_IDS + ["titel", "navn", "svar"]), text))
        items = [(new if k == last else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
    elif action == "swap-file":  # the whole file becomes one value
        data[name] = draw(value)


# (An autolink such as <https://x.dk> is Markdown, allowed in Markdown fields: not listed.)
UNSAFE = ["<script>alert", "<img src=x onerror", "<!-- x -->", "](javascript:", "](data:"]


def check(root: Path) -> None:
    """The property: a renderable Site, or a ContentError with located messages."""
    try:
        site = checked_site(root)
    except ContentError as exc:
        event("ContentError")
        assert exc.errors
        for problem in exc.errors:
            line = str(problem)
            assert line.startswith(CONTENT_PATH), line
            assert "Traceback" not in line, line
            assert problem.message.strip(), line
        return
    for advice in site.advice:
        assert str(advice).startswith(CONTENT_PATH), str(advice)
    event("Site")
    built = build_site(root)
    assert len(built.markdown) == len(built.pages) > 0
    for page, markdown in zip(built.pages, built.markdown, strict=True):
        _, front, body = markdown.split("---\n", 2)
        meta = json.loads(front)
        # The theme prints title and description into HTML unescaped: they must arrive escaped.
        assert "<" not in meta["title"] + meta.get("description", ""), (page.url, meta)
        lowered = body.lower()
        for unsafe in UNSAFE:  # editors' HTML and script links never reach a page as markup
            assert unsafe not in lowered, (page.url, unsafe)


def _project(tmp: str) -> Path:
    root = Path(tmp) / "c"
    shutil.copytree(SECOND / "content", root / "content")
    shutil.copy(SECOND / "offers.yaml", root / "offers.yaml")
    return root


FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(st.data(), st.integers(min_value=1, max_value=3), st.booleans())
def test_mutated_data_never_crashes(data, count, unicode):
    changed = copy.deepcopy(DATA)
    for _ in range(count):
        mutate(changed, data.draw)
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(tmp)
        for name in FILES:
            if changed[name] != DATA[name]:
                text_out = yaml.safe_dump(changed[name], allow_unicode=unicode, sort_keys=False)
                (root / name).write_text(text_out, "utf-8")
        check(root)


RAW_INSERTS = ["\t", ":", ": ", " ", "  ", "-", "- ", "#", '"', "'", "[", "]", "{", "}", "&a ",
               "*a", "|", ">", "!", "%", "@", "`", "?", "---\n", "\n", "\x00", "\x07", "\ufeff",
               "\x85", "\u2028", "Æ", "<", "&", "{#x}", "\\"]


@settings(max_examples=EXAMPLES * 2 // 3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_edited_text_never_crashes(data):
    name = data.draw(st.sampled_from(FILES))
    lines = RAW[name].splitlines(keepends=True)
    i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    action = data.draw(st.sampled_from(["insert", "insert", "indent", "dedent", "delete",
                                        "repeat"]))
    line = lines[i]
    if action == "insert":
        at = data.draw(st.integers(min_value=0, max_value=len(line)))
        piece = data.draw(st.one_of(st.sampled_from(RAW_INSERTS), st.text(max_size=3)))
        lines[i] = line[:at] + piece + line[at:]
    elif action == "indent":
        lines[i] = " " * data.draw(st.integers(1, 3)) + line
    elif action == "dedent":
        lines[i] = line[min(len(line) - len(line.lstrip(" ")), data.draw(st.integers(1, 3))):]
    elif action == "delete":
        del lines[i]
    else:
        lines.insert(i, line)
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(tmp)
        (root / name).write_bytes("".join(lines).encode("utf-8", "surrogatepass"))
        check(root)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.data())
def test_yaml_errors_name_an_existing_line(data):
    name = data.draw(st.sampled_from(FILES))
    lines = RAW[name].splitlines(keepends=True)
    i = data.draw(st.integers(min_value=1, max_value=len(lines) - 1))
    line = lines[i]
    if data.draw(st.booleans()) and ":" in line:
        lines[i] = line.replace(":", "", 1)
    else:
        at = data.draw(st.integers(min_value=len(line) - len(line.lstrip()), max_value=len(line)))
        lines[i] = line[:at] + data.draw(st.sampled_from(['"', "'", "[", "{", "\x07"])) + line[at:]
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(tmp)
        (root / name).write_text("".join(lines), "utf-8")
        try:
            checked_site(root)
        except ContentError as exc:
            for problem in exc.errors:
                if problem.file == name and "YAML" in problem.message:
                    assert 1 <= problem.line <= len(lines), str(problem)
