"""The safe YAML reader: text as written, line numbers, and refusals."""

from __future__ import annotations

import time

import pytest

from kvalitet.content.reader import MAX_BYTES, read_yaml
from kvalitet.problems import Findings


def read(tmp_path, text: str | bytes):
    path = tmp_path / "x.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    findings = Findings()
    return read_yaml(path, "content/x.yaml", findings), findings


def only_error(findings: Findings) -> str:
    assert len(findings.errors) == 1, findings.errors
    return str(findings.errors[0])


def test_values_are_the_text_the_editor_wrote(tmp_path):
    (data, _), findings = read(tmp_path, "a: 10:30\nb: NO\nc: 0700\nd: +4512345678\ne: 2024-02-30\n"
                                         "f: true\ng:\nh: ''\n")
    assert not findings.errors
    assert data == {"a": "10:30", "b": "NO", "c": "0700", "d": "+4512345678",
                    "e": "2024-02-30", "f": "true", "g": None, "h": ""}


def test_lines_of_values_and_list_items(tmp_path):
    (data, lines), _ = read(tmp_path, "# comment\ntitle: x\nsections:\n  - id: a\n    body: |\n"
                                      "      text\n  - id: b\n")
    assert lines.line(("title",)) == 2
    assert lines.line(("sections", 1)) == 7
    assert lines.line(("sections", 0, "body")) == 5
    assert lines.line(("sections", 1, "missing", 3)) == 7  # nearest known parent


def test_byte_order_mark_is_accepted(tmp_path):
    (data, _), findings = read(tmp_path, b"\xef\xbb\xbfname: \xc3\x86ble\n")
    assert data == {"name": "Æble"} and not findings.errors


def test_duplicate_key_is_refused_with_both_lines(tmp_path):
    result, findings = read(tmp_path, "name: a\nwebsite: b\nname: c\n")
    message = only_error(findings)
    assert message.startswith("content/x.yaml, linje 3:")
    assert '"name" står to gange (første gang i linje 1)' in message


@pytest.mark.parametrize("text", ["a: &x [1, 2]\nb: *x\n", "a: &x hej\n", "b: *x\n"])
def test_anchors_and_aliases_are_refused(tmp_path, text):
    result, findings = read(tmp_path, text)
    assert result is None
    assert "YAML-anker" in only_error(findings)


def test_alias_bomb_is_refused_fast(tmp_path):
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8))
    start = time.perf_counter()
    result, findings = read(tmp_path, bomb)
    assert result is None and "linje 1:" in only_error(findings)
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize("text, line, words", [
    ("title: Hvad: nu\n", 1, "kolon"),
    ("a:\n\tb: c\n", 2, "tabulator"),
    ("sections:\n  - id: a\n   title: b\n", 3, "indrykning"),
    ("a: b\n  c: d\n", 2, "kolon"),
    ('a: "åben\n', 1, "anførselstegn"),  # where the quote opens
    ("body: *vigtigt* tekst\n", 1, '"*"'),
])
def test_syntax_errors_are_danish_with_line(tmp_path, text, line, words):
    result, findings = read(tmp_path, text)
    message = only_error(findings)
    assert result is None
    assert message.startswith(f"content/x.yaml, linje {line}: YAML-fejl:"), message
    assert words in message


def test_empty_file(tmp_path):
    result, findings = read(tmp_path, "# only a comment\n\n")
    assert result is None and "filen er tom" in only_error(findings)


def test_not_utf8_names_the_line(tmp_path):
    result, findings = read(tmp_path, "a: b\nname: K\xf8ge\n".encode("latin-1"))
    message = only_error(findings)
    assert message.startswith("content/x.yaml, linje 2:") and "UTF-8" in message


def test_missing_file(tmp_path):
    findings = Findings()
    assert read_yaml(tmp_path / "nope.yaml", "content/nope.yaml", findings) is None
    assert "filen findes ikke" in only_error(findings)


def test_too_big_is_refused_before_reading(tmp_path):
    result, findings = read(tmp_path, "a: " + "x" * MAX_BYTES + "\n")
    assert result is None and "højst 1.000.000" in only_error(findings)
