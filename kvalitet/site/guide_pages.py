"""A standard's guide: its start page, a page per question and per outcome, and the overview
for caseworkers (``/<id>/maalgruppe/...``, ``/<id>/maalgruppe-oversigt/``)."""

from __future__ import annotations

from typing import Any

from kvalitet import urls
from kvalitet.content.guide import guide_paths, node_order, previous_question
from kvalitet.content.load import Site, StandardContent
from kvalitet.content.model import Offer, OfferFilter
from kvalitet.site.offers import OTHERS, OTHERS_NAME, OfferLists
from kvalitet.site.spec import Page
from kvalitet.site.standard_pages import apply_box

SHOWN_OFFERS = 10
"""A guide outcome lists at most this many matching offers and links to the offers directory for
the rest: a short list a citizen reads, and a page that does not grow with the site."""


def guide_pages(site: Site, std: StandardContent, lists: OfferLists) -> list[Page]:
    """The guide: a start page, one page per question and per outcome, and the overview.
    ``lists``: the site's offers as pages list them (one per page plan)."""
    guide = std.guide
    assert guide is not None
    start = urls.guide_start(std.id)
    paths = guide_paths(guide)
    several = sum(1 for s in site.standards if s.guide) > 1
    common = {"guide": guide, "start_url": start, "standard_title": std.standard.title,
              "overview_url": urls.guide_overview(std.id)}

    def answers(qid: str) -> list[dict[str, str]]:
        return [{"label": a.label, "url": urls.guide_node(std.id, a.next)}
                for a in guide.questions[qid].answers]

    def back(node: str) -> str | None:
        if node == guide.start:
            return start
        previous = previous_question(guide, node)
        return urls.guide_node(std.id, previous) if previous else None

    parts = {p.id: p for _, p in std.standard.parts()}  # the outcomes' sections, found once

    def outcome_context(oid: str) -> dict[str, Any]:
        outcome = guide.outcomes[oid]
        found = lists.matching(outcome.offers) if outcome.offers else []
        return {"outcome": outcome,
                "offers": [lists.entry(o) for o in found[:SHOWN_OFFERS]],
                "more": _more_offers(site, lists, outcome.offers, found)
                if len(found) > SHOWN_OFFERS else None,
                "apply": apply_box(site, std, outcome.apply) if outcome.apply else None,
                "sections": [{"title": part.title, "url": urls.standard(std.id, part.id)}
                             for part in (parts.get(s) or std.standard.part(s)
                                          for s in outcome.sections)]}

    pages = [Page(
        url=start, template="guide_start.md.j2", title=guide.title,
        description=f"{guide.title} Svar på nogle få spørgsmål om {std.standard.title.lower()}.",
        context={**common, "first_url": urls.guide_node(std.id, guide.start),
                 "most": max(len(p.steps) for p in paths)},
        nav_title=f"{guide.title} ({std.standard.title})" if several else guide.title,
        hide=("toc",), source=std.guide_file,
    )]
    for qid, question in guide.questions.items():
        pages.append(Page(
            url=urls.guide_node(std.id, qid), template="guide_question.md.j2",
            title=question.text, description=f"{guide.title} {question.text}",
            context={**common, "question": question, "answers": answers(qid),
                     "back_url": back(qid)},
            search=False, hide=("navigation", "toc"), source=std.guide_file,
        ))
    outcomes = {oid: outcome_context(oid) for oid in guide.outcomes}  # shared with the overview
    for oid, context in outcomes.items():
        pages.append(Page(
            url=urls.guide_node(std.id, oid), template="guide_outcome.md.j2",
            title=guide.outcomes[oid].title,
            description=f"{guide.title} {guide.outcomes[oid].title}",
            context={**common, **context, "back_url": back(oid)},
            search=False, hide=("navigation", "toc"), source=std.guide_file,
        ))
    order = node_order(guide)
    nodes = []
    for node in order:
        if node in guide.questions:
            nodes.append({"id": node, "home": urls.guide_node(std.id, node),
                          "question": guide.questions[node], "answers": [
                {"label": a.label, "target": a.next,
                 "target_title": guide.questions[a.next].text if a.next in guide.questions
                 else guide.outcomes[a.next].title} for a in guide.questions[node].answers]})
        else:
            nodes.append({"id": node, "home": urls.guide_node(std.id, node), **outcomes[node]})
    pages.append(Page(
        url=urls.guide_overview(std.id), template="guide_overview.md.j2",
        title=f"{guide.title} Hele guiden",
        description=f"Hele guiden \"{guide.title}\" for {std.standard.title.lower()} på én side: "
                    "alle spørgsmål, svar og resultater.",
        context={**common, "nodes": nodes, "paths": [
            {"steps": [{"question": guide.questions[s.question].text, "answer": s.answer}
                       for s in p.steps], "outcome": p.outcome,
             "outcome_title": guide.outcomes[p.outcome].title} for p in paths]},
        anchors=frozenset(order), search=False, hide=("toc",), source=std.guide_file,
    ))
    return pages


def _more_offers(site: Site, lists: OfferLists, wanted: OfferFilter, found: list[Offer]
                 ) -> dict[str, Any]:
    """How many offers an outcome matches, and where the offers directory lists them all: the
    sections of the filter's areas (and of the offers for every area) when /tilbud/ is divided
    by area, else the directory itself. Only what the directory already has: no new address
    (``sections`` empty: the whole directory)."""
    sections = []
    if wanted.areas and not site.offers.groups:
        listed = {g.id: g.name for g in lists.listings}
        sections = [{"name": listed[a], "url": urls.offers(a)} for a in wanted.areas
                    if a in listed]
        if sections and OTHERS in listed and any(not o.areas for o in found):
            sections.append({"name": OTHERS_NAME, "url": urls.offers(OTHERS)})
    return {"count": len(found), "sections": sections, "url": urls.offers()}
