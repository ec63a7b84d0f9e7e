"""An accessible PDF (PDF/UA-1) of every edition of a standard, from the engine's own content.

The document is HTML written here from the models (never MkDocs' pages, never a browser's print)
and laid out by WeasyPrint with its tags. WeasyPrint 70 has known gaps in its tagging; the HTML is
designed around them and a small pikepdf pass mends the rest:

- a definition list loses its pairs (each dt and dd becomes a list item): the facts are a table
  with row headers, the word list is paragraphs;
- markup inside a link splits the link's annotation from its tag: link text is plain text, and
  a printed address stands after the link, not inside it (no ``::after``);
- the line-end space is dropped from the tagged text ("klareopgaverne"): whitespace is collapsed
  here and kept with ``white-space: pre-wrap``;
- the running header and the page numbers are tagged as text outside the structure tree: the
  pass marks them as pagination artifacts;
- table header cells get no ``/Scope``: the pass adds it (column in a header row, else row).

PDFs are made by the publishing build only (``kvalitet build``); the preview says so instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import xml.etree.ElementTree as etree
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import markdown

from kvalitet import mdtext, urls
from kvalitet.build import MANIFEST, PdfFile
from kvalitet.content.load import Site, StandardContent
from kvalitet.content.versions import Edition
from kvalitet.outputs.pdfcache import PdfCache
from kvalitet.site.markup import guard
from kvalitet.site.render import danish_date, environment

FONT = '"Liberation Sans", "DejaVu Sans", sans-serif'  # named: fontconfig's default may change


def documents(site: Site) -> list[tuple[str, StandardContent, Edition | None]]:
    """Every PDF of the site: the text in force of each standard and each dated edition."""
    found = []
    for std in site.standards:
        found.append((urls.pdf(std.id), std, None))
        found += [(urls.pdf(std.id, e.date), std, e) for e in std.editions]
    return found


# --- HTML from the content -----------------------------------------------------------------------

def document_html(site: Site, std: StandardContent, edition: Edition | None) -> str:
    """The document as HTML: what the PDF holds, in reading order."""
    shown = edition or std.current
    standard = shown.standard if shown else std.standard
    page = urls.version(std.id, edition.date) if edition else urls.standard(std.id)
    muni = site.municipality
    links = _Links(site, page)
    md = _markdown(links)

    def html(text: str | None) -> str:
        if not text:
            return ""
        md.reset()
        return guard(md.convert(text))  # the same allowlist as every page of the site

    sections = [{"id": s.id, "title": s.title, "summary": html(s.summary), "body": html(s.body),
                 "subsections": [{"id": u.id, "title": u.title, "summary": html(u.summary),
                                  "body": html(u.body)} for u in s.subsections]}
                for s in standard.sections]
    contacts = {c.id: c for c in muni.contacts}
    apply = standard.apply
    chosen = [contacts[c] for c in apply.contacts] if apply else muni.contacts
    template = environment().get_template("pdf.html.j2")
    text = template.render(
        standard=standard, municipality=muni, sections=sections,
        edition=shown, state=shown.state if shown else None,
        facts=[("Lovgrundlag", standard.law)] + [(f.label, f.value) for f in standard.facts],
        words=[{"term": e.term, "definition": html(e.definition)} for e in standard.glossary],
        apply_text=html(apply.text) if apply else "", contacts=chosen,
        source_note=html(standard.source_note),
        address=urls.absolute(muni.site_url, page) if muni.site_url else page,
        linked=bool(muni.site_url), made=site.today, date=danish_date,
        css=_css(danish_date(shown.date) if shown else None))
    return normalize_whitespace(text)


class _Links:
    """Where a link in the PDF goes: to a section of this document (an internal link), to the
    site (a full address when site_url is known; else plain text: a site path means nothing on
    paper), or out."""

    def __init__(self, site: Site, page: str):
        self.site, self.page = site, page
        self.moved = {r.from_: r.to for r in site.redirects.redirects}

    def target(self, href: str) -> tuple[str | None, str | None]:
        """(href for the PDF or None, the address to print after the link or None)."""
        if mdtext.scheme(href) is not None:
            shown = href.removeprefix("mailto:").removeprefix("tel:")
            return href, href if href.startswith(("http:", "https:")) else shown
        url = urls.follow(self.moved, urls.resolve(self.page, href))
        path, anchor = urls.split(url)
        if path == urls.split(self.page)[0] and anchor:
            return f"#{anchor}", None
        base = self.site.municipality.site_url
        if not base:
            return None, None
        full = urls.absolute(base, url)
        return full, full


class _PdfLinks(markdown.treeprocessors.Treeprocessor):
    """Plain link text (no markup inside a link) and the address printed after it."""

    def __init__(self, md, links: _Links):
        super().__init__(md)
        self.links = links

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for link in list(parent):
                if link.tag != "a":
                    continue
                text = "".join(link.itertext())
                href, shown = self.links.target(link.get("href", ""))
                for child in list(link):
                    link.remove(child)
                link.text = text
                if href is None:
                    link.tag = "span"
                    link.attrib.clear()
                else:
                    link.set("href", href)
                if shown and shown != text:
                    address = etree.Element("span", {"class": "url"})
                    address.text = f" ({shown})"
                    address.tail = link.tail
                    link.tail = None
                    parent.insert(list(parent).index(link) + 1, address)


class _PdfMarkup(markdown.Extension):
    def __init__(self, links: _Links):
        super().__init__()
        self.links = links

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_PdfLinks(md, self.links), "kvalitet_pdf_links", 1)


def _markdown(links: _Links) -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists", _PdfMarkup(links)])


_BLOCKS = {"html", "body", "main", "section", "div", "p", "h1", "h2", "h3", "h4", "ul", "ol",
           "li", "table", "thead", "tbody", "tr", "td", "th", "blockquote", "br", "caption"}
_SPACE = re.compile(r"[ \t\r\n\f]+")


def normalize_whitespace(html: str) -> str:
    """Whitespace as ``white-space: normal`` would render it (runs collapsed, none at block
    edges), so the document can use ``pre-wrap``, which keeps each line's last space in the
    tagged text."""
    import lxml.html

    doc = lxml.html.document_fromstring(html)

    def walk(element) -> None:
        if not isinstance(element.tag, str) or element.tag in ("style", "pre"):
            return
        block = element.tag in _BLOCKS
        if element.text:
            element.text = _SPACE.sub(" ", element.text)
            if block or (len(element) and element[0].tag in _BLOCKS):
                element.text = element.text.lstrip()
        children = list(element)
        for i, child in enumerate(children):
            walk(child)
            if child.tail:
                child.tail = _SPACE.sub(" ", child.tail)
                following = children[i + 1] if i + 1 < len(children) else None
                if child.tag in _BLOCKS or (following is not None and following.tag in _BLOCKS):
                    child.tail = child.tail.strip() or None
        if block:
            if children and children[-1].tail:
                children[-1].tail = children[-1].tail.rstrip() or None
            elif not children and element.text:
                element.text = element.text.rstrip()

    walk(doc.find("body"))
    return lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")


@cache
def _style() -> str:
    return (Path(__file__).parent.parent / "templates" / "pdf.css").read_text("utf-8")


def _css(version_date: str | None) -> str:
    return _style().replace("FONT", FONT).replace(
        "VERSION", f'"Udgaven fra {version_date}"' if version_date else '""')


# --- the PDF -----------------------------------------------------------------------------------

def _local_only(url: str, *args, **kwargs) -> dict:
    """WeasyPrint fetches what a document names (images, fonts, style sheets): only the data the
    template itself embeds, never a file or an address a text could name."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"the PDF fetches nothing: {url[:80]}")


def render_pdf(html: str, target: Path, base_url: str) -> int:
    """Write the PDF/UA-1 document; return its page count."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url, url_fetcher=_local_only).render()
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32]  # the same text, the same file
    raw = target.with_suffix(".raw.pdf")
    document.write_pdf(raw, pdf_variant="pdf/ua-1", pdf_identifier=identifier.encode(),
                       custom_metadata=True)
    mend(raw, target)
    raw.unlink()
    return len(document.pages)


def mend(source: Path, target: Path) -> None:
    """Mark the page furniture WeasyPrint leaves outside the tree as artifacts, and give table
    header cells their scope."""
    import pikepdf
    from pikepdf import Dictionary, Name

    with pikepdf.open(source) as pdf:
        tree = pdf.Root.StructTreeRoot
        reachable = _reachable(tree)
        parents = _parent_tree(tree)
        for page in pdf.pages:
            number = page.obj.get("/StructParents")
            owners = parents.get(int(number)) if number is not None else None
            if owners is None:
                continue
            orphans = {i for i, owner in enumerate(owners)
                       if isinstance(owner, Dictionary) and owner.objgen not in reachable}
            if not orphans:
                continue
            height = float(page.mediabox[3])
            commands = pikepdf.parse_content_stream(page)
            mended = []
            for n, (operands, op) in enumerate(commands):
                if str(op) == "BDC" and isinstance(operands[1], Dictionary) \
                        and int(operands[1].get("/MCID", -1)) in orphans:
                    top = next((float(o[5]) < height / 2 for o, p in commands[n:n + 8]
                                if str(p) == "Tm"), True)  # WeasyPrint flips the page
                    props = Dictionary(Type=Name.Pagination,
                                       Subtype=Name.Header if top else Name.Footer)
                    mended.append(pikepdf.ContentStreamInstruction(
                        [Name.Artifact, props], pikepdf.Operator("BDC")))
                else:
                    mended.append(pikepdf.ContentStreamInstruction(operands, op))
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(mended))
            for i in orphans:
                owners[i] = None
        for element in _elements(tree):
            if element.get("/S") == Name.TH:
                row = element.get("/P")
                header_row = row is not None and all(
                    isinstance(k, Dictionary) and k.get("/S") == Name.TH
                    for k in _kids(row))
                in_head = row is not None and row.get("/P") is not None and \
                    row.P.get("/S") == Name.THead
                scope = Name.Column if in_head or header_row else Name.Row
                attributes = element.get("/A")
                if isinstance(attributes, Dictionary):
                    attributes.Scope = scope
                else:
                    element.A = Dictionary(O=Name.Table, Scope=scope)
        pdf.save(target, deterministic_id=True)


def _kids(element) -> list:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(tree):
    """Every structure element under the tree root."""
    from pikepdf import Dictionary, Name

    seen, todo = set(), _kids(tree)
    while todo:
        item = todo.pop()
        if isinstance(item, Dictionary) and item.get("/Type") not in (Name.MCR, Name.OBJR):
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
            yield item
            todo += _kids(item)


def _reachable(tree) -> set:
    return {e.objgen for e in _elements(tree)}


def _parent_tree(tree) -> dict[int, object]:
    """ParentTree number -> its entry (for a page: the array of owners by MCID)."""
    found: dict[int, object] = {}

    def walk(node) -> None:
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums), 2):
                found[int(nums[i])] = nums[i + 1]
        for kid in node.get("/Kids", []):
            walk(kid)

    walk(tree.ParentTree)
    return found


def build_pdfs(site: Site, folder: Path, cache: PdfCache | None = None,
               workers: int | None = None) -> list[PdfFile]:
    """Make every PDF of the site under ``folder`` (at their site paths) and write the
    manifest that the MkDocs build reads (``KVALITET_PDFS``). With a ``cache``, a PDF whose
    HTML and renderer are those of a PDF made before is copied from it (``outputs.pdfcache``).
    The others are laid out by ``workers`` processes at once (default: one per core)."""
    if cache:
        cache.begin()
    found: list[tuple[str, Path, str, int | None]] = []
    for url, std, edition in documents(site):
        target = folder / url.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        html = document_html(site, std, edition)
        found.append((url, target, html, cache.get(html, target) if cache else None))
    missing = [(target, html) for _, target, html, pages in found if pages is None]
    workers = min(workers or os.cpu_count() or 1, len(missing))
    root = str(site.root)
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            laid_out = list(pool.map(render_pdf, [html for _, html in missing],
                                     [target for target, _ in missing], [root] * len(missing)))
    else:
        laid_out = [render_pdf(html, target, root) for target, html in missing]
    pages_of = {target: pages for (target, _), pages in zip(missing, laid_out, strict=True)}
    made = []
    for url, target, html, pages in found:
        if pages is None:
            pages = pages_of[target]
            if cache:
                cache.put(html, target, pages)
        made.append(PdfFile(url, pages, target.stat().st_size))
    if cache:
        cache.keep_only_used()
    (folder / MANIFEST).write_text(json.dumps(
        {"made": site.today.isoformat(),
         "files": [{"url": p.url, "pages": p.pages, "size": p.size} for p in made]},
        ensure_ascii=False, indent=1), "utf-8")
    return made
