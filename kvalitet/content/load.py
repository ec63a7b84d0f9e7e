"""Load all content (YAML -> models), collecting every problem with its file and line.

``load_site(root, findings)`` is the one place content is read. It reads each file once and
validates it against the models, recording every problem in ``findings``; the cross-checks of
``checks`` run as their own step afterwards (``kvalitet.build.checked_site`` calls both).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kvalitet import mdtext
from kvalitet.content import model as m
from kvalitet.content.examples import ADDRESS_EXAMPLE, HOURS_EXAMPLE
from kvalitet.content.guide import check_guide
from kvalitet.content.reader import Lines, read_yaml
from kvalitet.content.versions import VERSIONS, Edition, arrange, build_date
from kvalitet.problems import Findings, Problem

CONTENT = "content"
MUNICIPALITY = "content/municipality.yaml"
GLOSSARY = "content/glossary.yaml"
OFFERS = "offers.yaml"
REDIRECTS = "content/redirects.yaml"
PUBLISHED = "content/published-links.txt"
STANDARDS = "content/standards"

# How a list item is named in messages, by the key of the list that holds it.
_ITEM_NAMES = {
    "sections": "afsnittet", "offers": "tilbuddet", "terms": "ordet", "contacts": "kontakten",
    "standards": "standarden", "areas": "området", "questions": "spørgsmålet",
    "outcomes": "resultatet", "facts": "faktaboksens punkt", "answers": "svaret",
    "opening_hours": "åbningstiden", "redirects": "omdirigeringen",
    "subsections": "underafsnittet", "glossary": "ordforklaringens punkt", "groups": "gruppen",
}
# Danish (or near) keys editors write by habit, and the contract's key.
_DANISH_KEYS = {
    "titel": "title", "overskrift": "title", "navn": "name", "beskrivelse": "description",
    "tekst": "body", "brødtekst": "body", "afsnit": "sections", "lov": "law", "lovgrundlag": "law",
    "resume": "summary", "kort": "summary", "resumé": "summary", "spørgsmål": "questions",
    "svar": "answers", "næste": "next", "omraader": "areas", "områder": "areas",
    "adresse": "address", "telefon": "phone", "tlf": "phone", "mail": "email",
    "hjemmeside": "url", "pris": "price", "visitation": "referral", "aabningstider":
    "opening_hours", "åbningstider": "opening_hours", "dage": "days", "definition_": "definition",
}


@dataclass(frozen=True)
class StandardContent:
    """One standard's folder: the edition in force on the build date, its optional guide, and
    every dated edition (none when the standard has no date)."""

    id: str
    standard: m.Standard  # the edition in force on the build date
    guide: m.Guide | None
    file: str  # the file of that edition
    guide_file: str | None
    editions: tuple[Edition, ...] = ()
    latest_file: str = ""  # standard.yaml, the newest edition (in force or scheduled)

    @property
    def current(self) -> Edition | None:
        return next((e for e in self.editions if e.state == "current"), None)

    @property
    def scheduled(self) -> list[Edition]:
        return [e for e in self.editions if e.state == "scheduled"]

    def texts_in_force(self) -> list[m.Standard]:
        """The edition in force and those scheduled: what the guide and the lock must fit."""
        return [self.standard] + [e.standard for e in self.scheduled]


@dataclass
class Site:
    """Everything the site is built from, checked."""

    root: Path
    municipality: m.Municipality
    glossary: m.Glossary
    standards: list[StandardContent]
    offers: m.Offers
    redirects: m.Redirects
    published: list[str]  # addresses published (protected); see site.links
    lines: dict[str, Lines] = field(default_factory=dict)
    folders: list[str] = field(default_factory=list)  # the folders under content/standards/
    today: dt.date = field(default_factory=build_date)  # decides the editions in force
    failed: set[str] = field(default_factory=set)  # files that could not be read or validated
    advice: list[Problem] = field(default_factory=list)
    planned: list | None = field(default=None, repr=False)  # pages.site_pages, planned once
    pending: list[str] = field(default_factory=list)  # recorded, not yet published (may change)
    published_lines: dict[str, int] = field(default_factory=dict)  # address -> its line

    def line(self, file: str, *path: str | int) -> int:
        """The line of a value in a content file (1 when unknown)."""
        lines = self.lines.get(file)
        return lines.line(path) if lines else 0

    def text_line(self, file: str, path: tuple, value: str, offset: int) -> int:
        """The line of a character in a text value (exact in "|" blocks)."""
        lines = self.lines.get(file)
        return lines.text_line(path, value, offset) if lines else 0

    def standard(self, standard_id: str) -> StandardContent | None:
        return next((s for s in self.standards if s.id == standard_id), None)


@dataclass(frozen=True)
class _Read:
    """One file as it was read: its bytes' hash, the model (None if it failed), its lines and
    the problems reading it found."""

    digest: bytes
    model: Any
    lines: Lines | None
    errors: tuple[Problem, ...]
    advice: tuple[Problem, ...]


class FileCache:
    """The files a process has read and validated, by name, each kept with a hash of its bytes:
    ``load_site`` reads and validates again only a file whose bytes changed (the preview, which
    loads the whole site after every save). The models are frozen, so a cached one is shared
    safely between loads."""

    def __init__(self) -> None:
        self.files: dict[str, _Read] = {}


def load_site(root: Path, findings: Findings, today: dt.date | None = None,
              cache: FileCache | None = None) -> Site:
    """Read and validate all content under ``root``, recording every problem in ``findings``.
    ``today`` decides which edition of a standard is in force (default: ``build_date()``).
    With a ``cache``, a file whose bytes are those it holds is not parsed again.

    Files that fail are replaced by stand-ins (and listed in ``Site.failed``), so the other files
    can still be cross-checked in the same round."""
    root = Path(root)
    today = today or build_date()
    lines: dict[str, Lines] = {}
    failed: set[str] = set()

    def load(name: str, model: type[BaseModel], default: Any = None) -> Any:
        """Read and validate one file; ``default`` marks it optional (used when it is missing
        or broken, so the other files can still be checked)."""
        path = root / name
        if default is not None and not path.exists():
            return default
        digest = b""
        if cache is not None:
            try:
                digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
            except OSError:
                digest = b""
            known = cache.files.get(name)
            if digest and known and known.digest == digest:
                return replay(name, known, default)
        found = Findings()
        loaded = _read(path, name, model, default is None, found)
        read = _Read(digest, loaded[0], loaded[1], tuple(found.errors), tuple(found.advice))
        if cache is not None and digest:
            cache.files[name] = read
        return replay(name, read, default)

    def replay(name: str, read: _Read, default: Any) -> Any:
        findings.errors += read.errors
        findings.advice += read.advice
        if read.lines is not None:
            lines[name] = read.lines
        if read.model is None:
            failed.add(name)
            return default
        return read.model

    municipality = load(MUNICIPALITY, m.Municipality)
    glossary = load(GLOSSARY, m.Glossary, m.Glossary(terms=[]))
    offers = load(OFFERS, m.Offers, m.Offers())
    redirects = load(REDIRECTS, m.Redirects, m.Redirects())
    standards = []
    folders = sorted(p for p in (root / STANDARDS).glob("*") if p.is_dir()) \
        if (root / STANDARDS).is_dir() else []
    if not folders:
        findings.error(STANDARDS, None, "der er ingen kvalitetsstandarder. Opret en mappe pr. "
                       "standard med en standard.yaml, fx content/standards/min-standard/"
                       "standard.yaml")
    for folder in folders:
        file = f"{STANDARDS}/{folder.name}/standard.yaml"
        guide_file = f"{STANDARDS}/{folder.name}/guide.yaml"
        standard = load(file, m.Standard)
        guide = load(guide_file, m.Guide) if (folder / "guide.yaml").exists() else None
        frozen = []
        for path in sorted((folder / VERSIONS).glob("*.yaml")):
            name = f"{STANDARDS}/{folder.name}/{VERSIONS}/{path.name}"
            try:
                date = dt.date.fromisoformat(path.stem)
            except ValueError:
                findings.error(name, None, f'filnavnet skal være datoen, udgaven gælder fra, som '
                               f'ÅÅÅÅ-MM-DD.yaml, fx "2019-12-09.yaml". Omdøb filen "{path.name}"')
                continue
            version = load(name, m.Version)
            if version is not None:
                frozen.append((date, version, name, True))
        if standard is not None:
            dated = frozen + ([(standard.date, standard, file, False)] if standard.date else [])
            editions = arrange(dated, today) if standard.date else ()
            current = next((e for e in editions if e.state == "current"), None)
            standards.append(StandardContent(
                folder.name, current.standard if current else standard, guide,
                current.file if current else file, guide_file if guide else None, editions, file))
        elif guide is not None:  # still check its routing, so all errors come in one round
            check_guide(guide, lines[guide_file], findings)
    published, pending, published_lines = read_published(root / PUBLISHED)

    if municipality is None:  # a stand-in, so the other files are still cross-checked
        municipality = m.Municipality(name="-", website="https://localhost")
        failed.add(MUNICIPALITY)
    order = [ref.id for ref in municipality.standards if ref.id]
    standards.sort(key=lambda s: (order.index(s.id) if s.id in order else len(order), s.id))
    return Site(root, municipality, glossary, standards, offers, redirects, published, lines,
                folders=[f.name for f in folders], failed=failed, today=today, pending=pending,
                published_lines=published_lines)


def _read(path: Path, name: str, model: type[BaseModel], required: bool, findings: Findings
          ) -> tuple[Any, Lines | None]:
    """Read and validate one file: (the model or None, its lines or None)."""
    read = read_yaml(path, name, findings, required=required)
    if read is None:
        return None, None
    data, file_lines = read
    try:
        loaded = model.model_validate(data)
    except ValidationError as exc:
        report_validation(exc, data, file_lines, model, findings)
        return None, file_lines
    advise_texts(loaded, data, file_lines, findings)
    return loaded, file_lines


PENDING = "pending"  # the marker after an address that no publishing build has published yet


def read_published(path: Path) -> tuple[list[str], list[str], dict[str, int]]:
    """content/published-links.txt: (published addresses, pending addresses, line of each).
    A line is an address, or an address followed by " pending" (recorded by ``kvalitet links
    --update``, not yet published: it may still change or go without a redirect); "#" starts a
    comment line. A file without markers (older ones) is all published."""
    if not path.exists():
        return [], [], {}
    published, pending, where = [], [], {}
    for number, line in enumerate(path.read_text("utf-8-sig").splitlines(), start=1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        (pending if words[1:] == [PENDING] else published).append(words[0])
        where.setdefault(words[0], number)
    return published, [p for p in pending if p not in published], where


# --- what YAML hides: advice on text values -----------------------------------------------------

def advise_texts(loaded: BaseModel, data: Any, lines: Lines, findings: Findings) -> None:
    """Advice where a valid file will not show what its editor wrote: a text cut by a comment,
    HTML in a plain-text field, Markdown folded into one line or not becoming a list or a link,
    a web address that does not become a link, example text from the handbook left in. All of
    it is urgent: the page will look wrong. Also where invisible characters were removed."""
    _advise_every_value(data, lines, findings)
    for path, value, kind in m.text_values(loaded):
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        what = f'{_item(data, path)}"{key}"'
        line = lines.line(path)

        def advise(message: str, at: int = line, path: tuple = path, what: str = what) -> None:
            findings.advise(lines.file, at, message, urgent=True, path=path,
                            detail=message.removeprefix(what).lstrip(": "))

        comment = lines.cut.get(path)
        if comment:
            shown = comment if len(comment) <= 30 else comment[:27] + "…"
            advise(f'{what}: teksten stopper ved "{shown}", fordi YAML læser " #" og resten af '
                   f'linjen som en kommentar; på siden står kun "{value}". Sæt hele teksten i '
                   f'anførselstegn, fx {key}: "{value} {shown}", eller flyt kommentaren til en '
                   "linje for sig selv")
        if value[:1] in "“„" and value[-1:] in "”“":
            advise(f'{what} står i typografiske anførselstegn (“ ”), som Word sætter automatisk, '
                   "så anførselstegnene står med på siden. Slet dem, eller brug lige "
                   'anførselstegn (")')
        if kind is m.PLAIN:
            tags = mdtext.find_tags(value)
            if tags:
                advise(f'{what}: "{tags[0][:40]}" ligner HTML, men feltet er almindelig tekst, så '
                       "det vises på siden præcis, som det står. Kun tekstfelter med formatering "
                       '(som "Tekst" og "Beskrivelse" i browseren, body og description i filen) '
                       "kan formatere tekst. Slet tegnene, hvis de ikke skal ses")
            continue
        if path in lines.squashed:
            advise(f'{what} er skrevet over flere linjer uden "|", så YAML lægger linjerne sammen '
                   "til én, og punkter og afsnit forsvinder. "
                   f'Skriv "{key}: |" og teksten rykket ind på linjerne under')
            continue
        for offset, failure, written in mdtext.silent_failures(value):
            at = lines.text_line(path, value, offset)
            marker = written.replace("\\", "")
            advise(f"{what}: {_SILENT[failure].format(written=written, marker=marker)}", at)


# Text from the handbook's examples (and example domains) that must not reach citizens.
PLACEHOLDERS = re.compile(r"\beksempel ?kommune|\bexample\.(?:org|com|net)\b|\beksempelvej\b|"
                          r"\beksempelby\b|\b12 ?34 ?56 ?78\b|\bnavn@domæne\.dk\b", re.I)


def _strings(data: Any, path: tuple = ()):
    """Every text value of a file as read (before the models clean it), with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*path, i))


def _advise_every_value(data: Any, lines: Lines, findings: Findings) -> None:
    """Invisible characters (removed from the page) and example text (shown on it), in any
    value, also ids, addresses and phone numbers."""
    for path, value in _strings(data):
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        what = f'{_item(data, path)}"{key}"'
        hidden = mdtext.find_invisible(value)
        if hidden:
            offset, name = hidden[0]
            start = max(value.rfind(" ", 0, offset) + 1, offset - 30)
            end = value.find(" ", offset)
            word = value[start:end if end > 0 else None][:60]
            shown = mdtext.strip_invisible(word[:offset - start]) + f"[{name}]" + \
                mdtext.strip_invisible(word[offset - start + 1:])
            more = f" (og {len(hidden) - 1} til)" if len(hidden) > 1 else ""
            findings.advise(lines.file, lines.text_line(path, value, offset),
                            f'{what} indeholder et usynligt tegn, {name}, i "{shown}"{more}, '
                            "typisk fra tekst kopieret fra Word eller en PDF. Det er fjernet på "
                            "siden; skriv ordet igen i filen (eller i browseren) for at fjerne "
                            "det helt")
        example = PLACEHOLDERS.search(value)
        if example:
            detail = (f'indeholder "{example.group()}", som er eksempeltekst fra håndbogen, og det '
                      "står på siden. Skriv kommunens rigtige oplysninger, eller slet værdien")
            findings.advise(lines.file, lines.text_line(path, value, example.start()),
                            f"{what} {detail}", urgent=True, path=path, detail=detail)


_SILENT = {
    "tight": ('punktlisten ("{written}") står lige under en tekstlinje uden en tom linje '
              "imellem, så punkterne bliver til én lang linje på siden. Indsæt en tom linje før "
              'det første "- "'),
    "bullet": ('linjen begynder med "{written}", men Markdown laver kun punkter af "- " (og "1." '
               'for nummererede punkter). I browseren: markér linjerne, fjern "{written}", og '
               'brug knappen "Punktopstilling". I filen: skriv "- " i stedet, og sæt en tom '
               "linje før listen"),
    "paren": ('"{written}" bliver ikke til en nummereret liste. I browseren: markér linjerne, '
              'fjern numrene, og brug knappen "Nummeret liste". I filen: skriv "1." i stedet for '
              '"1)", og sæt en tom linje før listen'),
    "escaped": ('linjen begynder med "{written}": tegnet foran gør "{marker}" til almindelig '
                "tekst, så linjerne bliver ikke en liste. I browseren: markér linjerne, fjern "
                '"{marker}", og brug knappen "Punktopstilling" (eller "Nummeret liste"). I filen: '
                'fjern "\\"'),
    "spaced-link": ('"[{written}]" bliver ikke til et link, fordi der står et mellemrum eller '
                    "linjeskift mellem ] og (. Skriv [{written}](…) uden mellemrum"),
    "bare-url": ('webadressen "{written}" bliver ikke til et link på siden, kun til tekst. Skriv '
                 "den som et link: [tekst](https://…) (i browseren: markér teksten, og brug "
                 "knappen til links)"),
}


# --- pydantic errors in Danish -------------------------------------------------------------------



def report_validation(exc: ValidationError, data: Any, lines: Lines, model: type[BaseModel],
                      findings: Findings) -> None:
    """Turn pydantic's errors into Danish problems with the file's line numbers."""
    for err in exc.errors(include_url=False):
        is_key = err["loc"][-1:] == ("[key]",)  # the error is about a mapping key itself
        loc = tuple(p for p in err["loc"] if p != "[key]")
        key = next((p for p in reversed(loc) if isinstance(p, str)), None)
        kind = err["type"]
        item = _item(data, loc)
        if kind == "missing":
            container = _model_at(model, loc[:-1])
            info = container.model_fields.get(key) if container else None
            why = f" ({info.description[0].lower() + info.description[1:]})" \
                if info and info.description else ""
            text = f'mangler "{key}"{why}. Tilføj en linje "{key}: …"'
            line = lines.line(loc[:-1])
        elif kind == "extra_forbidden":
            container = _model_at(model, loc[:-1])
            allowed = [n if not f.alias else f.alias for n, f in container.model_fields.items()] \
                if container else []
            text = f'"{key}" er ikke en kendt nøgle her. ' + _suggest(key, allowed)
            line = lines.line(loc)
        elif err.get("input", "") is None:  # "key:" with nothing after it
            container = _model_at(model, loc[:-1])
            info = container.model_fields.get(key) if container and key else None
            if info is not None and info.is_required():  # e.g. a key `ny-standard` left empty
                why = f" ({info.description[0].lower() + info.description[1:]})" \
                    if info.description else ""
                how = (f'skriv "{key}: |" og teksten rykket ind på linjerne under'
                       if m.kind_of(info.annotation, info.metadata) is m.MARKDOWN
                       else f'skriv værdien efter "{key}:"')
                text = f'"{key}" er ikke udfyldt{why}. Nøglen skal udfyldes: {how}'

            else:
                text = (f'"{key}": teksten er tom. Skriv en tekst, eller slet nøglen, hvis den er '
                        "valgfri")
            line = lines.line(loc)
        elif kind in ("value_error", "assertion_error"):
            text = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
            whole_item = bool(loc) and isinstance(loc[-1], int)  # a check of the item itself
            text = (f'"{key}": ' if key and not is_key and not whole_item else "") + text
            value = err.get("input")
            where = mdtext.first_problem(value) if isinstance(value, str) else None
            line = lines.line(loc) if where is None else lines.text_line(loc, value, where)
        elif kind == "literal_error":
            text = (f'"{err["input"]}" er ikke en ugedag. Brug mon (mandag), tue (tirsdag), wed '
                    "(onsdag), thu (torsdag), fri (fredag), sat (lørdag) eller sun (søndag)")
            line = lines.line(loc)
        elif kind == "list_type" and isinstance(err.get("input"), dict) and err["input"]:
            first = next(iter(err["input"]))
            text = (f'"{key}" skal være en liste: skriv "- " foran "{first}:" i hvert punkt, og '
                    f'ryk punktets andre nøgler ind, så de står lige under "{first}"')
            line = lines.line(loc)
        elif kind == "list_type":
            text = (f'"{key}" skal være en liste: skriv punkterne i [ ], fx [a, b], eller hvert '
                    'på sin egen linje, der begynder med "- "')
            line = lines.line(loc)
        elif kind == "too_short":
            need = err.get("ctx", {}).get("min_length", 1)
            text = (f'"{key}" skal have mindst {need} punkt{"er" if need > 1 else ""}, hvert på '
                    'sin egen linje, der begynder med "- "')
            line = lines.line(loc)
        elif kind in ("model_type", "model_attributes_type", "dict_type", "mapping_type"):
            what = f'"{key}"' if key else "filen"
            text = (f'{what} skal bestå af nøgler og værdier ("nøgle: værdi" på hver sin linje), '
                    "ikke en enkelt tekst eller en liste. Tjek indrykningen")
            line = lines.line(loc)
        elif kind == "string_type" and isinstance(err.get("input"), list):
            container = _model_at(model, loc[:-1])
            info = container.model_fields.get(key) if container and key else None
            if info and m.kind_of(info.annotation, info.metadata) is m.MARKDOWN:
                text = (f'"{key}" er en liste, men skal være en tekst. Skal teksten have punkter, '
                        f'så skriv "{key}: |" og punkterne med "- " rykket ind på linjerne under')
            else:
                text = (f'"{key}" er en liste, men skal være én tekst. Skriv teksten på samme '
                        "linje som nøglen")
            line = lines.line(loc)
        elif kind == "string_type" and isinstance(err.get("input"), dict):
            text = (f'"{key}" består af nøgler og værdier, men skal være en tekst. Står der et '
                    'kolon i teksten, så sæt hele teksten i anførselstegn ("…")')
            line = lines.line(loc)
        elif kind in ("string_type", "bool_type", "date_type"):
            text = (f'"{key}" skal være en enkelt værdi (tekst), ikke en liste eller nøgler. '
                    "Skriv værdien på samme linje som nøglen")
            line = lines.line(loc)
        else:  # a type the content format does not expect: still Danish, still located
            text = f'"{key}" har en værdi, der ikke kan bruges ({err["msg"]}). Ret værdien'
            line = lines.line(loc)
        example = HOURS_EXAMPLE if "opening_hours" in loc else \
            ADDRESS_EXAMPLE if "address" in loc else None
        findings.error(lines.file, line, f"{item}{text}", example)


def _suggest(key: str | None, allowed: list[str]) -> str:
    guess = _DANISH_KEYS.get((key or "").lower())
    if guess not in allowed:
        close = difflib.get_close_matches(key or "", allowed, n=1, cutoff=0.6)
        guess = close[0] if close else None
    if guess:
        return f'Mente du "{guess}"? Ret nøglen (nøgler skrives på engelsk)'
    return "Tilladte nøgler er " + ", ".join(f'"{a}"' for a in allowed) + ". Ret eller slet den"


def _item(data: Any, loc: tuple) -> str:
    """'afsnittet "maalgruppe": ' for errors inside a named list item (else empty). An item
    without an id is named by its number within the named item around it:
    'tilbuddet "perron-4", åbningstiden (nr. 1): '."""
    found, named, node, parent_key = "", "", data, None
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str):
            if parent_key in ("questions", "outcomes") and part in node:
                found = named = f'{_ITEM_NAMES[parent_key]} "{part}"'
            parent_key, node = part, node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            name = _ITEM_NAMES.get(parent_key or "")
            if name:
                ident = (node.get("id") or node.get("term")) if isinstance(node, dict) else None
                if isinstance(ident, str):
                    found = named = f'{name} "{mdtext.strip_invisible(ident)}"'
                else:
                    found = f"{named + ', ' if named else ''}{name} (nr. {part + 1})"
        else:
            break
    return f"{found}: " if found else ""


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc``."""
    current: Any = model
    for part in loc:
        if _is_model(current) and isinstance(part, str):
            info = current.model_fields.get(part) or next(
                (f for f in current.model_fields.values() if f.alias == part), None)
            if info is None:
                return None
            current = info.annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]  # the item type of list[X] or dict[K, X]
        else:
            return None
        current = m.unwrap(current)[0]
    return current if _is_model(current) else None


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)
