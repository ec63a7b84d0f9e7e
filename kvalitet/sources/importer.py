"""``kvalitet import``: a document -> content/standards/<id>/standard.yaml (a draft) and
import-rapport.md beside it. Every check comes before anything is written, and the two files
appear together (a folder renamed into place) or not at all."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from kvalitet.content import model as m
from kvalitet.content.ids import slug
from kvalitet.content.load import GLOSSARY, STANDARDS, report_validation
from kvalitet.content.reader import read_yaml
from kvalitet.problems import Findings
from kvalitet.sources.blocks import Document
from kvalitet.sources.guard import ImportRefused, decode_text, sniff
from kvalitet.sources.report import REPORT_NAME, report, summary
from kvalitet.sources.splitter import Draft, split
from kvalitet.sources.writer import to_yaml

__all__ = ["ImportRefused", "Imported", "import_file", "check_new_id", "read_document"]


@dataclass
class Imported:
    standard_id: str
    standard_file: str  # relative to the project, as editors see it
    report_file: str
    draft: Draft
    report: str
    problems: list[str]  # what `kvalitet check` will say about the draft (fields to fill)

    @property
    def summary(self) -> str:
        return summary(self.draft)


def read_document(path: Path) -> Document:
    """The blocks of a document of any kind the import reads (after the safety checks)."""
    kind = sniff(path)
    if kind == "docx":
        from kvalitet.sources.word import read_docx

        return read_docx(path)
    if kind == "pdf":
        from kvalitet.sources.pdf import read_pdf

        return read_pdf(path)
    if kind == "html":
        from kvalitet.sources.web import read_html

        return read_html(path)
    from kvalitet.sources.text import read_text

    text, encoding = decode_text(path.read_bytes())
    doc = Document([], kind="txt")
    if encoding != "UTF-8":
        doc.note("udeladt", f"filen er læst som {encoding}. Tjek, at æ, ø og å står rigtigt")
    return read_text(text, doc)


def check_new_id(root: Path, standard_id: str) -> None:
    """Refuse an id that is not an id, is one of the site's own names, or is taken."""
    try:
        m.check_id(standard_id)
    except ValueError as exc:
        raise ImportRefused(f"--id: {exc}") from None
    if standard_id in m.RESERVED_IDS:
        raise ImportRefused(f'--id: "{standard_id}" er et af sitets egne navne ('
                            + ", ".join(sorted(m.RESERVED_IDS)) + "). Vælg et andet id")
    folder = root / STANDARDS / standard_id
    if folder.exists():
        raise ImportRefused(f"{STANDARDS}/{standard_id} findes allerede, og importen "
                            "overskriver aldrig en standard. Vælg et andet id med --id, eller "
                            "slet eller omdøb den gamle mappe først")


def _glossary_ids(root: Path) -> dict[str, str]:
    """Terms of the site's glossary by headword and word form, so the draft's word list can
    link to them (term_id)."""
    path = root / GLOSSARY
    if not path.exists():
        return {}
    read = read_yaml(path, GLOSSARY, Findings(), required=False)
    try:
        glossary = m.Glossary.model_validate(read[0]) if read else None
    except ValidationError:
        return {}
    found: dict[str, str] = {}
    for term in glossary.terms if glossary else []:
        for form in (term.term, *term.forms):
            found.setdefault(form.casefold(), term.id)
    return found


def _problems(path: Path, name: str) -> list[str]:
    """What the project's own loader says about the draft: fields still to fill."""
    findings = Findings()
    read = read_yaml(path, name, findings)
    if read is not None:
        data, lines = read
        try:
            m.Standard.model_validate(data)
        except ValidationError as exc:
            report_validation(exc, data, lines, m.Standard, findings)
    return [str(p) for p in sorted(findings.errors)]


def import_file(root: Path, source: Path, standard_id: str | None = None) -> Imported:
    """Import ``source`` as a new standard under ``root``; raises ImportRefused (nothing
    written) when it cannot."""
    root = root.resolve()
    if not (root / "content").is_dir():
        raise ImportRefused(f"{root} har ingen content-mappe. Kør kommandoen i projektmappen, "
                            "eller angiv den med --root")
    if standard_id:
        check_new_id(root, standard_id)
    try:
        doc = read_document(source)
        draft = split(doc)
    except RecursionError:  # a document nested thousands of levels deep: made to break readers
        raise ImportRefused(f"{source.name} er bygget så indviklet op (indlejret i tusindvis af "
                            "niveauer), at den ikke kan læses. Gem dokumentet igen, og importér "
                            "det") from None
    if not draft.sections and not draft.glossary:
        raise ImportRefused(f"{source.name}: importen fandt ingen tekst at lave afsnit af. "
                            "Tjek, at det er det rigtige dokument")
    if not standard_id:
        standard_id = slug(draft.title, max_words=6) or slug(source.stem, max_words=6)
        if not standard_id:
            raise ImportRefused("dokumentet har ingen titel at lave et id af. Angiv et med --id")
        check_new_id(root, standard_id)
    glossary_ids = _glossary_ids(root)
    ids = {term: glossary_ids[term.casefold()] for term, _ in draft.glossary
           if term.casefold() in glossary_ids}
    text = to_yaml(draft, source.name, ids)
    name = f"{STANDARDS}/{standard_id}/standard.yaml"
    report_name = f"{STANDARDS}/{standard_id}/{REPORT_NAME}"
    (root / STANDARDS).mkdir(parents=True, exist_ok=True)
    # Written beside content/standards/ (not in it, where a running preview would read a
    # half-made folder), checked, then renamed into place in one step.
    work = Path(tempfile.mkdtemp(prefix=".import-", dir=root / "content"))
    try:
        (work / "standard.yaml").write_text(text, "utf-8")
        problems = _problems(work / "standard.yaml", name)
        missing = [p.split(": ", 1)[1] if ": " in p else p for p in problems]
        made = report(draft, source.name, name, missing)
        (work / REPORT_NAME).write_text(made, "utf-8")
        work.chmod(0o755)  # mkdtemp's 0700 would hide the folder from a web server or a CMS
        target = root / STANDARDS / standard_id
        if target.exists():  # made meanwhile
            raise ImportRefused(f"{STANDARDS}/{standard_id} findes allerede. Vælg et andet id")
        work.rename(target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return Imported(standard_id, name, report_name, draft, made, problems)
