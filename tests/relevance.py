"""Questions citizens and caseworkers type, each with the pages and sections that answer it, and
a runner that types them into the site's own search box in Chromium and reads what the box
shows. Used by tests/test_relevance.py (the goals) and benchmarks/relevance.py (the figures).

An answer is a page ("/tilbud/perron-4/") or a section of one ("/std/#udgifter"); a question may
have more than one right answer (the standard's section and the glossary's entry on the same
word). Page: a right page among the first three pages shown. Section: for questions whose
answer is a section, a right section among the first three sections shown under that page (or
the page itself, for a section that is the page's own title).
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.helpers import wait_js

STD = "/aktivitets-og-samvaerstilbud/"
GLOSSARY = "/ordforklaring/"

QUESTIONS: list[tuple[str, tuple[str, ...]]] = [
    # What does it cost?
    ("hvad koster det", (f"{STD}#udgifter",)),
    ("pris", (f"{STD}#udgifter",)),
    ("skal jeg betale noget", (f"{STD}#udgifter",)),
    ("udflugt", (f"{STD}#udgifter",)),
    ("transport til udflugter", (f"{STD}#udgifter",)),
    # How long does it take?
    ("8 uger", (f"{STD}#svartid", f"{GLOSSARY}#sagsbehandlingsfrist")),
    ("sagsbehandlingstid", (f"{STD}#svartid", f"{GLOSSARY}#sagsbehandlingsfrist")),
    ("hvornår får jeg svar", (f"{STD}#svartid",)),
    ("ventetid", (f"{STD}#svartid", f"{GLOSSARY}#sagsbehandlingsfrist")),
    # Who may get it?
    ("hvem kan få et aktivitets- og samværstilbud", (f"{STD}#maalgruppe",)),
    # The guide "Er jeg i målgruppen?" answers this as well as the section does.
    ("målgruppe", (f"{STD}#maalgruppe", f"{STD}maalgruppe/")),
    ("handicap", (f"{STD}#maalgruppe",)),
    ("pension", (f"{STD}#folkepensionister", f"{GLOSSARY}#folkepensionist")),
    ("pensionist", (f"{STD}#folkepensionister", f"{GLOSSARY}#folkepensionist")),
    ("hvad sker der når jeg bliver folkepensionist", (f"{STD}#folkepensionister",)),
    ("hjerneskade", (f"{STD}#folkepensionister",)),
    ("botilbud med døgndækning", (f"{STD}#folkepensionister", f"{GLOSSARY}#doegndaekning")),
    # How is an application handled?
    ("visitation", (f"{STD}#sagsbehandling", f"{GLOSSARY}#visitation")),
    ("hvordan søger jeg", (f"{STD}#kv_soeg",)),
    ("klage over afgørelsen", (f"{STD}#sagsbehandling", f"{GLOSSARY}#klagevejledning",
                               f"{GLOSSARY}#afgoerelse")),
    ("handleplan", (f"{STD}#sagsbehandling", f"{GLOSSARY}#handleplan")),
    ("kan mine pårørende være med", (f"{STD}#sagsbehandling",)),
    ("oplysninger fra min læge", (f"{STD}#sagsbehandling",)),
    ("mestreringsvejleder", (f"{STD}#sagsbehandling", f"{GLOSSARY}#mestreringsvejleder")),
    # What is it, who delivers it, and follow-up.
    ("hvad kan jeg lave i tilbuddet", (f"{STD}#indhold",)),
    ("motion", (f"{STD}#indhold",)),
    ("beskæftigelse", (f"{STD}#indhold",)),
    ("kan jeg selv vælge tilbud", (f"{STD}#leverandoer",)),
    ("tilbudsportalen", (f"{STD}#leverandoer", f"{GLOSSARY}#tilbudsportalen")),
    ("syg", (f"{STD}#opfoelgning",)),
    ("hvor ofte følger I op", (f"{STD}#opfoelgning",)),
    ("ophør af tilbud", (f"{STD}#opfoelgning",)),
    ("serviceloven § 104", (f"{STD}#lovgrundlag", f"{GLOSSARY}#serviceloven")),
    ("paragraf 104", (f"{STD}#lovgrundlag",)),
    # Words and offers.
    ("hvad betyder skøn", (f"{GLOSSARY}#skoen",)),
    ("helhedstilbud", (f"{GLOSSARY}#helhedstilbud", f"{STD}#folkepensionister")),
    ("perron 4", ("/tilbud/perron-4/",)),
    ("værested", ("/tilbud/vaeresteder-udsatteomraadet/",)),
    ("rusfri café", ("/tilbud/rusfri-cafe/",)),
    ("alkohol", ("/tilbud/rusfri-cafe/",)),
]


@dataclass
class Outcome:
    query: str
    answers: tuple[str, ...]
    pages: list[str]                 # the pages shown, in order (site paths)
    sections: dict[str, list[str]]   # each shown page's sections, in order (site path#id)
    page_ok: bool
    section_ok: bool | None          # None: the answer is a page, not a section


def ask(page, base: str, query: str) -> tuple[list[str], dict[str, list[str]]]:
    """Type ``query`` into the header's search field; the pages and sections the box shows."""
    page.fill("#kv-search-q", "")
    page.fill("#kv-search-q", query)
    wait_js(page, "q => document.querySelector('[data-kv-status]').textContent"
            ".includes('»' + q + '«')", query)
    shown = page.eval_on_selector_all(
        "[data-kv-results] > li",
        """items => items.map(li => ({
             page: li.querySelector('.kv-search__title').href,
             sections: [...li.querySelectorAll('.kv-search__parts a')].map(a => a.href)}))""")
    pages = [item["page"].removeprefix(base) for item in shown]
    sections = {item["page"].removeprefix(base): [s.removeprefix(base) for s in item["sections"]]
                for item in shown}
    return pages, sections


def judge(query: str, answers: tuple[str, ...], pages: list[str],
          sections: dict[str, list[str]]) -> Outcome:
    wanted_pages = {a.split("#")[0] for a in answers}
    top = pages[:3]
    page_ok = any(p in wanted_pages for p in top)
    wanted_sections = [a for a in answers if "#" in a]
    section_ok = None
    if wanted_sections:
        section_ok = any(a in sections.get(a.split("#")[0], [])[:3]
                         for a in wanted_sections if a.split("#")[0] in top) or any(
            a in top for a in answers if "#" not in a)  # a whole page that answers it
    return Outcome(query, answers, pages, sections, page_ok, section_ok)


def run(browser, base: str) -> list[Outcome]:
    """Every question, asked on the site at ``base`` in one browser page."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "/")
    outcomes = []
    for query, answers in QUESTIONS:
        pages, sections = ask(page, base, query)
        outcomes.append(judge(query, answers, pages, sections))
    page.close()
    return outcomes


def figures(outcomes: list[Outcome]) -> tuple[float, float]:
    """(page top-3 share, section top-3 share)."""
    pages = [o.page_ok for o in outcomes]
    sections = [o.section_ok for o in outcomes if o.section_ok is not None]
    return sum(pages) / len(pages), sum(sections) / len(sections)


def report(outcomes: list[Outcome]) -> str:
    page_share, section_share = figures(outcomes)
    lines = [f"{'ok' if o.page_ok else 'PAGE'} {'' if o.section_ok in (True, None) else 'SECTION'}"
             f" {o.query!r}: {o.pages[:3]} {[o.sections.get(p, [])[:3] for p in o.pages[:3]]}"
             for o in outcomes]
    n_sections = sum(o.section_ok is not None for o in outcomes)
    lines.append(f"right page in the first three: {sum(o.page_ok for o in outcomes)} of "
                 f"{len(outcomes)} ({page_share:.0%}); right section in the first three: "
                 f"{sum(bool(o.section_ok) for o in outcomes)} of {n_sections} "
                 f"({section_share:.0%})")
    return "\n".join(lines)
