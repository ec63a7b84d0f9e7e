"""HTML -> blocks: the one converter behind the Word reader (mammoth's HTML), the web reader
(trafilatura's main content) and the tagged-PDF reader (its structure tree as HTML).

Only text, headings, paragraphs, lists, tables, quotes, definition lists, bold, italics and safe
links come through. Images, embedded media, scripts, forms and the like are dropped, each with a
line in the review report.
"""

from __future__ import annotations

from lxml import html as lxml_html

from kvalitet.sources.blocks import (
    Block,
    Document,
    Heading,
    Inline,
    Item,
    ListBlock,
    Para,
    Quote,
    Subtitle,
    Table,
    Terms,
    clean,
    emphasis,
    excerpt,
    join,
    link_target,
    make_link,
    text_of,
)

HEADINGS = {f"h{n}": n for n in range(1, 7)}
_IMAGES = {"img", "picture", "svg", "canvas", "figure-image"}
_MEDIA = {"iframe", "object", "embed", "video", "audio", "map", "frame", "frameset", "applet"}
_CODE = {"script", "style", "noscript", "template", "link", "meta", "base", "head"}
_FORM = {"form", "input", "button", "select", "textarea", "option", "fieldset"}
_BLOCK = {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "ul",
          "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "blockquote", "dl",
          "dt", "dd", "figure", "figcaption", "pre", "hr", "address", "details", "summary",
          "center", "caption", "body", "html", *HEADINGS, *_FORM}
# Elements counted as one "afsnit" (paragraph) of the document, for the report.
_COUNTED = {"p", "ul", "ol", "table", "blockquote", "dl", "pre", *HEADINGS, *_IMAGES, *_MEDIA}
_BOLD = {"strong", "b"}
_ITALIC = {"em", "i"}


def parse(markup: str):
    """An lxml tree of an HTML fragment or page."""
    return lxml_html.document_fromstring(markup or "<p></p>")


class HtmlConverter:
    """Turns an HTML tree into blocks, recording what it drops in ``doc``'s notes."""

    def __init__(self, doc: Document, base_url: str | None = None, where: str = "afsnit"):
        self.doc = doc
        self.base_url = base_url
        self.where_word = where
        self.count = 0  # blocks met at the top level, for "afsnit 12"
        self.tables = 0
        self.position: list[str] = []  # inside a table: "tabel 1, række 3"

    # --- where --------------------------------------------------------------------------------

    def where(self, el=None) -> str:
        """Where the current block came from: a table's row, the place a reader wrote on the
        element (a PDF's page), or the running number of the document's paragraphs."""
        if self.position:
            return self.position[-1]
        marked = el.get("data-where") if el is not None else None
        return marked or f"{self.where_word} {self.count}"

    def drop(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        where = self.where()
        if tag in _IMAGES or (tag == "figure" and el.find(".//img") is not None):
            alt = clean(el.get("alt") or el.get("aria-label") or el.get("title") or "")
            self.doc.note("billede", "et billede er ikke importeret"
                          + (f" (alternativ tekst: «{alt}»)" if alt else "")
                          + ". Står der noget vigtigt i billedet, så skriv det som tekst", where)
        elif tag in _MEDIA:
            src = clean(el.get("src") or el.get("data") or "")
            self.doc.note("html", f"indlejret indhold (<{tag}>{' fra ' + src if src else ''}) "
                          "er ikke importeret", where)
        elif tag in ("script", "noscript", "style", "template"):
            self.doc.note("html", f"HTML-kode (<{tag}>) er ikke importeret", where)
        elif tag in _FORM:
            self.doc.note("html", f"et formularfelt (<{tag}>) er ikke importeret", where)

    # --- blocks -------------------------------------------------------------------------------

    def convert(self, root) -> list[Block]:
        body = root.find(".//body")
        return self.blocks(body if body is not None else root)

    def blocks(self, container) -> list[Block]:
        """The blocks of an element's content: runs of inline content become paragraphs."""
        out: list[Block] = []
        pending: list[Inline] = []

        def flush() -> None:
            text = Inline("".join(p.md for p in pending), "".join(p.plain for p in pending))
            text = text.strip()
            pending.clear()
            if text:
                if not self.position and container.tag not in _COUNTED:  # loose text
                    self.count += 1
                out.append(Para(text, where=self.where()))

        if container.text:
            pending.append(Inline.text_keep(container.text))
        for child in container:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag is None:  # a comment or processing instruction
                pass
            elif tag in _BLOCK or tag in _IMAGES or tag in _MEDIA or tag in _CODE:
                flush()
                if not self.position and tag in _COUNTED and container.tag not in _COUNTED:
                    self.count += 1
                out += self.block(child)
            elif tag == "br" and len(pending) and child.getnext() is not None \
                    and child.getnext().tag == "br":
                flush()
            else:
                pending.append(self.inline(child))
            if child.tail:
                pending.append(Inline.text_keep(child.tail))
        flush()
        return out

    def block(self, el) -> list[Block]:
        tag = el.tag
        where = self.where(el)
        if tag in _IMAGES or tag in _MEDIA or tag in _CODE or tag in _FORM:
            self.drop(el)
            return []
        if tag in HEADINGS:
            text = self.inline(el).strip()
            if not text:
                return []
            level = 0 if "title" in (el.get("class") or "").split() else HEADINGS[tag]
            return [Heading(text, level, where=where)]
        if tag == "p" and "subtitle" in (el.get("class") or "").split():
            text = self.inline(el).strip()
            return [Subtitle(text, where=where)] if text else []
        if tag == "p":
            found = self.blocks(el)
            text = found[0].text if len(found) == 1 and isinstance(found[0], Para) else None
            if text is not None:
                return [Para(text, bold=self.is_bold(el), where=where)]
            return found
        if tag in ("ul", "ol"):
            items = [self.item(li) for li in el if li.tag == "li"]
            items = [i for i in items if i.text or i.lists]
            return [ListBlock(items, ordered=tag == "ol", where=where)] if items else []
        if tag == "table":
            return self.table(el)
        if tag == "blockquote":
            inner = self.blocks(el)
            return [Quote(inner, where=where)] if inner else []
        if tag == "dl":
            return self.terms(el)
        if tag == "hr":
            return []
        if tag == "pre":
            text = Inline.text(el.text_content())
            return [Para(text, where=where)] if text else []
        return self.blocks(el)  # div, section, li out of a list, td out of a table, ...

    def item(self, li) -> Item:
        texts: list[Inline] = []
        lists: list[ListBlock] = []
        for block in self.blocks(li):
            if isinstance(block, ListBlock):
                lists.append(block)
            elif isinstance(block, Heading | Para | Subtitle):
                texts.append(block.text)
            else:
                texts.append(text_of([block]))
        return Item(join(texts), lists)

    def table(self, el) -> list[Block]:
        self.tables += 1
        number = self.tables
        rows: list[list[list[Block]]] = []
        header = False
        own = [tr for tr in el.iter("tr") if _owner_table(tr) is el]  # not a nested table's
        for r, tr in enumerate(own):
            cells = []
            for c, cell in enumerate(x for x in tr if x.tag in ("td", "th")):
                self.position.append(f"tabel {number}, række {r + 1}")
                cells.append(self.blocks(cell))
                self.position.pop()
                if r == 0 and c == 0:
                    header = cell.tag == "th" or tr.getparent().tag == "thead"
            if any(cells):
                rows.append(cells)
        caption = el.find("caption")
        out: list[Block] = []
        if caption is not None and caption.text_content().strip():
            out.append(Para(emphasis(self.inline(caption).strip(), "**"), bold=True,
                            where=f"tabel {number}"))
        if rows:
            out.append(Table(rows, header=header, where=f"tabel {number}"))
        return out

    def terms(self, el) -> list[Block]:
        entries: list[tuple[Inline, list[Block]]] = []
        for child in el.iter("dt", "dd"):
            if child.tag == "dt":
                entries.append((self.inline(child).strip(), []))
            elif entries:
                entries[-1][1].extend(self.blocks(child))
            else:
                entries.append((Inline(), self.blocks(child)))
        entries = [(t, d) for t, d in entries if t or d]
        return [Terms(entries, where=self.where())] if entries else []

    # --- inline -------------------------------------------------------------------------------

    def inline(self, el) -> Inline:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:
            return Inline()
        if tag in _IMAGES or tag in _MEDIA or tag in _CODE or tag in _FORM:
            self.drop(el)
            return Inline()
        if tag == "br":
            return Inline(" ", " ")
        parts = [Inline.text_keep(el.text)] if el.text else []
        for child in el:
            parts.append(self.inline(child))
            if child.tail:
                parts.append(Inline.text_keep(child.tail))
        inner = Inline("".join(p.md for p in parts), "".join(p.plain for p in parts))
        if tag in _BOLD:
            return emphasis(inner, "**")
        if tag in _ITALIC:
            return emphasis(inner, "*")
        if tag == "a":
            href = el.get("href") or ""
            target = link_target(href, self.base_url)
            if href and target is None and not href.startswith("#") and inner:
                self.doc.note("link", f"linket {excerpt(inner.plain)} til «{href[:80]}» er "
                              "ikke taget med (kun https-, http-, mailto- og tel-links; en "
                              "relativ adresse kræver sidens egen adresse). Teksten står der",
                              self.where())
            return make_link(inner, target)
        return inner

    def is_bold(self, el) -> bool:
        """Whether all the visible text of ``el`` is inside bold tags."""
        total = clean(el.text_content())
        bold = clean(" ".join(b.text_content() for b in el.iter(*_BOLD)
                              if not any(a.tag in _BOLD for a in b.iterancestors())))
        return bool(total) and total.replace(" ", "") == bold.replace(" ", "")


def _owner_table(row):
    parent = row.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent
