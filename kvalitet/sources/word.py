"""A Word document (.docx) -> blocks: mammoth turns it into HTML with a style map (Word's Title
and Subtitle styles carry the standard's title; its headings, lists and tables come through as
HTML), and the shared HTML converter makes the blocks. Headers and footers are page furniture:
they are listed in the report, not imported."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import mammoth
import mammoth.images

from kvalitet.sources.blocks import Document, clean, excerpt
from kvalitet.sources.guard import ImportRefused
from kvalitet.sources.htmlblocks import HtmlConverter, parse

# Word stores its built-in style names in English ("Title", "heading 1"); documents made with
# a Danish template may carry the Danish names too.
STYLE_MAP = "\n".join([
    "p[style-name='Title'] => h1.title:fresh",
    "p[style-name='Titel'] => h1.title:fresh",
    "p[style-name='Subtitle'] => p.subtitle:fresh",
    "p[style-name='Undertitel'] => p.subtitle:fresh",
    *(f"p[style-name='Overskrift {n}'] => h{n}:fresh" for n in range(1, 7)),
])
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_CORE_TITLE = re.compile(r"<dc:title>([^<]*)</dc:title>")


def read_docx(path: Path) -> Document:
    doc = Document([], kind="docx")
    # Images become <img> without their bytes (mammoth would inline them as base64).
    no_bytes = mammoth.images.img_element(lambda image: {"src": ""})
    try:
        with path.open("rb") as f:
            result = mammoth.convert_to_html(f, style_map=STYLE_MAP, convert_image=no_bytes)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportRefused(f"{path.name} er beskadiget og kan ikke læses ({type(exc).__name__})."
                            " Åbn den i Word, gem den igen som .docx, og importér den") from None
    doc.blocks = HtmlConverter(doc, where="afsnit").convert(parse(result.value))
    with zipfile.ZipFile(path) as zf:
        parts = sorted(n for n in zf.namelist()
                       if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
        seen = set()
        for part in parts:
            xml = zf.read(part).decode("utf-8", "replace")
            lines = [clean("".join(_TEXT.findall(p))) for p in _PARAGRAPH.findall(xml)]
            text = " / ".join(ln for ln in lines if ln)
            if text and text not in seen:
                seen.add(text)
                what = "sidehovedet" if "header" in part else "sidefoden"
                doc.note("sidehoved", f"{what} {excerpt(text, 12)} er ikke importeret (det "
                         "står på hver side og hører ikke til teksten)")
        if "docProps/core.xml" in zf.namelist():
            found = _CORE_TITLE.search(zf.read("docProps/core.xml").decode("utf-8", "replace"))
            doc.title = clean(found.group(1)) if found else ""
    return doc
