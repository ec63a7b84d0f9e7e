"""Decap CMS for editors who work in a browser: its configuration, made from the models, and the
``admin/`` folder that holds it (``kvalitet edit`` serves one locally; ``kvalitet cms DIR`` writes
one for the municipality's own Git host).

The configuration is never written by hand. Every field of the content files the form can show
comes from the pydantic models (``content.model``): a Danish label from ``LABELS`` here, the
model's Danish description as the hint, required when the model requires it, and a widget for
its type: ids and other typed text with the model's pattern and a Danish message, Danish week
days as a select, references (a term's ``see_also``, an offer's areas and group, the contacts of
the "Sådan søger du" box) as relation widgets over the file they point into, Markdown as Decap's
Markdown editor without HTML, images or other blocks. A field this module has no label for fails
the generation (and so a test), so a new key in the format cannot reach the form unlabelled.

Not in the CMS: the guide (``guide.yaml``: its questions and outcomes are keyed by id, which
Decap's widgets cannot express), frozen editions (``versions/``, locked by their hashes) and the
lists of published links; the handbook says so. Everything saved through the form is read by the
same loader and checks as a hand-edited file: the preview shows its errors, and the publishing
build refuses them.
"""

from __future__ import annotations

import json
import shutil
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kvalitet import urls
from kvalitet.content import load
from kvalitet.content import model as m

ADMIN_ASSETS = Path(__file__).parent / "admin"
FORMAT = "yaml-keep"  # the custom format in admin/yaml-keep.js: keeps comments and "|" blocks

# Danish labels: "Model.field" first, then the field name alone.
LABELS = {
    "id": "Id", "name": "Navn", "phone": "Telefon", "email": "E-mail", "url": "Hjemmeside",
    "title": "Titel", "law": "Lovgrundlag", "description": "Beskrivelse", "summary": "Kort fortalt",
    "body": "Tekst", "former_ids": "Tidligere id'er", "term": "Ord", "definition": "Forklaring",
    "label": "Navn", "value": "Værdi", "text": "Tekst", "note": "Bemærkning",
    "search_words": "Søgeord (vises ikke, men findes med søgningen)",
    "Contact.hours": "Telefon- eller åbningstid",
    "StandardRef.title": "Titel", "StandardRef.id": "Id (mappenavn på dette site)",
    "StandardRef.url": "Adresse, hvis den udgives et andet sted",
    "Municipality.name": "Kommunens navn", "Municipality.website": "Kommunens hjemmeside",
    "Municipality.site_url": "Sitets adresse",
    "Municipality.accessibility_statement": "Tilgængelighedserklæring (adresse)",
    "Municipality.contacts": "Kontakter", "Municipality.standards": "Kvalitetsstandarder",
    "Term.forms": "Ordformer, der linker hertil", "Term.see_also": "Se også",
    "Term.official": "Forklaringen står ordret i kvalitetsstandarden", "Term.source": "Kilde",
    "Glossary.terms": "Ord",
    "Fact.label": "Nøgletal", "Fact.value": "Værdi",
    "Section.title": "Overskrift", "Section.subsections": "Underafsnit",
    "Subsection.title": "Underoverskrift",
    "WordListEntry.term_id": "Ordet i sitets ordforklaring",
    "Apply.text": "Sådan søger du", "Apply.contacts": "Søg hos",
    "Standard.subtitle": "Undertitel", "Standard.description": "Beskrivelse (én sætning)",
    "Standard.approved": "Godkendt (dato)", "Standard.approved_by": "Godkendt af",
    "Standard.in_force_from": "Gælder fra (dato)", "Standard.review_by": "Revideres senest (dato)",
    "Standard.document_url": "Det officielle dokument (adresse)", "Standard.facts": "Nøgletal",
    "Standard.source_note": "Om teksten", "Standard.apply": "Boksen \"Sådan søger du\"",
    "Standard.sections": "Afsnit", "Standard.glossary": "Standardens egen ordforklaring",
    "Area.name": "Navn", "OfferGroup.name": "Overskrift",
    "Address.street": "Vej og nummer", "Address.postcode": "Postnummer", "Address.city": "By",
    "OpeningHours.days": "Ugedage", "OpeningHours.opens": "Åbner", "OpeningHours.closes": "Lukker",
    "Offer.kind": "Slags tilbud", "Offer.areas": "Områder",
    "Offer.areas_source": "Kilde til områderne",
    "Offer.group": "Gruppe", "Offer.referral": "Kræver tilbuddet visitation?",
    "Offer.address": "Adresse", "Offer.opening_hours": "Åbningstider", "Offer.price": "Pris",
    "Offer.accessibility": "Adgangsforhold", "Offer.verified": "Sidst tjekket (dato)",
    "Offers.areas": "Områder", "Offers.groups": "Grupper", "Offers.offers": "Tilbud",
    "Redirect.from": "Gammel adresse", "Redirect.to": "Ny adresse", "Redirects.redirects":
    "Omdirigeringer",
}
SINGULAR = {  # "Tilføj …" on a list's button
    "contacts": "kontakt", "standards": "kvalitetsstandard", "terms": "ord", "forms": "ordform",
    "see_also": "ord", "former_ids": "tidligere id", "facts": "nøgletal", "sections": "afsnit",
    "subsections": "underafsnit", "glossary": "ord", "areas": "område", "groups": "gruppe",
    "offers": "tilbud", "opening_hours": "åbningstid", "redirects": "omdirigering",
    "search_words": "søgeord",
}
# The form's own hint where the model's description (also the help in editors' VS Code) names
# YAML keys or values: the form shows Danish only, and the fields by their labels.
FORM_HINTS = {
    "StandardRef.id": "Standardens id, som også er mappens navn, fx aktivitets-og-samvaerstilbud. "
                      "Udfyld det kun, når standarden udgives på dette site",
    "Term.official": "Svar ja, hvis forklaringen står ordret i den godkendte kvalitetsstandard. "
                     "Så står der \"Fra kvalitetsstandarden\" ved ordet",
    "Standard.in_force_from": "Dato, udgaven gælder fra (ÅÅÅÅ-MM-DD). Udelades den, gælder "
                              "udgaven fra godkendelsesdatoen",
    "Apply.contacts": "Hvem man søger hos: vælg blandt kommunens kontakter",
    "Section.id": "Afsnittets id og anker, fx maalgruppe. Ændr det aldrig, når det er udgivet: "
                  "skriv så det gamle id under Tidligere id'er",
    "Subsection.id": "Underafsnittets id og anker, fx folkepensionister. Id'er er unikke i hele "
                     "standarden. Ændr det aldrig, når det er udgivet: skriv så det gamle id under "
                     "Tidligere id'er",
    "Section.subsections": "Underafsnit med egne underoverskrifter, efter afsnittets tekst",
    "WordListEntry.term_id": "Ordet i sitets ordforklaring, hvis det står der (så linker ordet "
                             "dertil)",
    "Offer.areas": "De områder, tilbuddet hører til",
    "Offer.areas_source": "Hvor det står, at tilbuddet hører til områderne, fx afsnittet i "
                          "kvalitetsstandarden (skal med, når der er valgt områder)",
    "Offer.group": "Gruppen, tilbuddet står under på siden med alle tilbud",
    "Offer.referral": "Svar ja eller nej: siden fortæller borgerne, om de kan møde op, eller om "
                      "de først skal søge hos en sagsbehandler",
    "Term.see_also": "Beslægtede ord i ordforklaringen",
}
# A yes/no question (a Bool field) is answered with two radio buttons, nothing chosen in
# advance (admin.js's "kv-janej"): the answers, in Danish.
YES_NO = {
    "Offer.referral": ("Ja: borgeren skal først have en afgørelse fra en sagsbehandler "
                       "(visitation)", "Nej: borgeren kan møde op uden visitation"),
    "Term.official": ("Ja: ordret fra den godkendte kvalitetsstandard",
                      "Nej: sitets egen forklaring"),
}
LONG_TEXT = {"Standard.description", "Offer.accessibility", "Offer.areas_source", "Term.source"}
# A list item's one-line summary when folded: the first of these fields it has.
SUMMARY_FIELDS = ("name", "term", "title", "label", "from")
SUMMARY = {"OpeningHours": "{{fields.days}} {{fields.opens}}–{{fields.closes}}"}


@dataclass(frozen=True)
class Ref:
    """A field that holds ids of items in another list: shown as a relation widget."""

    collection: str
    items: str   # the list's key in that file
    label: str   # the item's field shown to the editor


REFERENCES = {
    "Term.see_also": Ref("ordforklaring", "terms", "term"),
    "WordListEntry.term_id": Ref("ordforklaring", "terms", "term"),
    "Offer.areas": Ref("tilbud", "areas", "name"),
    "Offer.group": Ref("tilbud", "groups", "name"),
    "Apply.contacts": Ref("kommunen", "contacts", "name"),
}

# Typed text: (pattern, Danish message). Decap shows the message under the field while it is wrong.
PATTERNS = {
    m.check_id: (m.ID_PATTERN, "Brug kun små bogstaver a-z, tal og enkelte bindestreger (skriv "
                 "æ, ø, å som ae, oe, aa), fx perron-4"),
    m._https: (r'^https://[^\s"<>\\^`{|}]+$', "Skriv hele adressen, begyndende med https://, fx "
               "https://www.kommune.dk"),
    m._email: (m._EMAIL.pattern, "Skriv e-mailadressen som navn@domæne.dk"),
    m._phone: (m._PHONE.pattern, "Skriv telefonnummeret med cifre, fx 12 34 56 78 eller "
               "+45 12 34 56 78"),
    m._postcode: (r"^\s*\d{4}\s*$", "Skriv postnummerets fire cifre, fx 8900"),
    m._time: (r"^\s*([01]?[0-9]|2[0-4])([:.][0-5][0-9])?\s*$", "Skriv tiden som 9, 9.30 eller "
              "15:00 (24 er midnat)"),
    m._date: (r"^\d{4}-\d{2}-\d{2}$", "Skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-11-01"),
    m._site_path: (r"^/[^\s#]*(#[^\s]+)?$", "Skriv stien fra sidens rod, fx /tilbud/perron-4/"),
}
# The id of a new standard (its folder and address), typed in the form; never written to the file.
NEW_ID = {"name": "__id", "label": "Id", "widget": "kv-id", "required": True,
          "folder": load.STANDARDS, "reserved": sorted(m.RESERVED_IDS),
          "pattern": [m.ID_PATTERN, "Brug kun små bogstaver a-z, tal og enkelte bindestreger "
                      "(skriv æ, ø, å som ae, oe, aa), fx hjemmehjaelp"],
          "hint": "Standardens id: mappens navn og adressen på sitet (/id/). Det kan ikke ændres, "
                  "når standarden er udgivet"}
DAY_LABELS = ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag")
MARKDOWN_HINT = "Fed skrift, links og punktlister laves med knapperne over feltet. Ingen HTML."
MARKDOWN = {"widget": "markdown", "modes": ["raw", "rich_text"],
            "buttons": ["bold", "italic", "link", "bulleted-list", "numbered-list"],
            "editor_components": [], "sanitize_preview": True}


@dataclass(frozen=True)
class FileCollection:
    """One content file as a collection of its own (one entry)."""

    name: str
    label: str
    file: str
    model: type[m.Model]
    entry: str  # the entry's name in the list
    page: str   # the site page that shows it ("Vis live" in the CMS opens it in the preview)


FILES = (
    FileCollection("kommunen", "Kommunen", load.MUNICIPALITY, m.Municipality,
                   "Kommunen og kontakter", urls.front()),
    FileCollection("ordforklaring", "Ordforklaring", load.GLOSSARY, m.Glossary, "Ordforklaringen",
                   urls.glossary()),
    FileCollection("tilbud", "Tilbud", load.OFFERS, m.Offers, "Tilbud, grupper og områder",
                   urls.offers()),
    FileCollection("omdirigeringer", "Omdirigeringer", load.REDIRECTS, m.Redirects,
                   "Gamle adresser, der skal føre videre", urls.front()),
)
STANDARDS = "standarder"
# What a CMS save may write (kvalitet edit's server refuses anything else): no engine file, no
# frozen edition, no list of published links.
WRITABLE = (*(f.file for f in FILES), f"{load.STANDARDS}/*/standard.yaml")


# --- the fields, from the models ----------------------------------------------------------------

def _label(model: type[BaseModel], name: str) -> str:
    label = LABELS.get(f"{model.__name__}.{name}") or LABELS.get(name)
    if label is None:
        raise KeyError(f"kvalitet.outputs.cms.LABELS has no Danish label for {model.__name__}."
                       f"{name}: add one")
    return label


def _validators(metadata: list) -> set:
    return {getattr(x, "func", None) for x in metadata}


def _scalar(model: type[BaseModel], name: str, annotation: Any, metadata: list) -> dict:
    """The widget for one value (a field, or a list's item)."""
    key = f"{model.__name__}.{name}"
    checks = _validators(metadata)
    if m.parse_days in checks:
        return {"widget": "select", "multiple": True, "min": 1,
                "options": [{"label": d, "value": c} for d, c in zip(DAY_LABELS, m.DAYS,
                                                                      strict=True)]}
    if m._bool in checks or annotation is bool:
        yes, no = YES_NO[key]  # a KeyError names a yes/no question without Danish answers
        return {"widget": "kv-janej", "options": [{"label": yes, "value": True},
                                                  {"label": no, "value": False}]}
    if m._markdown in checks:
        return dict(MARKDOWN)
    for check, (pattern, message) in PATTERNS.items():
        if check in checks:
            return {"widget": "string", "pattern": [pattern, message]}
    if m._text in checks:
        return {"widget": "text" if key in LONG_TEXT else "string"}
    raise TypeError(f"kvalitet.outputs.cms: no widget for {key} ({annotation})")


def fields(model: type[BaseModel]) -> list[dict]:
    """Decap fields for every field of ``model``, in the model's order."""
    return [_field(model, name, info) for name, info in model.model_fields.items()]


def _field(model: type[BaseModel], name: str, info: FieldInfo) -> dict:
    key = info.alias or name
    annotation, metadata = m.unwrap(info.annotation, info.metadata)
    out: dict[str, Any] = {"name": key, "label": _label(model, key)}
    hint = FORM_HINTS.get(f"{model.__name__}.{key}") or \
        (info.description or "").replace(" (Markdown)", "")
    required = info.is_required()
    ref = REFERENCES.get(f"{model.__name__}.{key}")
    origin = typing.get_origin(annotation)
    if ref is not None:
        out |= {"widget": "relation", "collection": ref.collection, "file": ref.collection,
                "value_field": f"{ref.items}.*.id", "search_fields": [f"{ref.items}.*.{ref.label}"],
                "display_fields": [f"{ref.items}.*.{ref.label}"], "multiple": origin is list}
        if origin is list and _min_length(info):
            out["min"] = 1
    elif origin is list and m.parse_days not in _validators(metadata):
        item, item_meta = m.unwrap(typing.get_args(annotation)[0])
        out |= {"widget": "list", "label_singular": SINGULAR.get(key, "punkt")}
        if isinstance(item, type) and issubclass(item, BaseModel):
            out |= {"collapsed": True, "summary": _summary(item), "fields": fields(item)}
        else:  # a list of words or ids: one text box per item
            inner = _scalar(model, key, item, item_meta)
            out["field"] = {"name": key, "label": out["label"], **inner}
        if _min_length(info):
            out["min"] = 1
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out |= {"widget": "object", "collapsed": not required, "fields": fields(annotation)}
        hint = hint or (annotation.__doc__ or "").strip()
    elif origin is dict:
        raise TypeError(f"kvalitet.outputs.cms: {model.__name__}.{key} is keyed by id; Decap "
                        "cannot show it (leave the file to YAML)")
    else:
        out |= _scalar(model, key, annotation, metadata)
        if out["widget"] == "markdown":
            hint = f"{hint.rstrip('.')}. {MARKDOWN_HINT}" if hint else MARKDOWN_HINT
    # No "default": whatever the form fills in by itself, the editor has not chosen (a required
    # yes/no question must be answered; pydantic's PydanticUndefined is truthy).
    out["required"] = required
    if hint:
        out["hint"] = hint
    return out


def _min_length(info: FieldInfo) -> bool:
    return any(getattr(x, "min_length", None) for x in info.metadata)


def _summary(item: type[BaseModel]) -> str:
    if item.__name__ in SUMMARY:
        return SUMMARY[item.__name__]
    names = [f.alias or n for n, f in item.model_fields.items()]
    first = next((n for n in SUMMARY_FIELDS if n in names), names[0])
    return f"{{{{fields.{first}}}}}"


# --- the configuration --------------------------------------------------------------------------

@dataclass(frozen=True)
class Backend:
    """Where the CMS reads and saves: the local working tree (``kvalitet edit``) or a Git host."""

    name: str  # "proxy" (local), "github", "gitlab", "gitea", "azure"
    repo: str | None = None
    branch: str = "main"
    base_url: str | None = None  # GitHub: the OAuth server (see the handbook); Gitea: its address
    app_id: str | None = None    # GitLab and Gitea: the OAuth application's id (PKCE, no server)
    api_root: str | None = None  # a self-hosted GitLab or Gitea: its API address
    tenant_id: str | None = None  # Azure: the Entra ID tenant

    @property
    def workflow(self) -> bool:
        """Draft → review → publish as pull/merge requests: GitHub and GitLab only."""
        return self.name in ("github", "gitlab")

    def config(self) -> dict:
        if self.name == "proxy":
            return {"name": "proxy", "proxy_url": "/api/v1", "branch": self.branch}
        out: dict[str, Any] = {"name": self.name, "repo": self.repo, "branch": self.branch}
        if self.base_url:
            out["base_url"] = self.base_url
        if self.api_root:
            out["api_root"] = self.api_root
        if self.tenant_id:
            out["tenant_id"] = self.tenant_id
        if self.app_id:
            out |= {"app_id": self.app_id}
            if self.name == "gitlab":
                out["auth_type"] = "pkce"
        if self.name == "github":
            out["squash_merges"] = True  # one commit per published change
        return out


LOCAL = Backend("proxy")
HOSTS = ("github", "gitlab", "gitea", "azure")


def config(backend: Backend = LOCAL, site_url: str | None = None) -> dict:
    """The whole Decap configuration."""
    collections: list[dict] = [
        {"name": f.name, "label": f.label, "format": FORMAT, "editor": {"preview": False},
         "preview_path": f.page.lstrip("/"),
         "files": [{"name": f.name, "label": f.entry, "file": f.file, "fields": fields(f.model)}]}
        for f in FILES
    ]
    collections.insert(2, {
        "name": STANDARDS, "label": "Kvalitetsstandarder", "label_singular": "kvalitetsstandard",
        "description": "Guiden \"Er jeg i målgruppen?\" og tidligere udgaver af en standard "
                       "retter du i filerne, ikke her (se håndbogen).",
        "folder": load.STANDARDS, "path": "{{slug}}/standard", "extension": "yaml",
        "format": FORMAT, "filter": {"field": "__schema", "value": "standard"},
        # A new standard: its folder is the id the editor types (admin.js's kv-id), not Decap's
        # slug of the title ("ø" -> "o"); deleting a standard is left to the files.
        "create": True, "slug": "{{fields.__id}}", "delete": False, "identifier_field": "title",
        "summary": "{{title}}", "editor": {"preview": False},
        "preview_path": urls.standard("{{dirname}}").lstrip("/"),
        "fields": [NEW_ID, *fields(m.Standard)],
    })
    out: dict[str, Any] = {
        "locale": "da",
        "backend": backend.config(),
        "publish_mode": "editorial_workflow" if backend.workflow else "simple",
        "media_folder": f"{load.CONTENT}/media",  # Decap requires one; the content has no images
        # ... so no "Medier" in the menu: admin.js registers a library that is never shown
        "media_library": {"name": "kv-ingen"},
        "show_preview_links": True,
        "search": True,
        "collections": collections,
    }
    if site_url:
        out |= {"site_url": site_url, "display_url": site_url}
    return out


def write_admin(dest: Path, root: Path, backend: Backend = LOCAL,
                site_url: str | None = None) -> Path:
    """The ``admin/`` folder: the page, the configuration, the YAML format and Decap itself
    (from tools/node_modules, installed by ``make tools``: nothing loads from a CDN)."""
    modules = root / "tools" / "node_modules"
    decap, yaml_browser = modules / "decap-cms" / "dist", modules / "yaml" / "browser"
    if not (decap / "decap-cms.js").is_file() or not (yaml_browser / "index.js").is_file():
        raise FileNotFoundError("Decap CMS er ikke installeret. Kør: make tools")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copytree(decap, dest / "decap", ignore=shutil.ignore_patterns(
        "*.map", "cms.*", "*.cms.js", "*.cms.js.LICENSE.txt"))  # the same bundle's old name
    shutil.copytree(yaml_browser, dest / "yaml")
    for name in ("manual-init.js", "admin.js", "admin.css", "yaml-keep.js"):
        shutil.copy(ADMIN_ASSETS / name, dest / name)
    # admin.js reads the backend here: locally the form saves ("Gem"), on a Git host it publishes
    page = (ADMIN_ASSETS / "index.html").read_text("utf-8")
    (dest / "index.html").write_text(page.replace(
        '<html lang="da">', f'<html lang="da" data-backend="{backend.name}">', 1), "utf-8")
    text = yaml.safe_dump(config(backend, site_url), allow_unicode=True, sort_keys=False,
                          width=100)
    (dest / "config.yml").write_text(
        "# Made by kvalitet from the content models: do not edit (kvalitet cms / kvalitet edit).\n"
        + text, "utf-8")
    return dest


def writable_json() -> str:
    return json.dumps(WRITABLE)
