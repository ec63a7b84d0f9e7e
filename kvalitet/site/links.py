"""Published links: every address the site publishes, locked in content/published-links.txt.

Caseworkers paste these addresses into letters, so once published they must keep a target. The
committed list only grows (``kvalitet links --update``); the loader refuses content that leaves a
listed link without a target (see ``checks``).
"""

from __future__ import annotations

from pathlib import Path

from kvalitet import urls
from kvalitet.content.load import PUBLISHED, Site
from kvalitet.problems import Findings
from kvalitet.site.pages import site_pages


def published_links(site: Site) -> list[str]:
    """Every page, section and sub-section anchor and glossary term anchor the site
    publishes, sorted."""
    links = {page.url for page in site_pages(site)}
    for std in site.standards:
        for text in std.texts_in_force():  # /<id>/ has them now or on a day to come
            links |= {urls.standard(std.id, part.id) for _, part in text.parts()}
        for edition in std.editions:
            links |= {urls.version(std.id, edition.date, part.id)
                      for _, part in edition.standard.parts()}
    links |= {urls.glossary(t.id) for t in site.glossary.terms}
    return sorted(links)


def unlisted(site: Site) -> list[str]:
    """Links the site publishes that the committed list does not hold yet."""
    listed = set(site.published)
    return [link for link in published_links(site) if link not in listed]


def update(site: Site) -> list[str]:
    """Add the unlisted links to the committed list (never remove any); return what was added."""
    added = unlisted(site)
    if added:
        path: Path = site.root / PUBLISHED
        lines = sorted(set(site.published) | set(added))
        path.write_text("\n".join(lines) + "\n", "utf-8")
    return added


def advise_unlocked(site: Site, findings: Findings) -> None:
    """Advice when the site publishes addresses the lock does not hold yet."""
    new = unlisted(site)
    if new:
        count = "1 ny adresse er" if len(new) == 1 else f"{len(new)} nye adresser er"
        findings.advise(PUBLISHED, None, f"{count} ikke låst, fx {new[0]}. Kør make links, og gem "
                        "ændringen (commit), så adresserne er beskyttet mod at forsvinde. Siden "
                        "kan ikke udgives, før de er låst")
