"""The content format (``content-format.md``) as pydantic models: the public contract in code.

Every value arrives as the text the editor wrote (see ``reader``); the types here check and convert
it, with Danish messages. Models are frozen and refuse unknown keys. The descriptions are Danish:
they become the hover help in editors' VS Code through the generated JSON Schemas.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from kvalitet import mdtext
from kvalitet.content.ids import slug

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RESERVED_IDS = frozenset({"tilbud", "ordforklaring", "for-sagsbehandlere", "data", "assets",
                          "search"})
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ID = re.compile(ID_PATTERN)
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,20}[0-9]$")
_TIME = re.compile(r"^(?:kl\.?\s*)?([0-9]{1,2})(?:[:.]([0-9]{2}))?$", re.I)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SITE_PATH = re.compile(r"^/([A-Za-z0-9._~%-]+/)*([A-Za-z0-9._~%-]+)?$")


def check_id(value: str) -> str:
    value = mdtext.strip_invisible(value)
    if not _ID.match(value):
        hint = slug(value) or "mit-id"
        raise ValueError(f'"{value}" kan ikke bruges som id: brug kun små bogstaver a-z, tal og '
                         f'enkelte bindestreger (skriv æ, ø, å som ae, oe, aa), fx "{hint}"')
    return value


def _text(value: str) -> str:
    value = mdtext.strip_invisible(value).strip()  # load.advise_texts says where they were
    if not value:
        raise ValueError("teksten er tom. Skriv en tekst, eller slet nøglen, hvis den er valgfri")
    return value


def _markdown(value: str) -> str:
    value = _text(value)
    found = mdtext.problems(value)
    if found:
        raise ValueError("; ".join(found))
    return value


def _https(value: str) -> str:
    value = mdtext.strip_invisible(value).strip()
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or re.search(r'[\s"<>\\^`{|}]', value):
        raise ValueError(f'"{value}" er ikke en gyldig https-adresse. Skriv hele adressen, '
                         'begyndende med https://, fx "https://www.kommune.dk"')
    return value


def _email(value: str) -> str:
    value = mdtext.strip_invisible(value).strip()
    if not _EMAIL.match(value):
        raise ValueError(f'"{value}" er ikke en gyldig e-mailadresse. Skriv den som '
                         '"navn@domæne.dk"')
    return value


def _phone(value: str) -> str:
    value = mdtext.strip_invisible(value).strip()
    if not _PHONE.match(value) or sum(c.isdigit() for c in value) < 8:
        raise ValueError(f'"{value}" er ikke et gyldigt telefonnummer. Skriv det med cifre, fx '
                         '"12 34 56 78" eller "+45 12 34 56 78"')
    return value


def _bool(value: object) -> object:
    if isinstance(value, str):
        if value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise ValueError(f'"{value}" er ikke true eller false. Skriv true (ja) eller false (nej)')
    return value


def _date(value: object) -> object:
    if isinstance(value, str):
        text = value.strip()
        try:
            if not _DATE.match(text):
                raise ValueError
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f'"{value}" er ikke en gyldig dato. Skriv datoen som ÅÅÅÅ-MM-DD, fx '
                             '"2026-11-01", og tjek at dagen findes') from None
    return value


def _time(value: str) -> str:
    """"9", "9.00", "09:00", "9:30" and "24:00" (closing at midnight) -> "HH:MM"."""
    m = _TIME.match(value.strip())
    hours, minutes = (int(m.group(1)), int(m.group(2) or 0)) if m else (99, 0)
    if hours > 24 or minutes > 59 or hours == 24 and minutes:
        raise ValueError(f'"{value}" er ikke et klokkeslæt. Skriv det som 9, 9.30 eller 15:00 '
                         "(24 er midnat)")
    return f"{hours:02d}:{minutes:02d}"


# Day names as people write them (any case, with or without a full stop), and the contract's
# English codes. Ranges ("man-tors", "mandag til fredag") run forward through the week.
DAY_NAMES: dict[str, tuple[str, ...]] = {
    "mon": ("mon", "monday", "ma", "man", "mandag"),
    "tue": ("tue", "tuesday", "ti", "tir", "tirs", "tirsdag"),
    "wed": ("wed", "wednesday", "on", "ons", "onsdag"),
    "thu": ("thu", "thursday", "to", "tor", "tors", "torsdag"),
    "fri": ("fri", "friday", "fr", "fre", "fredag"),
    "sat": ("sat", "saturday", "lø", "lør", "lørdag", "loer", "loerdag", "lordag"),
    "sun": ("sun", "sunday", "sø", "søn", "søndag", "soen", "soendag", "sondag"),
}
DAY_GROUPS = {"hverdage": DAYS[:5], "weekend": DAYS[5:], "weekender": DAYS[5:],
              "alle dage": DAYS, "dagligt": DAYS}
_DAY_OF = {name: code for code, names in DAY_NAMES.items() for name in names}
_RANGE = re.compile(r"\s*(?:-|–|—|\btil\b)\s*")


def _one_day(word: str, written: str) -> str:
    code = _DAY_OF.get(word.strip().rstrip(".").strip().lower())
    if code is None:
        raise ValueError(f'"{written}" er ikke en ugedag. Skriv fx man, tirs, ons, tors, fre, '
                         "lør, søn (eller mandag … søndag), et interval som man-tors, eller "
                         "hverdage")
    return code


def parse_days(value: object) -> object:
    """["man-tors", "fre"] or "mandag, onsdag" -> ["mon", "tue", "wed", "thu", "fri"]."""
    items = [p for p in value.split(",")] if isinstance(value, str) else value
    if not isinstance(items, list):
        return value  # pydantic says it must be a list
    days: list[str] = []
    for item in items:
        if not isinstance(item, str):
            return value
        text = item.strip()
        if text.lower() in DAY_GROUPS:
            days += DAY_GROUPS[text.lower()]
            continue
        ends = _RANGE.split(text)
        if len(ends) == 2:
            first, last = DAYS.index(_one_day(ends[0], item)), DAYS.index(_one_day(ends[1], item))
            days += [DAYS[(first + i) % 7] for i in range((last - first) % 7 + 1)]
        else:
            days.append(_one_day(text, item))
    return sorted(set(days), key=DAYS.index)


def _postcode(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"\d{4}", value):
        raise ValueError(f'"{value}" er ikke et postnummer. Skriv de fire cifre, fx "8900"')
    return value


def _site_path(value: str) -> str:
    value = value.strip()
    path = value.split("#", 1)[0]
    if not _SITE_PATH.match(path):
        raise ValueError(f'"{value}" er ikke en adresse på sitet. Skriv stien fra sidens rod, '
                         'fx "/tilbud/perron-4/"')
    return value


@dataclass(frozen=True)
class TextKind:
    """Marks a text field: ``plain`` text is shown as written, ``markdown`` is editors' Markdown."""

    name: str


PLAIN = TextKind("plain")
MARKDOWN = TextKind("markdown")


def _schema(**schema: Any) -> WithJsonSchema:
    """The JSON Schema editors' completion sees. The validators above do the checking; the schema
    is looser where YAML typing makes it exact impossible: the language server reads ``8900``,
    ``9.30`` and ``true`` as numbers and booleans before it validates, while the reader keeps
    every value as the text the editor wrote. So it never flags what ``kvalitet check`` accepts."""
    return WithJsonSchema(schema)


def _ci(word: str) -> str:
    """A case-insensitive regex for ``word`` (JSON Schema patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


_SCALAR = ["string", "number", "boolean"]
_DAY_WORD = "(?:" + "|".join(_ci(n) for n in sorted(
    [*_DAY_OF, *(g for g in DAY_GROUPS if " " not in g)], key=len, reverse=True)) + r")\.?"
_DAY_ITEM = (rf"{_DAY_WORD}(?:\s*(?:-|–|—|{_ci('til')})\s*{_DAY_WORD})?|{_ci('alle')} "
             rf"{_ci('dage')}")
_DAY_SCHEMA = {"type": "string", "pattern": rf"^\s*(?:{_DAY_ITEM})(?:\s*,\s*(?:{_DAY_ITEM}))*\s*$",
               "examples": ["man", "tirs", "ons", "tors", "fre", "lør", "søn", "man-fre",
                            "hverdage"]}

Id = Annotated[str, AfterValidator(check_id),
               _schema(type=["string", "integer"], pattern=ID_PATTERN)]
Text = Annotated[str, AfterValidator(_text), PLAIN, _schema(type=_SCALAR, minLength=1)]
Markdown = Annotated[str, AfterValidator(_markdown), MARKDOWN,
                     _schema(type=_SCALAR, minLength=1)]
HttpsUrl = Annotated[str, AfterValidator(_https), _schema(type="string", pattern="^https://")]
Email = Annotated[str, AfterValidator(_email), _schema(type="string", pattern=_EMAIL.pattern)]
Phone = Annotated[str, AfterValidator(_phone),
                  _schema(type=["string", "integer"], pattern=_PHONE.pattern)]
Bool = Annotated[bool, BeforeValidator(_bool), _schema(
    type=["boolean", "string"], enum=[True, False, "true", "false", "True", "False", "TRUE",
                                      "FALSE"])]
Date = Annotated[dt.date, BeforeValidator(_date),
                 _schema(type="string", pattern=_DATE.pattern, examples=["2026-11-01"])]
Time = Annotated[str, AfterValidator(_time), _schema(
    type=["string", "number"], pattern=_TIME.pattern.replace("(?:kl", f"(?:{_ci('kl')}"),
    minimum=0, maximum=24, examples=["9:00", "15:30"])]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Days = Annotated[list[Day], BeforeValidator(parse_days), _schema(anyOf=[
    {"type": "array", "items": _DAY_SCHEMA, "minItems": 1}, _DAY_SCHEMA])]
Postcode = Annotated[str, AfterValidator(_postcode), _schema(
    type=["string", "integer"], pattern=r"^\d{4}$", minimum=0, maximum=9999)]
SitePath = Annotated[str, AfterValidator(_site_path), _schema(type="string", pattern="^/")]


def unwrap(annotation: Any, metadata: list | tuple = ()) -> tuple[Any, list]:
    """The type inside ``Optional[...]`` and ``Annotated[...]``, with all the metadata (validators,
    text kinds, schemas) met on the way, outermost first."""
    found = list(metadata)
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            annotation, found = args[0], found + list(args[1:])
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation, found


def kind_of(annotation: Any, metadata: list | tuple = ()) -> TextKind | None:
    """The text kind of a field's type (None for ids, dates, URLs and other typed values)."""
    return next((m for m in unwrap(annotation, metadata)[1] if isinstance(m, TextKind)), None)


def item_type(annotation: Any) -> Any:
    """``X`` for ``list[X]``, ``dict[K, X]`` and their optional forms (else the annotation)."""
    inner = unwrap(annotation)[0]
    return typing.get_args(inner)[-1] if typing.get_origin(inner) in (list, dict) else inner


def text_values(obj: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, str, TextKind]]:
    """Every text value of a validated model, with its path (as in the YAML file: aliases,
    list indexes, mapping keys) and its kind."""
    for name, info in type(obj).model_fields.items():
        yield from _texts(getattr(obj, name), info.annotation, info.metadata,
                          (*path, info.alias or name))


def _texts(value: Any, annotation: Any, metadata: list, path: tuple):
    if isinstance(value, str):
        kind = kind_of(annotation, metadata)
        if kind is not None:
            yield path, value, kind
    elif isinstance(value, BaseModel):
        yield from text_values(value, path)
    elif isinstance(value, list | dict):
        inner = item_type(annotation)
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in pairs:
            yield from _texts(item, inner, [], (*path, key))


def search_words_field() -> Any:
    """The optional ``search_words`` of a section, sub-section, offer or term (one key, used the
    same way everywhere): words citizens search for that the text itself does not use."""
    return Field([], description="Søgeord: ord, borgerne søger efter, men som teksten ikke selv "
                 "bruger, fx pris, når teksten siger udgifter. Vises ikke på siden; kun "
                 "søgningen bruger dem. Skriv kun ord, teksten faktisk svarer på")


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# --- content/municipality.yaml -------------------------------------------------------------------

class Contact(Model):
    """Et sted, hvor borgeren kan henvende sig."""

    id: Id = Field(description="Kort id for kontakten, fx myndighed-handicap")
    name: Text = Field(description="Navnet, som borgeren kender det, fx Myndighed Handicap")
    phone: Phone | None = Field(None, description="Telefonnummer, fx \"12 34 56 78\"")
    email: Email | None = Field(None, description="E-mailadresse")
    url: HttpsUrl | None = Field(None, description="Side med mere om kontakten (https://…)")
    hours: Text | None = Field(None, description="Telefon- eller åbningstid, som tekst")


class StandardRef(Model):
    """En kvalitetsstandard i kommunens samlede liste."""

    title: Text = Field(description="Standardens titel, som kommunen skriver den")
    id: Id | None = Field(None, description="Mappenavnet under content/standards/, når "
                          "standarden udgives på dette site")
    law: Text | None = Field(None, description="Lovgrundlag, fx Serviceloven § 104")
    url: HttpsUrl | None = Field(None, description="Adresse, hvis standarden udgives et andet sted")


class Municipality(Model):
    """Kommunen: navn, hjemmeside, kontakter og listen over kvalitetsstandarder."""

    name: Text = Field(description="Kommunens navn, som det skal stå på sitet")
    website: HttpsUrl = Field(description="Kommunens egen hjemmeside (https://…)")
    site_url: HttpsUrl | None = Field(None, description="Adressen, hvor dette site udgives")
    accessibility_statement: HttpsUrl | None = Field(
        None, description="Adressen på sitets tilgængelighedserklæring (fra WAS-værktøjet)")
    contacts: list[Contact] = Field([], description="Steder, borgeren kan kontakte")
    standards: list[StandardRef] = Field([], description="Kommunens kvalitetsstandarder")


# --- content/glossary.yaml -----------------------------------------------------------------------

class Term(Model):
    """Et ord i ordforklaringen."""

    id: Id = Field(description="Id og anker på /ordforklaring/, fx skoen")
    term: Text = Field(description="Opslagsordet, fx Skøn")
    forms: list[Text] = Field([], description="Ordformer i teksten, der linker hertil")
    definition: Markdown = Field(description="Forklaringen i et enkelt sprog. Første sætning "
                                 "vises, når man peger på ordet")
    see_also: list[Id] = Field([], description="Id'er på beslægtede ord")
    former_ids: list[Id] = Field([], description="Tidligere id'er; gamle links lander stadig her")
    official: Bool = Field(False, description="true, hvis forklaringen står ordret i den "
                           "godkendte kvalitetsstandard")
    source: Text | None = Field(None, description="Hvor forklaringen kommer fra, når den ikke står "
                                "ordret i standarden, fx Retssikkerhedsloven § 3, stk. 2")
    search_words: list[Text] = search_words_field()


class Glossary(Model):
    """Ordforklaringen."""

    terms: list[Term] = Field(description="Ordene")


# --- content/standards/<id>/standard.yaml --------------------------------------------------------

class Fact(Model):
    """Et nøgletal øverst på standardens side."""

    label: Text = Field(description="Fx Sagsbehandlingsfrist")
    value: Text = Field(description="Fx 8 uger")


class Subsection(Model):
    """Et underafsnit (en underoverskrift i et afsnit)."""

    id: Id = Field(description="Underafsnittets id og anker, fx folkepensionister. Id'er er "
                   "unikke i hele standarden. Ændr det aldrig, når det er udgivet; brug former_ids")
    title: Text = Field(description="Underoverskriften, som standarden skriver den")
    summary: Markdown | None = Field(None, description="Kort fortalt: to til fire korte "
                                     "sætninger i et enkelt sprog")
    body: Markdown = Field(description="Den officielle tekst (Markdown)")
    former_ids: list[Id] = Field([], description="Tidligere id'er; gamle links lander stadig her")
    search_words: list[Text] = search_words_field()


class Section(Model):
    """Et afsnit af kvalitetsstandarden."""

    id: Id = Field(description="Afsnittets id og anker, fx maalgruppe. Ændr det aldrig, når det "
                   "er udgivet; brug former_ids")
    title: Text = Field(description="Overskriften, som standarden skriver den")
    summary: Markdown | None = Field(None, description="Kort fortalt: to til fire korte "
                                     "sætninger i et enkelt sprog")
    body: Markdown = Field(description="Den officielle tekst (Markdown)")
    former_ids: list[Id] = Field([], description="Tidligere id'er; gamle links lander stadig her")
    subsections: list[Subsection] = Field([], description="Underafsnit med egne "
                                          "underoverskrifter, efter teksten i body")
    search_words: list[Text] = search_words_field()


class WordListEntry(Model):
    """Et ord i standardens egen ordforklaring, som standarden skriver det."""

    term: Text = Field(description="Ordet, som standarden skriver det, fx Skøn")
    definition: Markdown = Field(description="Forklaringen, ordret som i standarden")
    term_id: Id | None = Field(None, description="Id'et på ordet i content/glossary.yaml, hvis "
                               "det står der (så linker ordet til sitets ordforklaring)")


class Apply(Model):
    """Boksen "Sådan søger du": hvordan borgeren søger, og hos hvem."""

    text: Markdown = Field(description="Hvordan man søger, med standardens egne ord (Markdown)")
    contacts: list[Id] = Field(min_length=1, description="Hvem man søger hos: id'er på kontakter "
                               "i content/municipality.yaml")


class Standard(Model):
    """En kvalitetsstandard."""

    title: Text = Field(description="Fx Aktivitets- og samværstilbud")
    subtitle: Text | None = Field(None, description="Fx Kvalitetsstandard for dagtilbud til voksne")
    law: Text = Field(description="Kort lovgrundlag, fx Serviceloven § 104")
    description: Text = Field(description="Én sætning til søgeresultater og linkvisninger")
    approved: Date | None = Field(None, description="Dato for godkendelse, ÅÅÅÅ-MM-DD")
    approved_by: Text | None = Field(None, description="Hvem der godkendte standarden, fx "
                                     "Byrådet")
    in_force_from: Date | None = Field(None, description="Dato, udgaven gælder fra (ÅÅÅÅ-MM-DD); "
                                       "udelades den, gælder udgaven fra approved")
    review_by: Date | None = Field(None, description="Dato, standarden skal revideres senest "
                                   "(ÅÅÅÅ-MM-DD)")
    document_url: HttpsUrl | None = Field(None, description="Det officielle dokument (https://…)")
    facts: list[Fact] = Field([], description="Nøgletal øverst på siden")
    source_note: Markdown | None = Field(None, description="Om teksten: hvor den kommer fra, "
                                         "og om noget er rettet (vises under nøgletallene)")
    apply: Apply | None = Field(None, description="Boksen \"Sådan søger du\" på standardens side "
                                "og i guidens resultater")
    sections: list[Section] = Field(min_length=1, description="Afsnittene i læserækkefølge")
    glossary: list[WordListEntry] = Field([], description="Standardens egen ordforklaring, ordret "
                                          "som i den godkendte standard (vises sidst på siden)")

    @property
    def date(self) -> dt.date | None:
        """The day this edition is in force from (its version date), if it has one."""
        return self.in_force_from or self.approved

    def part(self, part_id: str) -> Section | Subsection | None:
        """The section or sub-section with this id, or that had it before (former_ids)."""
        found = {p.id: p for _, p in self.parts()}
        return found.get(part_id) or next(
            (p for _, p in self.parts() if part_id in p.former_ids), None)

    def parts(self) -> Iterator[tuple[tuple[str | int, ...], Section | Subsection]]:
        """Every section and sub-section in reading order, with its path in the file."""
        for i, section in enumerate(self.sections):
            yield ("sections", i), section
            for j, sub in enumerate(section.subsections):
                yield ("sections", i, "subsections", j), sub


class Correction(Model):
    """En rettelse i en udgave, der allerede er udgivet."""

    date: Date = Field(description="Datoen for rettelsen, ÅÅÅÅ-MM-DD")
    note: Text = Field(description="Hvad der er rettet, og hvorfor (vises på udgavens side)")


class Version(Standard):
    """En tidligere (frosset) udgave af en kvalitetsstandard:
    content/standards/<id>/versions/<ÅÅÅÅ-MM-DD>.yaml. Samme nøgler som standard.yaml."""

    corrections: list[Correction] = Field([], description="Rettelser efter udgivelsen, hver med "
                                          "date og note. Tilføj en, hvis en udgivet udgave "
                                          "skal rettes")


# --- content/standards/<id>/guide.yaml -----------------------------------------------------------

class Answer(Model):
    """Et svar på et spørgsmål."""

    label: Text = Field(description="Svaret, som borgeren ser det, fx Ja")
    next: Id = Field(description="Id på næste spørgsmål eller resultat")


class Question(Model):
    """Et spørgsmål i guiden (én side)."""

    text: Text = Field(description="Spørgsmålet")
    hint: Markdown | None = Field(None, description="Hjælpetekst under spørgsmålet")
    answers: list[Answer] = Field(min_length=2, description="To eller flere svar")


class OfferFilter(Model):
    """Hvilke tilbud et resultat viser."""

    areas: list[Id] | None = Field(None, description="Områder (id'er fra offers.yaml); udelad "
                                   "for alle områder")
    referral: Bool | None = Field(None, description="true: kun tilbud med visitation; false: "
                                  "kun åbne tilbud")


class Outcome(Model):
    """Et resultat i guiden: hvad borgeren kan gøre nu."""

    title: Text = Field(description="Resultatets overskrift")
    body: Markdown = Field(description="Teksten (Markdown)")
    sections: list[Id] = Field([], description="Afsnit og underafsnit af standarden at læse "
                               "videre i")
    offers: OfferFilter | None = Field(None, description="Vis de tilbud, der passer")
    apply: list[Id] = Field([], description="Vis boksen \"Sådan søger du\" med disse kontakter "
                            "(id'er fra content/municipality.yaml), når resultatet er: tal med "
                            "en sagsbehandler")


class Guide(Model):
    """Guiden "Er jeg i målgruppen?"."""

    title: Text = Field(description="Fx Er jeg i målgruppen?")
    intro: Markdown | None = Field(None, description="Tekst på startsiden")
    section: Id | None = Field(None, description="Afsnittet eller underafsnittet af standarden, "
                               "hvor guiden tilbydes")
    start: Id = Field(description="Id på første spørgsmål")
    questions: dict[Id, Question] = Field(min_length=1, description="Spørgsmålene, efter id")
    outcomes: dict[Id, Outcome] = Field(min_length=1, description="Resultaterne, efter id")


# --- offers.yaml ---------------------------------------------------------------------------------

class Area(Model):
    """Et område i kommunen, som tilbud grupperes efter."""

    id: Id = Field(description="Fx psykiatri")
    name: Text = Field(description="Fx Psykiatri")


class OfferGroup(Model):
    """En gruppe tilbud på /tilbud/, fx de åbne aktivitets- og samværstilbud."""

    id: Id = Field(description="Id og anker på /tilbud/, fx aabne-tilbud")
    name: Text = Field(description="Overskriften på /tilbud/")
    description: Markdown | None = Field(None, description="Tekst under overskriften (Markdown); "
                                         "en gruppe uden tilbud kan bruges til at forklare, hvor "
                                         "andre tilbud søges")


class Address(Model):
    """Tilbuddets adresse."""

    street: Text = Field(description="Vej og nummer")
    postcode: Postcode = Field(description="Postnummer, fx 8900")
    city: Text = Field(description="By")


class OpeningHours(Model):
    """Åbningstid for en eller flere ugedage."""

    days: Days = Field(min_length=1, description="Ugedage: man, tirs, ons, tors, fre, lør, søn "
                       "(eller mandag … søndag), intervaller som man-tors, eller hverdage")
    opens: Time = Field(description="Åbner, fx 9 eller 9.30")
    closes: Time = Field(description="Lukker, fx 15 eller 15.30 (24 er midnat)")
    note: Text | None = Field(None, description="Bemærkning, fx Lukket i juli")

    @model_validator(mode="after")
    def _order(self) -> OpeningHours:
        if self.opens == "24:00":
            raise ValueError('åbningstiden kan ikke være 24.00. Skriv "0:00" for midnat')
        if self.closes <= self.opens:
            shown = [f"{int(t[:2])}.{t[3:]}" for t in (self.closes, self.opens)]
            raise ValueError(f"lukketiden {shown[0]} ligger ikke efter åbningstiden "
                             f"{shown[1]}. Ret tiderne")
        return self


class Offer(Model):
    """Et tilbud, borgeren kan bruge."""

    id: Id = Field(description="Id og adresse /tilbud/<id>/, fx perron-4. Ændr det ikke, når "
                   "tilbuddet er udgivet; gør du, så send den gamle adresse videre under "
                   "Omdirigeringer")
    name: Text = Field(description="Navnet, fx Perron 4")
    kind: Text = Field(description="Slags tilbud, som borgeren ville sige det")
    areas: list[Id] = Field([], description="Områder (id'er fra areas)")
    areas_source: Text | None = Field(None, description="Hvor det står, at tilbuddet hører til "
                                      "områderne, fx afsnittet i kvalitetsstandarden (skal med, "
                                      "når areas er udfyldt)")
    group: Id | None = Field(None, description="Gruppen på /tilbud/ (id fra groups)")
    referral: Bool = Field(description="true, hvis det kræver visitation fra en sagsbehandler")
    description: Markdown | None = Field(None, description="Kort beskrivelse (Markdown)")
    address: Address | None = Field(None, description="Adresse")
    opening_hours: list[OpeningHours] = Field([], description="Åbningstider")
    phone: Phone | None = Field(None, description="Telefonnummer")
    email: Email | None = Field(None, description="E-mailadresse")
    url: HttpsUrl | None = Field(None, description="Hjemmeside (https://…)")
    price: Text | None = Field(None, description="Pris, som tekst")
    accessibility: Text | None = Field(None, description="Adgangsforhold (kørestol, parkering …)")
    verified: Date | None = Field(None, description="Hvornår oplysningerne sidst er tjekket")
    search_words: list[Text] = search_words_field()


class Offers(Model):
    """Tilbuddene og områderne."""

    areas: list[Area] = Field([], description="Kommunens områder")
    groups: list[OfferGroup] = Field([], description="Grupperne på /tilbud/ (uden grupper "
                                     "grupperes tilbuddene efter område)")
    offers: list[Offer] = Field([], description="Tilbuddene")


# --- content/redirects.yaml ----------------------------------------------------------------------

class Redirect(Model):
    """En gammel sideadresse og hvor siden nu ligger."""

    from_: SitePath = Field(alias="from", description="Den gamle adresse, fx /tilbud/gammelt/")
    to: SitePath = Field(description="Den nye adresse, evt. med #anker")


class Redirects(Model):
    """Omdirigeringer fra gamle adresser."""

    redirects: list[Redirect] = Field([], description="Omdirigeringerne")


FILE_MODELS: dict[str, type[Model]] = {
    "municipality": Municipality,
    "glossary": Glossary,
    "standard": Standard,
    "version": Version,
    "guide": Guide,
    "offers": Offers,
    "redirects": Redirects,
}
