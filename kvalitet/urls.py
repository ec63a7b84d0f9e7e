"""The one module that decides every URL of the site (``content-format.md``, "URLs").

URLs are site paths such as ``/tilbud/perron-4/``, always built from ids, never from titles. Each
page's Markdown source lives at ``<path>index.md`` in MkDocs' virtual docs folder, and links between
generated pages are written as relative ``.md`` links so that MkDocs checks every one of them (and
their anchors) and keeps them working when the site is served from a sub-folder.
"""

from __future__ import annotations

import posixpath

GUIDE = "maalgruppe"
GUIDE_OVERVIEW = "maalgruppe-oversigt"
VERSIONS = "udgaver"
CHANGES = "aendringer"
OFFERS = "tilbud"
GLOSSARY = "ordforklaring"
CASEWORKERS = "for-sagsbehandlere"
DATA = "data"


def front() -> str:
    return "/"


def standard(standard_id: str, section_id: str | None = None) -> str:
    return f"/{standard_id}/" + (f"#{section_id}" if section_id else "")


def versions(standard_id: str) -> str:
    """The list of a standard's editions."""
    return f"/{standard_id}/{VERSIONS}/"


def version(standard_id: str, date, section_id: str | None = None) -> str:
    """One edition, by the day it came into force: /<id>/udgaver/2019-12-09/."""
    return f"/{standard_id}/{VERSIONS}/{date.isoformat()}/" + (
        f"#{section_id}" if section_id else "")


def changes(standard_id: str, date) -> str:
    """What changed in an edition since the one before it."""
    return f"/{standard_id}/{VERSIONS}/{date.isoformat()}/{CHANGES}/"


def pdf(standard_id: str, date=None) -> str:
    """The PDF of the text in force (/<id>/<id>.pdf) or of an edition."""
    folder = f"/{standard_id}/{VERSIONS}/{date.isoformat()}/" if date else f"/{standard_id}/"
    return f"{folder}{standard_id}.pdf"


def guide_start(standard_id: str) -> str:
    return f"/{standard_id}/{GUIDE}/"


def guide_node(standard_id: str, node_id: str) -> str:
    return f"/{standard_id}/{GUIDE}/{node_id}/"


def guide_overview(standard_id: str, node_id: str | None = None) -> str:
    return f"/{standard_id}/{GUIDE_OVERVIEW}/" + (f"#{node_id}" if node_id else "")


def offers(area_id: str | None = None) -> str:
    return f"/{OFFERS}/" + (f"#{area_id}" if area_id else "")


def offer(offer_id: str) -> str:
    return f"/{OFFERS}/{offer_id}/"


def glossary(term_id: str | None = None) -> str:
    return f"/{GLOSSARY}/" + (f"#{term_id}" if term_id else "")


def caseworkers() -> str:
    return f"/{CASEWORKERS}/"


def offers_data() -> str:
    return f"/{DATA}/tilbud.json"


def standards_data() -> str:
    return f"/{DATA}/standarder.json"


def split(url: str) -> tuple[str, str]:
    """``/a/b/#x`` -> (``/a/b/``, ``x``)."""
    path, _, anchor = url.partition("#")
    return path, anchor


def src_uri(url: str) -> str:
    """The virtual source file of a page path: ``/tilbud/`` -> ``tilbud/index.md``."""
    path = split(url)[0]
    if path.endswith("/"):
        return path.lstrip("/") + "index.md"
    return path.lstrip("/")


def static_src_uri(url: str) -> str:
    """The file written for a static page address: ``/gammel/`` -> ``gammel/index.html``."""
    path = split(url)[0]
    return path.lstrip("/") + ("index.html" if path.endswith("/") else "")


def relative(from_url: str, to_url: str) -> str:
    """A link from one page to another page (or file) as MkDocs wants it in Markdown."""
    to_path, anchor = split(to_url)
    suffix = f"#{anchor}" if anchor else ""
    if to_path == split(from_url)[0]:
        return suffix or "./"
    target = src_uri(to_path) if to_path.endswith("/") else to_path.lstrip("/")
    here = posixpath.dirname(src_uri(from_url)) or "."
    return relpath(target, here) + suffix


def relpath(target: str, start: str) -> str:
    """``posixpath.relpath(target, start)`` for two paths relative to the same folder, without
    asking the system for the current folder (a page links hundreds of others, and the preview
    renders pages after every save)."""
    to = target.split("/")
    here = [] if start == "." else start.split("/")
    if any(part in ("", ".", "..") for part in to + here):
        return posixpath.relpath(target, start)
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def relative_href(from_url: str, to_url: str) -> str:
    """A browser link from one published address to another (works under any sub-folder),
    for HTML written outside MkDocs (the redirect pages)."""
    to_path, anchor = split(to_url)
    here = split(from_url)[0]
    here_dir = here if here.endswith("/") else posixpath.dirname(here) + "/"
    rel = posixpath.relpath(to_path, here_dir)
    if to_path.endswith("/") and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def follow(moved: dict[str, str], url: str) -> str:
    """A site address after its redirect (content/redirects.yaml), keeping its #anchor unless
    the redirect names its own."""
    path, anchor = split(url)
    if path not in moved:
        return url
    target = moved[path]
    return target if "#" in target or not anchor else f"{target}#{anchor}"


def tel(phone: str) -> str:
    """A phone number as a link target: "12 34 56 78" -> "tel:12345678"."""
    return "tel:" + "".join(phone.split())


def absolute(site_url: str | None, url: str) -> str:
    """A full address for pasting into letters, when the site's own address is known."""
    return site_url.rstrip("/") + url if site_url else url


def resolve(base_url: str, target: str) -> str:
    """An editor's relative link target, read as the browser would from ``base_url``."""
    if target.startswith("/"):
        return target
    if target.startswith("#"):
        return split(base_url)[0] + target
    path, _, anchor = target.partition("#")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(split(base_url)[0]), path))
    if path.endswith("/") or path in ("", ".", ".."):
        joined = joined.rstrip("/") + "/"
    return joined.replace("//", "/") + (f"#{anchor}" if anchor else "")
