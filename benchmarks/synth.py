"""Synthetic content in the content format (content-format.md), at any number of standards.

Deterministic (a fixed random seed per size). Per standard: 15 sections of a few paragraphs each
with a summary, valid links to the site's own pages and words that are glossary forms; a guide of
6 questions and 6 outcomes (an acyclic chain); 15 offers. As in a real municipality the offers
are spread over a few areas (AREAS, not one per standard) and every fifth offer is for everyone
(no area), so the offers a guide outcome matches grow with the number of standards: about a
hundred at 40 standards (the case the guide's short lists are for).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from pathlib import Path

import yaml

SECTIONS = [
    ("hvordan-laeser-jeg", "Hvordan læser jeg denne kvalitetsstandard?"),
    ("formaal", "Hvad er formålet med støtten?"),
    ("maalgruppe", "Hvem kan få støtte?"),
    ("indhold", "Hvad kan støtten bestå af?"),
    ("omfang", "Hvor meget støtte kan du få?"),
    ("faelles-opgave", "Det er en fælles opgave at finde den rette støtte"),
    ("ansoegning", "Hvordan søger du?"),
    ("sagsbehandling", "Hvordan behandler vi din ansøgning?"),
    ("afgoerelse", "Afgørelsen"),
    ("levering", "Hvem leverer støtten?"),
    ("opfoelgning", "Hvordan følger vi op?"),
    ("egenbetaling", "Hvad koster det?"),
    ("klage", "Hvordan klager du?"),
    ("kvalitetsmaal", "Kommunens kvalitetsmål"),
    ("lovgrundlag", "Lovgrundlag"),
]
SERVICES = ["Bostøtte", "Ledsagerordning", "Aktivitets- og samværstilbud",
            "Beskyttet beskæftigelse", "Midlertidigt botilbud", "Længerevarende botilbud",
            "Kontaktperson", "Aflastning", "Socialpædagogisk støtte", "Misbrugsbehandling"]
# Glossary words: 10 x 8 Danish compounds, each with its definite and plural forms.
PREFIXES = ["social", "støtte", "hjælpe", "bolig", "aktivitets", "samværs", "ledsage",
            "aflastnings", "rehabiliterings", "misbrugs"]
SUFFIXES = [("plan", "planen", "planer"), ("tilbud", "tilbuddet", "tilbuddene"),
            ("ordning", "ordningen", "ordninger"), ("indsats", "indsatsen", "indsatser"),
            ("forløb", "forløbet", "forløbene"), ("ydelse", "ydelsen", "ydelser"),
            ("samtale", "samtalen", "samtaler"), ("vurdering", "vurderingen", "vurderinger")]
SENTENCES = [
    "Du kan søge om {t} hos kommunen, og vi vurderer altid din situation konkret og individuelt.",
    "Når vi behandler din ansøgning, ser vi på dine ressourcer, dit netværk og dine behov.",
    "Formålet er, at du kan klare mest muligt selv og leve et selvstændigt liv.",
    "Støtten kan være et {t}, hvor du sammen med en medarbejder arbejder med dine mål.",
    "Vi lægger vægt på, at du selv er med til at beskrive, hvad der er vigtigt for dig.",
    "Det er en del af vores {t}, at vi taler med dig om, hvad du gerne vil opnå.",
    "Hvis du har brug for det, kan en pårørende eller en bisidder deltage i mødet.",
    "Vi følger op på støtten mindst én gang om året, eller når din situation ændrer sig.",
    "I nogle tilfælde kan {t} gives sammen med anden støtte efter serviceloven.",
    "Du får en skriftlig afgørelse, som beskriver, hvad du kan få, og hvorfor.",
    "Afgørelsen bygger på et fagligt skøn og på de oplysninger, vi har fået fra dig.",
    "Vi samarbejder med andre fagpersoner, hvis det er nødvendigt for at give dig den rette hjælp.",
    "Du kan altid kontakte din sagsbehandler, hvis du har spørgsmål til {t}.",
    "Tilbuddet skal være tilrettelagt, så det passer til dit funktionsniveau og dine ønsker.",
    "Du betaler ikke for selve støtten, men du kan selv betale for frivillige aktiviteter.",
    "Vi tilstræber, at du får svar inden for den frist, der står i kvalitetsstandarden.",
    "En {t} bliver aftalt sammen med dig og skrevet ned, så alle ved, hvad der skal ske.",
    "Hvis du er uenig i afgørelsen, kan du klage, og vi genvurderer så din sag.",
]


FUNCTION_WORDS = ("og at du der til på med for i en et den det som kan vil skal har er af om "
                  "ikke vi dig din dine os når hvis også eller men så efter fra ved").split()
SYLLABLES = ("be for hand ling sam ar bej de støt te bor ger kom mu ne til bud ind sats vur ring "
             "hjælp mål grup pe ud vik hver dag fag lig per son net værk re la tion ev brug ret "
             "sag skøn of fent bo tid fri an svar let mø ste dom rå gi ve hus ar tæt sik ker tryg "
             "hed ord ne ly sel vis kræf ter løs ning æn dring").split()


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """Pseudo-Danish words from Danish syllables, so that the text compresses like real prose."""
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))
            for _ in range(size)]


def sentence(rng: random.Random, vocab: list[str], words: list[str]) -> str:
    """A real sentence frame 40 % of the time, otherwise 7-15 words of Zipf-distributed filler
    with function words and sometimes a glossary form."""
    if rng.random() < 0.4:
        return rng.choice(SENTENCES).format(t=rng.choice(words))
    out = []
    for i in range(rng.randint(7, 15)):
        roll = rng.random()
        if roll < 0.4:
            out.append(rng.choice(FUNCTION_WORDS))
        elif roll < 0.45:
            out.append(rng.choice(words))
        else:
            out.append(rng.choices(vocab, cum_weights=ZIPF)[0])
        if i > 3 and rng.random() < 0.08:
            out[-1] += ","
    return " ".join(out).rstrip(",").capitalize() + "."


class _Dumper(yaml.SafeDumper):
    """YAML as editors write it: no anchors or aliases, block style for multi-line text."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def write_yaml(path: Path, data: object) -> None:
    """Write one content file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                              width=100), "utf-8")


def ascii_id(text: str) -> str:
    """An id as the contract wants it: æ ø å as ae oe aa, words joined by single hyphens."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    words = "".join(c if c.isalnum() and c.isascii() else " " for c in text).split()
    return "-".join(words)


def glossary_terms() -> list[dict]:
    """The 80 glossary terms with their forms."""
    terms = []
    for prefix in PREFIXES:
        for base, definite, plural in SUFFIXES:
            word = prefix + base
            terms.append({
                "id": ascii_id(word), "term": word.capitalize(),
                "forms": [word, prefix + definite, prefix + plural],
                "definition": f"En {word} er en del af den hjælp, kommunen kan give efter "
                              "serviceloven. Den bliver tilpasset dig og dine behov.",
            })
    for i, term in enumerate(terms):
        term["see_also"] = [terms[(i + 1) % len(terms)]["id"]]
    return terms


def standard_ids(n: int) -> list[tuple[str, str]]:
    """(id, title) of n standards."""
    result = []
    for k in range(n):
        title = SERVICES[k % len(SERVICES)] + (f" {k // len(SERVICES) + 1}"
                                               if k >= len(SERVICES) else "")
        result.append((ascii_id(title), title))
    return result


VOCAB = vocabulary(random.Random(0))
ZIPF = list(itertools.accumulate(1 / (rank + 20) for rank in range(len(VOCAB))))  # word frequency


def paragraph(rng: random.Random, words: list[str], sentences: int, link: str = "") -> str:
    """A paragraph of Danish filler with glossary words, wrapped like an editor's text."""
    text = " ".join(sentence(rng, VOCAB, words) for _ in range(sentences))
    if link:
        text += " " + link
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) > 95:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])


def site_links(rng: random.Random, std_id: str, stds: list[tuple[str, str]], offers: list[str],
               terms: list[dict]) -> str:
    """One sentence with a valid link to another page (or anchor) of the site."""
    other = rng.choice(stds)[0]
    term = rng.choice(terms)
    choices = [
        f"Se også [tilbuddene](/tilbud/) og [ordforklaringen](/ordforklaring/#{terms[0]['id']}).",
        f"Læs mere under [målgruppen](#maalgruppe) og [klagevejledningen](/{std_id}/#klage).",
        f"Du kan også læse om [en anden standard](/{other}/#formaal).",
        f"Prøv [guiden](/{std_id}/maalgruppe/) eller [et tilbud](/tilbud/{rng.choice(offers)}/).",
        f"Ordet [{term['term'].lower()}](/ordforklaring/#{term['id']}) er forklaret.",
    ]
    return rng.choice(choices)


def standard(rng: random.Random, std_id: str, title: str, stds, offers, terms) -> dict:
    """One standard.yaml: facts and 15 sections of three paragraphs, each with a summary."""
    words = [f for t in terms for f in t["forms"]]
    sections = []
    for sid, stitle in SECTIONS:
        body = "\n\n".join(paragraph(rng, words, rng.randint(4, 6),
                                     site_links(rng, std_id, stds, offers, terms) if p == 1 else "")
                           for p in range(3))
        sections.append({"id": sid, "title": stitle,
                         "summary": paragraph(rng, words, rng.randint(2, 3)), "body": body + "\n"})
    return {
        "title": title, "subtitle": "Kvalitetsstandard for voksne", "law": "Serviceloven § 85",
        "description": f"Kommunens kvalitetsstandard for {title.lower()}: formål, målgruppe, "
                       "indhold, sagsbehandling og opfølgning.",
        "approved": "2026-01-15", "document_url": f"https://www.syntetisk.invalid/{std_id}.pdf",
        "facts": [{"label": "Sagsbehandlingsfrist", "value": "8 uger"},
                  {"label": "Pris", "value": "gratis"}],
        "sections": sections,
    }


AREAS = 5  # the municipality's areas (target groups or parts of town)


def guide(rng: random.Random, std_id: str, area: str, terms) -> dict:
    """6 questions in a chain; "Nej" ends in an outcome, "Ved ikke" in the last one."""
    questions, outcomes = {}, {}
    for i in range(1, 7):
        yes = f"spoergsmaal-{i + 1}" if i < 6 else "resultat-6"
        no = f"resultat-{i}" if i < 6 else "resultat-5"
        questions[f"spoergsmaal-{i}"] = {
            "text": f"Har du brug for støtte til hverdagens opgave nummer {i}?",
            "hint": f"Tænk på, om et [{terms[i]['term'].lower()}](/ordforklaring/#{terms[i]['id']})"
                    " kunne hjælpe dig.",
            "answers": [{"label": "Ja", "next": yes}, {"label": "Nej", "next": no},
                        {"label": "Ved ikke", "next": "resultat-6"}]}
    for i in range(1, 7):
        outcome = {"title": f"Resultat {i}: du er måske i målgruppen",
                   "body": paragraph(rng, [t["term"].lower() for t in terms], 3) + "\n",
                   "sections": ["maalgruppe", "ansoegning"]}
        if i % 3:
            outcome["offers"] = {"areas": [area], "referral": i % 3 == 1}
        elif i == 6:  # "Ved ikke" ends here: every open offer of every area
            outcome["offers"] = {"referral": False}
        outcomes[f"resultat-{i}"] = outcome
    return {"title": "Er jeg i målgruppen?", "intro": "Svar på nogle få spørgsmål.\n",
            "section": "maalgruppe", "start": "spoergsmaal-1", "questions": questions,
            "outcomes": outcomes}


def offers_yaml(rng: random.Random, stds, terms) -> dict:
    """15 offers per standard in the standard's area (every third one also in the next area,
    every fifth in none: for everyone)."""
    areas = [{"id": f"omraade-{k + 1}", "name": f"Område {k + 1}"}
             for k in range(min(AREAS, len(stds)))]
    offers = []
    today = dt.date.today().isoformat()
    for k, (std_id, title) in enumerate(stds):
        for j in range(1, 16):
            home = k % len(areas)
            own = [] if j % 5 == 0 else [areas[home]["id"]] + (
                [areas[(home + 1) % len(areas)]["id"]] if j % 3 == 0 and len(areas) > 1 else [])
            offers.append({
                "id": f"{std_id}-tilbud-{j}", "name": f"{title}: tilbud {j}",
                "kind": rng.choice(["Værested", "Café", "Aktivitetstilbud", "Bofællesskab"]),
                "areas": own, "referral": j % 2 == 0,
                "description": paragraph(rng, [t["forms"][0] for t in terms], 2),
                "address": {"street": f"Syntetvej {j + 10 * k}", "postcode": "8900",
                            "city": "Syntetby"},
                "opening_hours": [{"days": ["mon", "tue", "wed", "thu"], "opens": "09:00",
                                   "closes": "15:00"},
                                  {"days": ["fri"], "opens": "09:00", "closes": "12:00",
                                   "note": "Lukket i juli"}],
                "phone": "70 00 00 00", "email": f"tilbud{j}@syntetisk.invalid",
                "url": f"https://www.syntetisk.invalid/{std_id}/{j}", "price": "Gratis",
                "accessibility": "Der er niveaufri adgang.", "verified": today,
            })
    return {"areas": areas, "offers": offers}


def write_content(root: Path, n: int) -> None:
    """Write content/ and offers.yaml for n standards under ``root``."""
    rng = random.Random(n)
    stds = standard_ids(n)
    terms = glossary_terms()
    offers = offers_yaml(rng, stds, terms)
    offer_ids = [o["id"] for o in offers["offers"]]
    write_yaml(root / "content/municipality.yaml", {
        "name": "Syntetisk Kommune", "website": "https://www.syntetisk.invalid",
        "site_url": "https://kvalitet.syntetisk.invalid/",
        "accessibility_statement": "https://www.was.digst.dk/kvalitet-syntetisk-invalid",
        "contacts": [{"id": "borgerservice", "name": "Borgerservice", "phone": "70 00 00 00",
                      "email": "borgerservice@syntetisk.invalid", "hours": "Hverdage kl. 10-14"}],
        "standards": [{"title": t, "id": i, "law": "Serviceloven § 85"} for i, t in stds],
    })
    write_yaml(root / "content/glossary.yaml", {"terms": terms})
    write_yaml(root / "offers.yaml", offers)
    for k, (std_id, title) in enumerate(stds):
        folder = root / "content/standards" / std_id
        write_yaml(folder / "standard.yaml", standard(rng, std_id, title, stds, offer_ids, terms))
        write_yaml(folder / "guide.yaml", guide(rng, std_id, f"omraade-{k % AREAS + 1}", terms))


def write_versions(root: Path, count: int) -> None:
    """Give every standard under ``root`` ``count`` earlier editions in versions/: copies of
    standard.yaml, one a year back from its date, each with a few words and a fact changed (so
    every change page has something to show)."""
    for folder in sorted((root / "content/standards").iterdir()):
        data = yaml.safe_load((folder / "standard.yaml").read_text("utf-8"))
        start = dt.date.fromisoformat(str(data["approved"]))
        data["in_force_from"] = start.isoformat()
        write_yaml(folder / "standard.yaml", data)
        for k in range(1, count + 1):
            old = {**data, "approved": start.replace(year=start.year - k).isoformat(),
                   "in_force_from": start.replace(year=start.year - k).isoformat()}
            old["facts"] = [{"label": "Sagsbehandlingsfrist", "value": f"{8 + k} uger"},
                            {"label": "Pris", "value": "gratis"}]
            old["sections"] = [{**sec, "body": sec["body"].replace(" og ", f" og {k} ", 1)}
                               for sec in data["sections"]]
            write_yaml(folder / "versions" / f"{old['in_force_from']}.yaml", old)
