"""Published links: every address the site publishes, recorded in content/published-links.txt.

Caseworkers paste these addresses into letters, so once published they must keep a target. The
committed list only grows; the checks refuse content that leaves a published address without a
target (see ``linkcheck``). An address is published when a publishing build (``kvalitet build``)
has built it: the build records it itself (``record``), and the municipality's pipeline commits
the file back. Before that an address may be listed as pending (``kvalitet links --update``,
optional): it shows what a change will publish, and may still change or go without a redirect.
"""

from __future__ import annotations

from kvalitet import urls
from kvalitet.content.load import PENDING, PUBLISHED, Site
from kvalitet.site.pages import site_pages


def published_links(site: Site) -> list[str]:
    """Every page, section and sub-section anchor (and the anchors of headings in their text),
    and glossary term anchor the site publishes, sorted."""
    links = {page.url for page in site_pages(site)}
    for page in site_pages(site):
        for found in page.context.get("headings", {}).values() if page.template == \
                "standard.md.j2" else ():
            links |= {f"{page.url}#{anchor}" for anchor in found}
    for std in site.standards:
        for text in std.texts_in_force():  # /<id>/ has them now or on a day to come
            links |= {urls.standard(std.id, part.id) for _, part in text.parts()}
        for edition in std.editions:
            links |= {urls.version(std.id, edition.date, part.id)
                      for _, part in edition.standard.parts()}
    links |= {urls.glossary(t.id) for t in site.glossary.terms}
    return sorted(links)


def unlisted(site: Site) -> list[str]:
    """Links the site publishes that the list does not hold yet, not even as pending."""
    listed = set(site.published) | set(site.pending)
    return [link for link in published_links(site) if link not in listed]


def unpublished(site: Site) -> list[str]:
    """Links the site publishes that no publishing build has published yet (new or pending):
    the next publishing build records them as published."""
    done = set(site.published)
    return [link for link in published_links(site) if link not in done]


def _write(site: Site, published: set[str], pending: set[str]) -> None:
    rows = [(link, link) for link in published]
    rows += [(link, f"{link} {PENDING}") for link in pending - published]
    (site.root / PUBLISHED).write_text("".join(f"{line}\n" for _, line in sorted(rows)), "utf-8")


def update(site: Site) -> list[str]:
    """``kvalitet links --update``: list the new links as pending, and drop pending links the site
    no longer publishes (published ones are never removed); return what was added."""
    added = unlisted(site)
    now = set(published_links(site))
    pending = (set(site.pending) & now) | set(added)
    if added or pending != set(site.pending):
        _write(site, set(site.published), pending)
    return added


def record(site: Site) -> list[str]:
    """The publishing build: every link it published is now published (pending marks go, and
    pending links it no longer publishes are dropped); return the links published first now."""
    new = unpublished(site)
    if new or site.pending:
        _write(site, set(site.published) | set(new), set())
    return new
