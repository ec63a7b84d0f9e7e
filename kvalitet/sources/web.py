"""A web page (.html) -> blocks. trafilatura finds the main content (without the page's menu,
breadcrumbs, cookie banner, side columns and footer) and gives it as XML; that is renamed to
HTML and read by the shared HTML converter. The report lists the page's frame that was left
out, the images, scripts and embedded media in the main content that were dropped, and any text
of the main content that trafilatura did not keep."""

from __future__ import annotations

import re
from pathlib import Path

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from kvalitet.sources.blocks import Document, clean, excerpt, text_of
from kvalitet.sources.guard import ImportRefused, decode_text
from kvalitet.sources.htmlblocks import HtmlConverter

_RENAME = {"p": "p", "row": "tr", "item": "li", "quote": "blockquote", "lb": "br",
           "code": "code", "table": "table", "main": "div", "doc": "body"}
_FRAME = [
    ("menuen", "//nav | //*[@role='navigation']"),
    ("brødkrummestien", "//*[contains(translate(@class, 'BREADCUM', 'breadcum'), 'breadcrumb')"
     " or contains(@aria-label, 'rødkrumme') or contains(@aria-label, 'readcrumb')]"),
    ("cookiebanneret", "//*[contains(translate(@id, 'COKIE', 'cokie'), 'cookie') or "
     "contains(translate(@class, 'COKIENST', 'cokienst'), 'cookie') or "
     "contains(translate(@class, 'CONSET', 'conset'), 'consent')]"),
    ("sidehovedet", "//header | //*[@role='banner']"),
    ("sidefoden", "//footer | //*[@role='contentinfo']"),
    ("sidekolonnen", "//aside | //*[@role='complementary']"),
]
_DROPPED = ("script", "style", "noscript", "iframe", "object", "embed", "video", "audio",
            "form", "canvas", "img", "svg", "picture")
_TEXT_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt",
                "blockquote", "button", "summary")


def read_html(path: Path) -> Document:
    page = lxml_html.document_fromstring(_decode(path.read_bytes()))
    _accordions(page)
    data = lxml_html.tostring(page, encoding="unicode")
    doc = Document([], kind="html")
    xml = trafilatura.extract(data, output_format="xml", include_formatting=True,
                              include_links=True, include_tables=True, include_images=True,
                              include_comments=False, favor_recall=True, with_metadata=True,
                              deduplicate=False)
    if not xml:
        raise ImportRefused(f"{path.name}: importen fandt ingen tekst på siden. Er siden bygget "
                            "med JavaScript, så gem den fra browseren (Gem side som, \"Hele "
                            "siden\") eller som PDF, og importér den")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml.encode("utf-8"), parser)
    doc.title = clean(root.get("title") or "")
    doc.url = clean(root.get("url") or "")
    main = _main(page)
    html_tree = lxml_html.Element("html")
    html_tree.append(_to_html(root, keep_images=main is None))
    converter = HtmlConverter(doc, base_url=doc.url or None, where="afsnit")
    doc.blocks = converter.convert(html_tree)
    _report_frame(page, doc)
    region = main if main is not None else page.find("body")
    if region is not None:
        # lxml keeps one proxy per element while it is referenced: a set of them is safe.
        frame = {el for _, xpath in _FRAME for el in page.xpath(xpath)}
        converter.position.append("sidens hovedindhold")
        for el in region.iter(*_DROPPED):
            if not any(a.tag in _DROPPED or a in frame for a in el.iterancestors()) \
                    and el not in frame:
                converter.drop(el)
        _report_missing(region, frame, text_of(doc.blocks).plain, doc)
    return doc


def _accordions(page) -> None:
    """Questions in a fold-out list (an accordion: <summary>, or a button that opens a panel)
    become headings, one level below the heading before them, so trafilatura keeps them and
    the splitter makes sections of them."""
    frame = {el for _, xpath in _FRAME for el in page.xpath(xpath)}
    level = 1
    for el in page.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if re.fullmatch(r"h[1-6]", tag):
            level = int(tag[1])
            continue
        toggle = tag == "summary" or (tag == "button" and (
            el.get("aria-expanded") is not None or el.get("aria-controls") is not None))
        if not toggle or any(a in frame for a in el.iterancestors()):
            continue
        label = clean(el.text_content())
        if not label or label.lower() in _UI_WORDS:
            continue
        el.tag = f"h{min(level + 1, 6)}"
        for name in list(el.attrib):
            del el.attrib[name]


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
_UI_WORDS = {"læs mere", "vis mere", "vis alle", "vis færre", "luk", "åbn", "menu", "del",
             "print", "udskriv", "søg", "mere", "vis", "skjul"}


def _decode(data: bytes) -> str:
    """The page's text: the charset its <meta> declares, else UTF-8, else Windows-1252."""
    declared = _CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return decode_text(data)[0]


def _main(page):
    for path in ("//main", "//*[@role='main']", "//article"):
        found = page.xpath(path)
        if found:
            return found[0]
    return None


def _to_html(el, keep_images: bool):
    tag = el.tag
    rend = el.get("rend") or ""
    if tag == "head":
        new = lxml_html.Element(rend if re.fullmatch(r"h[1-6]", rend) else "h2")
    elif tag == "list":
        new = lxml_html.Element({"ol": "ol", "dl": "dl"}.get(rend, "ul"))
    elif tag == "item":
        new = lxml_html.Element("dt" if rend.startswith("dt") else "dd"
                                if rend.startswith("dd") else "li")
    elif tag == "cell":
        new = lxml_html.Element("th" if el.get("role") == "head" else "td")
    elif tag == "hi":
        new = lxml_html.Element("strong" if "#b" in rend else "em" if "#i" in rend else "span")
    elif tag == "ref":
        new = lxml_html.Element("a")
        if el.get("target"):
            new.set("href", el.get("target"))
    elif tag == "graphic":
        new = lxml_html.Element("img" if keep_images else "span")
        new.set("alt", el.get("alt") or "")
    else:
        new = lxml_html.Element(_RENAME.get(tag, "div" if len(el) else "span"))
    new.text = el.text
    for child in el:
        if child.tag == "comments" or (child.tag == "graphic" and not keep_images):
            if child.tail:  # keep the text after it
                prev = new[-1] if len(new) else None
                if prev is not None:
                    prev.tail = (prev.tail or "") + child.tail
                else:
                    new.text = (new.text or "") + child.tail
            continue
        new.append(_to_html(child, keep_images))
    new.tail = el.tail
    return new


def _report_frame(page, doc: Document) -> None:
    found = [name for name, path in _FRAME if page.xpath(path)]
    if found:
        names = ", ".join(found[:-1]) + (" og " if len(found) > 1 else "") + found[-1]
        doc.note("sidehoved", f"sidens ramme ({names}) er ikke taget med: den hører til "
                 "hjemmesiden, ikke til standarden")


def _report_missing(region, frame: set, extracted: str, doc: Document) -> None:
    """Text of the page's main content that did not come through (trafilatura may take a
    short block for boilerplate)."""
    have = re.sub(r"\W+", " ", extracted).lower()
    for el in region.iter(*_TEXT_BLOCKS):
        if el in frame or any(a.tag in _TEXT_BLOCKS or a.tag in _DROPPED or a in frame
                              for a in el.iterancestors()):
            continue
        text = clean(el.text_content())
        key = re.sub(r"\W+", " ", text).lower().strip()
        if len(key.split()) >= 3 and key not in have:
            doc.note("udeladt", f"teksten {excerpt(text, 12)} står i sidens hovedindhold, men "
                     "kom ikke med (den blev taget for sidens ramme). Tilføj den, hvis den hører "
                     "til standarden")
