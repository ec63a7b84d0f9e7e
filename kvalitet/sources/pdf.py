"""A PDF -> blocks, with pdfplumber (words with their positions, fonts and marked-content ids).

A tagged PDF (Word and LibreOffice make them; the accessibility law asks for them) carries its
own structure tree: headings, paragraphs, lists and tables, in reading order. It is turned into
HTML and read by the shared HTML converter. A PDF without tags is read from the words' positions
and fonts (``pdflayout``). Headers, footers and page numbers are page furniture either way: the
tags mark them as artifacts, the layout reader finds them repeated at the top and bottom of the
pages. A PDF without text (a scan) is refused: the import does no OCR.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pdfplumber
from lxml import html as lxml_html
from pdfminer.pdfdocument import PDFPasswordIncorrect

from kvalitet.sources.blocks import Document, clean, excerpt
from kvalitet.sources.guard import MAX_PAGES, ImportRefused
from kvalitet.sources.htmlblocks import HtmlConverter
from kvalitet.sources.pdflayout import furniture_key, read_layout

BOLD = re.compile(r"bold|black|heavy|semibold|demi|,b\b", re.I)
_MARKER = re.compile(r"^\s*(?:[\ue000-\uf8ff•·▪●◦‣○■□➢➤►✓✔\-–—*]|\d{1,2}[.)])\s*")
_TYPES = {
    **{f"H{n}": f"h{n}" for n in range(1, 7)}, "H": "h2", "Title": "h1", "P": "p",
    "Caption": "p", "Note": "p", "Lbl": "span", "LBody": "div", "L": "ul", "LI": "li",
    "Table": "table", "TR": "tr", "TH": "th", "TD": "td", "THead": "thead", "TBody": "tbody",
    "TFoot": "tfoot", "BlockQuote": "blockquote", "Quote": "span", "Figure": "img",
    "Formula": "span", "Link": "a", "Span": "span", "Code": "span", "Reference": "span",
    "Em": "em", "Strong": "strong",
}
WORD_ATTRS = ["fontname", "size", "mcid", "tag"]


def read_pdf(path: Path) -> Document:
    name = path.name
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many kinds on a broken file
        raise ImportRefused(_damaged(name, exc)) from None
    with pdf:
        try:
            pages = pdf.pages
            if len(pages) > MAX_PAGES:
                raise ImportRefused(f"{name} har {len(pages)} sider; en kvalitetsstandard har "
                                    f"langt færre, og højst {MAX_PAGES} kan importeres. Tjek, at "
                                    "det er det rigtige dokument")
            words = [page.extract_words(extra_attrs=WORD_ATTRS, keep_blank_chars=False)
                     for page in pages]
            images = sum(len(page.images) for page in pages)
            tree = pdf.structure_tree if any(w.get("mcid") is not None
                                             for ws in words for w in ws) else []
            links = [page.hyperlinks for page in pages]
            rulings = [_rulings(page) for page in pages]
            title = clean(str((pdf.metadata or {}).get("Title") or ""))
            size = (pages[0].width, pages[0].height) if pages else (0, 0)
        except ImportRefused:
            raise
        except Exception as exc:
            raise ImportRefused(_damaged(name, exc)) from None
    text_chars = sum(len(w["text"]) for ws in words for w in ws)
    if text_chars < 40 * max(len(words), 1):
        what = f"kun {images} billede{'r' if images != 1 else ''} og ingen tekst" if images \
            else "ingen tekst"
        raise ImportRefused(f"{name} har {what}: den er scannet eller lavet af billeder. "
                            "Importen genkender ikke tekst i billeder (ingen OCR). Få teksten "
                            "genkendt først (fx med OCR i Adobe Acrobat eller ocrmypdf), og "
                            "importér den PDF, der kommer ud af det")
    doc = Document([], kind="pdf", title=title)
    if images:
        doc.note("billede", f"PDF'en har {images} billede{'r' if images != 1 else ''}; de er "
                 "ikke importeret. Står der noget vigtigt i et billede, så skriv det som tekst")
    if tree and _tagged(tree, words):
        _read_tagged(tree, words, links, doc)
    else:
        read_layout(words, size, doc, rulings)
    return doc


def _rulings(page) -> list[float]:
    """The y of the page's horizontal lines (table borders): drawn lines and rectangle edges."""
    found = [ln["top"] for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 1
             and ln["x1"] - ln["x0"] > 20]
    for rect in page.rects:
        if rect["x1"] - rect["x0"] > 20:
            found += [rect["top"], rect["bottom"]]
    return sorted(found)


def _damaged(name: str, exc: BaseException) -> str:
    """Why a PDF cannot be read: a password (pdfplumber wraps pdfminer's error), else damage."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, PDFPasswordIncorrect) or "PDFPasswordIncorrect" in repr(seen):
            return (f"{name} er beskyttet med en adgangskode. Gem en udgave uden adgangskode "
                    "(fx med Udskriv > Gem som PDF), og importér den")
        seen = seen.__cause__ or seen.__context__ or (
            seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
    return (f"{name} er beskadiget og kan ikke læses som PDF ({type(exc).__name__}). Åbn den, "
            "gem den igen som PDF, og importér den")


def _tagged(tree: list[dict], words: list[list[dict]]) -> bool:
    """Whether the structure tree holds (nearly) all the text: then it is the reading order."""
    tagged: set[tuple[int, int]] = set()

    def walk(el: dict) -> None:
        for mcid in el.get("mcids", []):
            tagged.add((el.get("page_number"), mcid))
        for child in el.get("children", []):
            walk(child)

    for el in tree:
        walk(el)
    text = [(p + 1, w.get("mcid")) for p, ws in enumerate(words) for w in ws
            if w.get("tag") != "Artifact" and w.get("mcid") is not None]
    loose = sum(1 for ws in words for w in ws if w.get("mcid") is None
                and w.get("tag") != "Artifact")
    covered = sum(1 for key in text if key in tagged)
    return bool(text) and covered >= 0.9 * (len(text) + loose)


def _lines_text(found: list[dict]) -> str:
    """Words of one marked-content run in reading order, lines joined (a word broken with a
    hyphen at a line end is joined again)."""
    out = ""
    last_top = None
    for w in sorted(found, key=lambda w: (round(w["top"]), w["x0"])):
        text = w["text"]
        if not out:
            out = text
        elif last_top is not None and abs(w["top"] - last_top) > 2 and out.endswith("-") \
                and text[:1].islower() and text not in ("og", "eller", "til", "samt"):
            out = out[:-1] + text
        else:
            out += " " + text
        last_top = w["top"]
    return out


def _read_tagged(tree: list[dict], words: list[list[dict]], links: list[list[dict]],
                 doc: Document) -> None:
    runs: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for p, ws in enumerate(words, start=1):
        for w in ws:
            if w.get("mcid") is not None and w.get("tag") != "Artifact":
                runs[(p, w["mcid"])].append(w)
    sizes = Counter(round(w["size"], 1) for ws in words for w in ws
                    if w.get("tag") != "Artifact" for _ in w["text"])
    body = sizes.most_common(1)[0][0] if sizes else 10
    state = {"title": False}

    def run_words(el: dict) -> list[dict]:
        found = []
        for mcid in el.get("mcids", []):
            found += runs.get((el.get("page_number"), mcid), [])
        return found

    def all_words(el: dict) -> list[dict]:
        found = run_words(el)
        for child in el.get("children", []):
            found += all_words(child)
        return found

    def first_key(el: dict) -> tuple:
        keys = [(el.get("page_number") or 0, m) for m in el.get("mcids", [])]
        keys += [first_key(c) for c in el.get("children", [])]
        return min(keys, default=(10**6, 10**6))

    def build(el: dict):
        kind = el.get("type", "")
        tag = _TYPES.get(kind, "div" if el.get("children") else "span")
        found = all_words(el)
        tags = {w.get("tag") for w in found}
        size = sum(w["size"] for w in found) / len(found) if found else 0
        cls = None
        if kind == "Title" or (tag == "p" and found and not state["title"]
                               and ("Title" in tags or size >= 1.4 * body)):
            tag, cls = "h1", "title"
            state["title"] = True
        elif tag == "p" and "Subtitle" in tags:
            cls = "subtitle"
        node = lxml_html.Element(tag)
        if cls:
            node.set("class", cls)
        page = el.get("page_number") or (found[0].get("page_number") if found else None)
        if page:
            node.set("data-where", f"side {page}")
        if tag == "img":
            node.set("alt", clean(el.get("alt_text") or ""))
            return node
        if tag == "a":
            href = _link_for(found, links[(el.get("page_number") or 1) - 1]
                             if links else [])
            if href:
                node.set("href", href)
        # Own text and children in content order (marked-content ids run in reading order);
        # a space between two runs unless the second starts right where the first ended.
        parts: list[tuple[tuple, object, list[dict]]] = []
        for mcid in el.get("mcids", []):
            key = (el.get("page_number") or 0, mcid)
            found_run = runs.get(key, [])
            if found_run:
                parts.append((key, _lines_text(found_run), _ordered(found_run)))
        for child in el.get("children", []):
            parts.append((first_key(child), child, _ordered(all_words(child))))
        parts.sort(key=lambda kv: kv[0])
        last = None
        previous: list[dict] = []
        for _, part, ordered in parts:
            space = " " if _apart(previous, ordered) else ""
            if ordered:
                previous = ordered
            if isinstance(part, str):
                if last is None:
                    node.text = (node.text or "") + space + part
                else:
                    last.tail = (last.tail or "") + space + part
            else:
                child_node = build(part)
                if last is None:
                    node.text = (node.text or "") + space
                else:
                    last.tail = (last.tail or "") + space
                node.append(child_node)
                last = child_node
        if tag == "p" and found and all(BOLD.search(w["fontname"]) for w in found):
            strong = lxml_html.Element("strong")
            strong.text, node.text = node.text, None
            for child in list(node):
                strong.append(child)
            node.append(strong)
        if tag == "li":
            _strip_marker(node)
        if tag == "ul" and _numbered(el, all_words):
            node.tag = "ol"
        return node

    root = lxml_html.Element("html")
    body_el = lxml_html.Element("body")
    root.append(body_el)
    for el in tree:
        body_el.append(build(el))
    doc.blocks = HtmlConverter(doc, where="afsnit").convert(root)
    _note_artifacts(words, doc)


def _first_text_node(node):
    """(element, attribute) of the first text in ``node``: its text or a descendant's."""
    if node.text and node.text.strip():
        return node, "text"
    for child in node:
        found = _first_text_node(child)
        if found:
            return found
        if child.tail and child.tail.strip():
            return child, "tail"
    return None


def _strip_marker(li) -> None:
    found = _first_text_node(li)
    if found:
        el, attr = found
        setattr(el, attr, _MARKER.sub("", getattr(el, attr), count=1))


def _numbered(el: dict, all_words) -> bool:
    """Whether a tagged list is numbered: its attributes say so, or its first item starts with
    "1." or "1)"."""
    numbering = str((el.get("attributes") or {}).get("ListNumbering", ""))
    if numbering:
        return numbering.lower() not in ("none", "disc", "circle", "square", "/none", "/disc",
                                         "/circle", "/square")
    items = [c for c in el.get("children", []) if c.get("type") == "LI"]
    first = _ordered(all_words(items[0])) if items else []
    return bool(first) and bool(re.match(r"^\d{1,2}[.)]$", first[0]["text"]))


def _ordered(words: list[dict]) -> list[dict]:
    return sorted(words, key=lambda w: (w.get("page_number", 0), round(w["top"]), w["x0"]))


def _apart(before: list[dict], after: list[dict]) -> bool:
    """Whether two runs of words stand apart (a space between them) rather than touching."""
    if not before or not after:
        return bool(before)
    a, b = before[-1], after[0]
    if abs(a["top"] - b["top"]) > 2:
        return True
    return b["x0"] - a["x1"] > 0.15 * a["size"]


def _link_for(found: list[dict], links: list[dict]) -> str | None:
    if not found:
        return None
    x0, x1 = min(w["x0"] for w in found), max(w["x1"] for w in found)
    top, bottom = min(w["top"] for w in found), max(w["bottom"] for w in found)
    for link in links:
        if link.get("uri") and link["x0"] < x1 and link["x1"] > x0 and link["top"] < bottom \
                and link["bottom"] > top:
            return link["uri"]
    return None


def _note_artifacts(words: list[list[dict]], doc: Document) -> None:
    """The page furniture the tags mark as artifacts: headers, footers, page numbers."""
    seen: dict[str, str] = {}
    for p, ws in enumerate(words, start=1):
        rows: dict[int, list[str]] = defaultdict(list)
        for w in ws:
            if w.get("tag") == "Artifact":
                rows[round(w["top"])].append(w["text"])
        for row in rows.values():
            text = clean(" ".join(row))
            key = furniture_key(text)
            if text and key not in seen:
                seen[key] = f"side {p}"
                doc.note("sidehoved", f"{excerpt(text, 12)} er sidehoved, sidefod eller sidetal "
                         "og er ikke importeret", f"side {p}")
