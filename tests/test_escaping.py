"""Every plain-text field is escaped right for where it lands: Markdown, raw HTML, attributes,
JSON-LD, the page title and meta tags. Each field of a made-up site holds the same string of
Markdown and HTML specials followed by its own marker; in the built pages, on screen and in
print, every marker must stand right after the whole string, and no stray backslash may show."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.helpers import make_project, mkdocs_build

pytestmark = pytest.mark.browser

SPECIALS = "( ) - . # * _ [ ] ! + | < > & \" ' \\"
_MARKER = re.compile(r"kvx\d+", re.I)  # case-insensitive: some places lowercase a title


def _value(n: int) -> str:
    return f"{SPECIALS} KVX{n}"


def _content() -> dict[str, object]:
    """The content files of a site whose every plain-text field is a special string."""
    counter = iter(range(1, 1000))

    def v() -> str:
        return _value(next(counter))

    municipality = {
        "name": v(), "website": "https://www.example.org", "site_url": "https://x.example.org/",
        "contacts": [{"id": "k", "name": v(), "phone": "70 00 00 00", "hours": v()}],
        "standards": [{"title": v(), "id": "std", "law": v()}, {"title": v()}],
    }
    glossary = {"terms": [{"id": "ord", "term": v(), "forms": ["ordet"],
                           "definition": "Et ord, der forklares her."}]}
    standard = {
        "title": v(), "subtitle": v(), "law": v(), "description": v(),
        "approved": "2026-03-01",
        "facts": [{"label": v(), "value": v()}],
        "sections": [{"id": "a", "title": v(), "summary": "Kort om ordet.",
                      "body": "Teksten om ordet. Se [tilbuddene](/tilbud/)."},
                     {"id": "b", "title": v(), "body": "Mere tekst."}],
    }
    guide = {
        "title": v(), "section": "a", "start": "q",
        "questions": {"q": {"text": v(), "answers": [{"label": v(), "next": "o"},
                                                     {"label": v(), "next": "p"}]}},
        "outcomes": {"o": {"title": v(), "body": "Måske.", "sections": ["a"],
                           "offers": {"referral": False}},
                     "p": {"title": v(), "body": "Kontakt os."}},
    }
    offers = {
        "areas": [{"id": "omr", "name": v()}],
        "offers": [{"id": "t", "name": v(), "kind": v(), "areas": ["omr"], "referral": False,
                    "address": {"street": v(), "postcode": "9999", "city": v()},
                    "opening_hours": [{"days": ["mon"], "opens": "9", "closes": "15",
                                       "note": v()}],
                    "price": v(), "accessibility": v(), "phone": "70 00 00 01"}],
    }
    return {"content/municipality.yaml": municipality, "content/glossary.yaml": glossary,
            "content/standards/std/standard.yaml": standard,
            "content/standards/std/guide.yaml": guide, "offers.yaml": offers}


@pytest.fixture(scope="module")
def special_site(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("special")
    for name, data in _content().items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    project = make_project(source.parent / "project", source)
    out = project.parent / "site"
    result = mkdocs_build(project, out)
    assert result.returncode == 0, result.output
    return out


def _problems(text: str, where: str) -> list[str]:
    """Each marker must follow the whole special string; no other backslash may show."""
    flat = " ".join(text.split())
    found = []
    markers = list(_MARKER.finditer(flat))
    for m in markers:
        before = flat[max(0, m.start() - len(SPECIALS) - 1):m.start()]
        if before != SPECIALS + " ":
            found.append(f"{where}: {before!r} before {m.group()}")
    if flat.count("\\") != len(markers):
        stray = [flat[max(0, i - 20):i + 20] for i, c in enumerate(flat) if c == "\\"]
        found.append(f"{where}: {flat.count(chr(92))} backslashes for {len(markers)} markers: "
                     f"{stray[:3]}")
    return found


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


PAGES = ["/", "/std/", "/std/maalgruppe/", "/std/maalgruppe/q/", "/std/maalgruppe/o/",
         "/std/maalgruppe/p/", "/std/maalgruppe-oversigt/", "/tilbud/", "/tilbud/t/",
         "/ordforklaring/", "/for-sagsbehandlere/"]


@pytest.mark.parametrize("url", PAGES)
def test_specials_show_as_written_everywhere(special_site, serve, browser, url):
    base = serve(special_site)
    page = browser.new_page()
    page.goto(base + url)
    seen: dict[str, int] = {}
    problems = []
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        text = page.evaluate("document.body.innerText")
        problems += _problems(text, f"{url} ({media})")
        seen[media] = len(_MARKER.findall(text))
    head = page.evaluate("""() => [document.title].concat(
        Array.from(document.querySelectorAll('meta[content]')).map(m => m.content))""")
    for text in head:
        problems += _problems(text, f"{url} <head>")
    attributes = page.evaluate("""() => Array.from(document.querySelectorAll('*')).flatMap(
        e => ['title', 'aria-label', 'alt'].map(a => e.getAttribute(a)).filter(Boolean))""")
    for text in attributes:
        problems += _problems(text, f"{url} attribute")
    for script in page.evaluate("""() => Array.from(document.querySelectorAll(
            'script[type="application/ld+json"]')).map(s => s.textContent)"""):
        for text in _strings(json.loads(script)):
            problems += _problems(text, f"{url} JSON-LD")
    page.close()
    assert seen["screen"] and seen["print"], seen
    assert problems == []


def test_every_field_is_shown_somewhere(special_site, serve, browser):
    """The test above looks at every place; this makes sure every field took part."""
    base = serve(special_site)
    page = browser.new_page()
    shown = set()
    for url in PAGES:
        page.goto(base + url)
        shown |= {m.upper() for m in _MARKER.findall(page.evaluate("document.body.innerText"))}
    page.close()
    fields = {m.upper() for data in _content().values()
              for s in _strings(data) for m in _MARKER.findall(s)}
    assert fields - shown == set()
