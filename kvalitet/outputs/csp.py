"""The Content-Security-Policy of the built site, made from the HTML a generator wrote.

Every page gets its own policy in a ``<meta http-equiv>`` tag, so it holds on hosts that send no
headers (GitHub Pages, GitLab.com): scripts and styles from the site itself, plus a SHA-256 hash
of each inline ``<script>`` and ``<style>`` the page really contains, whatever the templates are
today. No hash can allow an inline event handler or a ``style`` attribute: the browser would
block them, so each is reported (the MkDocs build turns the report into a warning, which fails
``--strict``).

A meta tag cannot carry ``frame-ancestors`` and covers only what comes after it (CSP 3), so the
tag goes straight after ``<meta charset>``, before any script, style or link; hosts that send
headers send the union of all pages' policies with ``frame-ancestors 'none'`` added
(``outputs.host``). The browser enforces both, so a page keeps its own, tighter policy there too.

Each page is sealed on its own (``seal``): an incremental build seals only the pages it wrote.
Pages are read with HTML tokenizers (lxml for the whole page, ``html.parser`` for its head, where
the tag goes), never with patterns.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
from lxml import etree

# What every page may load: its own files, the search's WebAssembly (Pagefind compiles it, and
# browsers ask for 'wasm-unsafe-eval' to allow that), images inlined as data: URIs in the theme's
# CSS, and nothing else; no plugins, no <base>, forms only to the site itself.
BASE: dict[str, tuple[str, ...]] = {
    "default-src": ("'none'",),
    "script-src": ("'self'", "'wasm-unsafe-eval'"),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "base-uri": ("'none'",),
    "form-action": ("'self'",),
}
HEADER_ONLY = {"frame-ancestors": ("'none'",)}  # a meta tag cannot carry it
META_NAME = "Content-Security-Policy"
# Sent as a header where the host can; a meta tag says the same where it cannot.
REFERRER = "same-origin"

# Script types a browser runs; any other type (application/json, application/ld+json) is a data
# block that is never executed, so the CSP does not apply to it.
_RUN_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
              "application/ecmascript", "application/x-javascript", "text/jscript"}


@dataclass(frozen=True)
class Policy:
    """The hashes of the inline scripts and styles that a page (or a whole site) may run."""

    scripts: frozenset[str] = frozenset()
    styles: frozenset[str] = frozenset()

    def __or__(self, other: Policy) -> Policy:
        return Policy(self.scripts | other.scripts, self.styles | other.styles)

    @staticmethod
    def union(policies: Iterable[Policy]) -> Policy:
        """What all of ``policies`` allow (a site's header allows what any page does)."""
        return functools.reduce(operator.or_, policies, Policy())

    def directives(self, header: bool = False) -> dict[str, tuple[str, ...]]:
        found = dict(BASE)
        found["script-src"] += tuple(sorted(self.scripts))
        found["style-src"] += tuple(sorted(self.styles))
        if header:
            found.update(HEADER_ONLY)
        return found

    def text(self, header: bool = False) -> str:
        """The policy as a header or meta tag carries it."""
        return "; ".join(f"{name} {' '.join(sources)}"
                         for name, sources in self.directives(header).items())


def source_hash(text: str) -> str:
    """A CSP hash source of an inline script's or style's text (the browser's input stream
    turns CR LF and CR into LF before it hashes)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass
class Sealed:
    """A page with its policy inserted, the policy, and what the policy would block."""

    html: str
    policy: Policy
    problems: list[str] = field(default_factory=list)


def _runs(script_type: str | None) -> bool:
    return (script_type or "").split(";")[0].strip().lower() in _RUN_TYPES


# Inline code, and what no hash can allow. lxml (libxml2 2.14 tokenizes HTML as browsers do)
# reads a whole page in about a millisecond; html.parser took ten (13 s for 40 standards).
_FIND = etree.XPath("//script[not(@src)] | //style | //@style | //@*[starts-with(name(), 'on')]")


def _inline(html: str) -> tuple[set[str], set[str], list[str]]:
    """The hashes of the inline scripts a browser runs and of the inline styles, and the
    attributes no hash allows."""
    scripts: set[str] = set()
    styles: set[str] = set()
    problems: list[str] = []
    verbatim = True
    for found in _FIND(lxml.html.document_fromstring(html)):
        if isinstance(found, str):  # an attribute
            name = found.attrname
            what = "a style attribute" if name == "style" else "an inline event handler"
            problems.append(f"<{found.getparent().tag} {name}=…>: {what}")
            continue
        text = found.text or ""
        verbatim = verbatim and text in html
        if found.tag == "style":
            styles.add(source_hash(text))
        elif _runs(found.get("type")):
            scripts.add(source_hash(text))
    if not verbatim:  # a text not as the page has it (an older libxml2, CR LF line ends):
        scripts, styles = _Inline.read(html)  # read the page as it is, slowly
    return scripts, styles, problems


class _Inline(HTMLParser):
    """The inline scripts and styles with their text exactly as the page has it."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: set[str] = set()
        self.styles: set[str] = set()
        self._open: str | None = None
        self._text: list[str] = []

    @classmethod
    def read(cls, html: str) -> tuple[set[str], set[str]]:
        reader = cls()
        reader.feed(html)
        reader.close()
        return reader.scripts, reader.styles

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "style" or tag == "script" and "src" not in values and _runs(
                values.get("type")):
            self._open, self._text = tag, []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == self._open:
            (self.styles if tag == "style" else self.scripts).add(
                source_hash("".join(self._text)))
            self._open = None


class _Head(HTMLParser):
    """Where the meta tag goes: after <meta charset> when no script, style or link comes
    before it, else just after <head>; and the tags this module wrote before. Reads the
    page only as far as the end of its head."""

    CHUNK = 512

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.head_end: int | None = None
        self.charset_end: int | None = None
        self.loads_before = False
        self.old: list[tuple[int, int]] = []
        self.policies: list[str] = []  # what the old CSP tags say
        self.done = False
        self._lines = [0]  # where each line starts, as far as read

    def read(self) -> _Head:
        for at in range(0, len(self.text), self.CHUNK):
            self.feed(self.text[at:at + self.CHUNK])
            if self.done:
                break
        return self

    def _span(self) -> tuple[int, int]:
        line, column = self.getpos()
        while len(self._lines) < line:
            self._lines.append(self.text.index("\n", self._lines[-1]) + 1)
        start = self._lines[line - 1] + column
        return start, start + len(self.get_starttag_text() or "")

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag == "head" and self.head_end is None:
            self.head_end = self._span()[1]
        elif tag == "body":
            self.done = True
        elif tag == "meta":
            if values.get("http-equiv", "").lower() == META_NAME.lower():
                self.old.append(self._span())
                self.policies.append(values.get("content", ""))
            elif values.get("name", "").lower() == "referrer":
                self.old.append(self._span())
            elif "charset" in values and self.charset_end is None and not self.loads_before:
                self.charset_end = self._span()[1]
        elif tag in ("script", "style", "link", "base") and self.charset_end is None:
            self.loads_before = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.done = self.done or tag == "head"


def seal(html: str) -> Sealed:
    """The page with a meta tag carrying its own policy (and the referrer policy) at the top of
    its ``<head>``; tags this function wrote before are replaced. Raises ValueError for a
    document without a ``<head>`` tag (every generator here writes one)."""
    head = _Head(html).read()
    for start, end in reversed(head.old):  # from the end, so the earlier offsets stay right
        html = html[:start] + html[end:]
    if head.old:
        return seal(html)
    at = head.charset_end or head.head_end
    if at is None:
        raise ValueError("no <head> tag: the policy has nowhere to go before the scripts")
    scripts, styles, problems = _inline(html)
    policy = Policy(frozenset(scripts), frozenset(styles))
    tag = (f'<meta http-equiv="{META_NAME}" content="{policy.text()}">'
           f'<meta name="referrer" content="{REFERRER}">')
    return Sealed(html[:at] + tag + html[at:], policy, problems)


def seal_site(site_dir: Path, files: list[Path] | None = None) -> tuple[Policy, list[str]]:
    """Seal every HTML file of a built site (or only ``files``) in place. Returns the union of
    their policies (what a header must allow) and the problems, each naming its file."""
    union = Policy()
    problems: list[str] = []
    for file in sorted(files if files is not None else site_dir.rglob("*.html")):
        text = file.read_text("utf-8")
        sealed, found = seal_page(file.relative_to(site_dir).as_posix(), text)
        problems += found
        if sealed is None:
            continue
        if sealed.html != text:
            file.write_text(sealed.html, "utf-8")
        union |= sealed.policy
    return union, problems


def seal_page(name: str, html: str) -> tuple[Sealed | None, list[str]]:
    """``seal`` for the page at ``name`` (its path in the site), with its problems as messages
    that name it (None when it cannot be sealed)."""
    try:
        sealed = seal(html)
    except ValueError as exc:
        return None, [f"{name}: {exc}"]
    return sealed, [f"{name}: {p}, which the Content-Security-Policy blocks. Move it to a file "
                    "or a class." for p in sealed.problems]


def read_policy(html: str) -> dict[str, tuple[str, ...]] | None:
    """The directives of the policy in a page's meta tag (None when it has none)."""
    head = _Head(html).read()
    if not head.policies:
        return None
    return parse(head.policies[0])


def parse(policy: str) -> dict[str, tuple[str, ...]]:
    """A policy's text as directives (name -> sources)."""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), tuple(words[1:]))
    return directives
