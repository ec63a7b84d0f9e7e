"""Editors' Markdown: what is allowed in it, the links in it, and escaping text for Markdown.

Python-Markdown passes raw HTML and ``javascript:`` links through untouched, its ``attr_list``
extension (which the engine's own ``{#id}`` anchors need) puts any attribute an editor writes in
``{…}`` on a link, a paragraph or a heading, and Jinja's HTML autoescaping does not apply to
Markdown, so safety is decided here: editors' Markdown may hold no HTML tags, no attribute lists,
no images and only links with safe schemes; plain-text values are escaped before they are placed
into generated Markdown. This is the gate with the editors' messages; the page extension's guard
(``site.markup``) is the guarantee behind it, on what the Markdown became.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

SAFE_SCHEMES = ("https", "http", "mailto", "tel")

# A tag as Python-Markdown would pass it through: "<" + name (or "/name", "!--", "!", "?") ... ">".
# An autolink such as <https://x.dk> or <navn@x.dk> is not a tag: a colon or @ follows the name.
_TAG = re.compile(
    r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>]*|!--.*?--|![A-Za-z][^<>]*|\?[^<>]*)>", re.S)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_FENCE = re.compile(r"^( {0,3})(```|~~~).*?^\1\2", re.S | re.M)
# Inline links and images: [text](target "title") and reference definitions: [x]: target
_LINK_OPEN = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(")
_TITLE = re.compile(r"""\s+("[^"]*"|'[^']*')\s*$""")
_REF_DEF = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(<[^>]*>|\S+)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
# An attribute list as Python-Markdown's attr_list reads one ("{", an optional ":", something on
# the same line, "}"). It takes effect after a link, emphasis or code, at the end of a heading,
# list item, table cell or paragraph, and on a line of its own; rather than follow those rules,
# editors' text holds no such group at all (an escaped "\{" is text).
_ATTR_LIST = re.compile(r"(?<!\\)\{:?[ ]*[^}\n ][^\n]*?\}")
# An image: ![alt](target) or ![alt][label] (the format has no media, and an image from another
# host would make every reader's browser contact it).
_IMAGE = re.compile(r"!\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\][ ]?[(\[]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Python-Markdown's escapable characters ("|" comes with the tables extension).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")


@dataclass(frozen=True)
class Link:
    """A link target as written, and where it stands in the text."""

    target: str
    start: int
    end: int


def _without_code(text: str) -> str:
    """Blank out code (fences and spans) so its contents are not taken for tags or links."""
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731 - keeps offsets and lines
    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def find_tags(text: str) -> list[str]:
    """Raw HTML tags in editors' Markdown (code excluded). A lone ``<`` or ``&`` is not a tag."""
    return [m.group(0) for m in _TAG.finditer(_without_code(text))]


def find_links(text: str) -> list[Link]:
    """Every link target in editors' Markdown: inline links, images, references and autolinks.

    Inline targets are read as Python-Markdown reads them: up to the balanced ")", spaces
    included, without an optional "title".
    """
    plain = _without_code(text)
    links = [link for m in _LINK_OPEN.finditer(plain) if (link := _inline_target(plain, m.end()))]
    for m in _REF_DEF.finditer(plain):
        raw, start = m.group(2), m.start(2)
        if raw.startswith("<") and raw.endswith(">"):
            raw, start = raw[1:-1], start + 1
        links.append(Link(raw, start, start + len(raw)))
    for m in _AUTOLINK.finditer(plain):
        links.append(Link(m.group(1), m.start(1), m.end(1)))
    return sorted(links, key=lambda link: link.start)


def _inline_target(text: str, start: int) -> Link | None:
    """The target of an inline link whose "(" ends just before ``start``."""
    depth, i = 1, start
    if text[start:start + 1] == "<":
        end = text.find(">", start)
        return Link(text[start + 1:end], start + 1, end) if end > 0 else None
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            break
        i += 1
    inner = text[start:i]
    title = _TITLE.search(inner)
    body = inner[:title.start()] if title else inner
    lead = len(body) - len(body.lstrip())
    target = body.strip()
    return Link(target, start + lead, start + lead + len(target))


def scheme(target: str) -> str | None:
    """The URL scheme of a link target (lowercase), or None for a relative link."""
    # Browsers decode entities in attributes and drop controls and spaces around a scheme.
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(target))
    m = _SCHEME.match(cleaned)
    return m.group(1).lower() if m else None


def _shown(found: list[str]) -> str:
    return ", ".join(dict.fromkeys(t if len(t) < 40 else t[:37] + "…" for t in found))


_RAW_CODE = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)", re.S | re.I)


def find_attribute_lists(text: str) -> list[re.Match]:
    """Attribute lists ("{: onclick=…}", "{#id}", "{.class}") in editors' Markdown (code, and
    the inside of a <script> or <style> that the HTML message already names, excluded)."""
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731 - keeps offsets
    return list(_ATTR_LIST.finditer(_RAW_CODE.sub(blank, _without_code(text))))


def find_images(text: str) -> list[re.Match]:
    """Images ("![alt](…)", "![alt][label]", and "![label]" when the label is defined) in
    editors' Markdown (code excluded)."""
    plain = _without_code(text)
    labels = {m.group(1).strip().lower() for m in re.finditer(r"^ {0,3}\[([^\]]+)\]:", plain,
                                                             re.M)}
    found = list(_IMAGE.finditer(plain))
    found += [m for m in re.finditer(r"!\[([^\[\]\n]+)\](?![(\[])", plain)
              if m.group(1).strip().lower() in labels]
    return sorted(found, key=lambda m: m.start())


def problems(text: str) -> list[str]:
    """Danish descriptions of what is not allowed in editors' Markdown (empty when all is well)."""
    found = []
    tags = find_tags(text)
    if tags:
        found.append(f"teksten indeholder HTML ({_shown(tags)}), og det er ikke tilladt. Brug "
                     "Markdown: **fed**, *kursiv*, [linktekst](https://…), punkter med \"- \"")
    attrs = [text[m.start():m.end()] for m in find_attribute_lists(text)]
    if attrs:
        found.append(f"teksten indeholder krøllede parenteser ({_shown(attrs)}), som i Markdown "
                     "giver teksten egenskaber (fx kode, der kører, når nogen klikker), og det er "
                     "ikke tilladt. Slet dem; skal der stå en parentes i teksten, så brug ( )")
    images = [text[m.start():m.end()].rstrip("([ ") for m in find_images(text)]
    if images:
        found.append(f"teksten indeholder et billede ({_shown(images)}), og billeder kan ikke "
                     "bruges i teksten: et billede fra en anden adresse ville sende borgernes "
                     "besøg videre dertil. Slet det, eller skriv et link: [linktekst](https://…)")
    shown = {m.end() for m in find_images(text)}  # an image's own target: named above
    for link in find_links(text):
        s = scheme(link.target)
        if s is not None and s not in SAFE_SCHEMES and link.start not in shown:
            found.append(f'linket "{link.target[:60]}" bruger "{s}:", som ikke er tilladt. Brug '
                         "https://, http://, mailto:, tel: eller en sti på sitet som /tilbud/")
    return found


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}\.)\s+\S")
_NOT_PROSE = re.compile(r"^\s{0,3}(?:#|>|\||```|~~~|!!!)")
_BULLET = re.compile(r"^\s*([•·▪●◦‣–—])\s*\S", re.M)
_PAREN_NUMBER = re.compile(r"^\s*\d{1,3}\)\s+\S", re.M)
# "\- " or "1\. ": a list marker made plain text, as the form's text editor writes "- " typed at
# the start of a line after a list was pasted (the editor's own list button makes a real list).
_ESCAPED_MARKER = re.compile(r"^\s*(\\[-*+]|\d{1,3}\\\.)[ \t]+\S", re.M)
_SPACED_LINK = re.compile(r"\[([^\[\]\n]+)\][ \t]*(?:\n[ \t]*)?(?<=[\s])\((?=[^()\s]+\))")


def silent_failures(text: str) -> list[tuple[int, str, str]]:
    """Where editors' Markdown will not become what it looks like, without any error:
    (offset, kind, what was written) with kind "tight" (a list right under a line of text, with
    no blank line between: Python-Markdown folds it into the paragraph), "bullet" (a "•" from a
    word processor), "paren" ("1)" numbering), "escaped" ("\\- ", a list marker made text),
    "spaced-link" ("[text] (target)") or "bare-url"
    (a web address written as text, which does not become a link)."""
    plain = _without_code(text)
    found: list[tuple[int, str, str]] = []
    offset, prose, in_list = 0, False, False
    for line in plain.split("\n"):
        if not line.strip():
            prose = False
        elif _LIST_ITEM.match(line):
            if prose:
                found.append((offset + len(line) - len(line.lstrip()), "tight", line.strip()))
            prose, in_list = False, True
        elif in_list and line[:1].isspace():
            pass  # the continuation of a list item
        else:
            prose, in_list = not _NOT_PROSE.match(line), False
        offset += len(line) + 1
    found += [(m.start(1), "bullet", m.group(1)) for m in _BULLET.finditer(plain)]
    found += [(m.start(), "paren", m.group().strip()) for m in _PAREN_NUMBER.finditer(plain)]
    found += [(m.start(1), "escaped", m.group(1)) for m in _ESCAPED_MARKER.finditer(plain)]
    found += [(m.start(), "spaced-link", m.group(1)) for m in _SPACED_LINK.finditer(plain)]
    found += [(offset, "bare-url", url) for offset, url in bare_urls(text)]
    return sorted(found)


# Characters that show nothing but change what a page does: a soft hyphen from Word stops the
# glossary link and lands in the meta description; zero-width spaces and joiners split or join
# words unseen; direction marks reorder text. The engine removes them (strip_invisible).
INVISIBLE = {"\u00ad": "blød bindestreg", "\u200b": "mellemrum uden bredde",
             "\u200c": "usynlig ordskiller", "\u200d": "usynlig ordsammenbinder",
             "\u2060": "usynlig ordsammenbinder", "\ufeff": "usynligt mellemrum (BOM)",
             "\u180e": "usynlig vokalskiller"}
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                        "\ufeff]")


def find_invisible(text: str) -> list[tuple[int, str]]:
    """Where ``text`` holds invisible characters: (offset, Danish name)."""
    return [(m.start(), INVISIBLE.get(m.group(), "usynligt retningstegn"))
            for m in _INVISIBLE.finditer(text)]


def strip_invisible(text: str) -> str:
    """``text`` without the invisible characters of ``find_invisible``."""
    return _INVISIBLE.sub("", text)


# A web address in running text that Python-Markdown leaves as text (it links only [x](…) and
# <https://…>): "www.kommune.dk" or "https://www.kommune.dk" without the brackets.
_BARE_URL = re.compile(r"(?<![\w@/.:\[(<\\-])((?:https?://|www\.)[^\s<>()\[\]\\]*"
                       r"[^\s<>()\[\]\\.,;:!?\"'])", re.I)


def bare_urls(text: str) -> list[tuple[int, str]]:
    """Web addresses written as plain text (not inside a link): (offset, address)."""
    plain = _without_code(text)
    blank = lambda a, b: " " * (b - a)  # noqa: E731 - keeps offsets
    for m in list(_LINK_OPEN.finditer(plain)) + list(_REF_DEF.finditer(plain)) + \
            list(_AUTOLINK.finditer(plain)):
        plain = plain[:m.start()] + blank(m.start(), m.end()) + plain[m.end():]
    for link in find_links(text):
        plain = plain[:link.start] + blank(link.start, link.end) + plain[link.end:]
    return [(m.start(1), m.group(1)) for m in _BARE_URL.finditer(plain)]


# A heading in editors' text ("### Formål"): allowed, and given an id made like every other id
# (``heading_id``), not Python-Markdown's slug ("formal", which drops å).
_ATX = re.compile(r"^( {0,3})(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)


@dataclass(frozen=True)
class Heading:
    """A heading in editors' Markdown: where its line starts, its level and its text."""

    start: int
    level: int
    title: str


def headings(text: str) -> list[Heading]:
    """The "#" headings of editors' Markdown, in order (code excluded)."""
    return [Heading(m.start(), len(m.group(2)), text[m.start(3):m.end(3)].strip())
            for m in _ATX.finditer(_without_code(text)) if m.group(3).strip()]


def heading_id(title: str) -> str:
    """An id for a heading, by the content format's transliteration (æ ø å as ae oe aa):
    "Formål og værdier" -> "formaal-og-vaerdier" ("afsnit" when no letter or digit is left)."""
    from kvalitet.content.ids import slug

    return slug(title, max_length=80) or "afsnit"


def with_heading_ids(text: str, ids: list[str]) -> str:
    """``text`` with each heading (in order) given its id from ``ids`` as an explicit anchor."""
    found = {m.start(): m for m in _ATX.finditer(_without_code(text)) if m.group(3).strip()}
    out, pos = [], 0
    for start, anchor in zip(sorted(found), ids, strict=False):
        m = found[start]
        out += [text[pos:start], f"{m.group(1)}{m.group(2)} {text[m.start(3):m.end(3)].strip()}"
                f" {{#{anchor}}}"]
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def first_problem(text: str) -> int | None:
    """The offset of the first thing ``problems`` refuses (an HTML tag, an attribute list, an
    image or an unsafe link)."""
    plain = _without_code(text)
    offsets = [m.start() for m in _TAG.finditer(plain)]
    offsets += [m.start() for m in (*find_attribute_lists(text), *find_images(text))]
    offsets += [link.start for link in find_links(text)
                if (s := scheme(link.target)) is not None and s not in SAFE_SCHEMES]
    return min(offsets, default=None)


def rewrite_links(text: str, replace) -> str:
    """Return ``text`` with each link target passed through ``replace(target) -> target``."""
    out, pos = [], 0
    for link in find_links(text):
        out += [text[pos:link.start], replace(link.target)]
        pos = link.end
    out.append(text[pos:])
    return "".join(out)


def escape(value: object) -> str:
    """Escape plain text for inline Markdown: it shows as written and never becomes markup."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", text)
