"""kvalitet import and kvalitet ny-standard: each fixture (Word, tagged and untagged PDF, a web
page) and the seed's text become a draft that checks clean and holds the source's sections,
text, lists, tables and word list; the report says what was uncertain; bad input is refused in
Danish and nothing is written."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml
from docx import Document as WordDocument
from lxml import html as lxml_html

from kvalitet import cli, mdtext
from kvalitet.build import checked_site
from kvalitet.content import model as m
from kvalitet.content.ids import slug, unique_id
from kvalitet.content.reader import read_yaml
from kvalitet.problems import ContentError, Findings
from kvalitet.sources.guard import MAX_BYTES
from kvalitet.sources.importer import ImportRefused, import_file
from kvalitet.sources.template import TEMPLATE
from kvalitet.sources.writer import scalar
from tests.helpers import FIXTURES, ROOT, SEED, make_project, mkdocs_build

IMPORT = FIXTURES / "import"
SHIPPED = ROOT / "content" / "standards" / "aktivitets-og-samvaerstilbud" / "standard.yaml"
FIXTURE_FILES = ["standard.docx", "standard.pdf", "standard-utagget.pdf", "standard.html"]
# The fictional standard's questions (tests/fixtures/import/make_fixtures.py), in order, after
# the text before the first question ("Indledning", a title the import adds and reports).
FIXTURE_SECTIONS = [
    "Indledning", "Hvad er formålet med støtten?", "Hvem kan få støtten?",
    "Hvad kan støtten bestå af?", "Hvordan søger jeg?", "Hvor meget støtte kan jeg få?",
    "Hvad koster støtten?", "Hvornår får jeg svar?", "Hvordan følger vi op?", "Lovgrundlag"]
# The shipped standard corrects two titles the seed prints wrongly (its source_note says
# "Enkelte stavefejl er rettet"): seed title -> shipped title.
# The word list's own heading and column heads: the site shows the list under its own heading.
WORD_LIST_FRAME = {"Ordforklaring", "Ord", "Forklaring"}
SEED_CORRECTIONS = {
    "Vi inddrager også andre aktører for sikre en tidlig og helhedsorienteret indsats":
        "Vi inddrager også andre aktører for at sikre en tidlig og helhedsorienteret indsats",
    "Hvor mange kvalitetsstandarder er der på voksenområdet":
        "Hvor mange kvalitetsstandarder er der på voksenområdet?",
}


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the shipped project (engine parts and content)."""
    return make_project(tmp_path / "project")


def draft_of(root: Path, imported) -> dict:
    return yaml.safe_load((root / imported.standard_file).read_text("utf-8"))


def markdown_values(data: dict):
    """Every Markdown value of a draft (bodies and definitions)."""
    for section in data["sections"]:
        yield section["body"]
        for sub in section.get("subsections", []):
            yield sub["body"]
    for entry in data.get("glossary", []):
        yield entry["definition"]


def plain(markdown: str) -> str:
    """The words a reader sees in a draft's Markdown."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    text = re.sub(r"^\s*[-*]\s+", "", text, flags=re.M)
    text = re.sub(r"^\|(?:-+\|)+$", "", text, flags=re.M)
    text = re.sub(r"\\(.)", r"\1", text.replace("**", "").replace("|", " "))
    return " ".join(text.replace("[", "").replace("]", "").split())


def draft_text(data: dict) -> str:
    parts = [data.get("title", ""), data.get("subtitle", "")]
    for section in data["sections"]:
        parts += [section["title"], plain(section["body"])]
        for sub in section.get("subsections", []):
            parts += [sub["title"], plain(sub["body"])]
    for entry in data.get("glossary", []):
        parts += [entry["term"], plain(entry["definition"])]
    return " ".join(" ".join(parts).split())


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def assert_safe_markdown(data: dict) -> None:
    """What the Markdown gate refuses or what would look wrong never reaches a draft: no HTML,
    no image, no attribute list, no unsafe link, no list that would not become a list."""
    for value in markdown_values(data):
        assert mdtext.problems(value) == [], value
        assert mdtext.silent_failures(value) == [], value
        assert not re.search(r"\{\s*[:#.]|!\[|<[A-Za-z/!?]", value), value


# --- the fixtures ---------------------------------------------------------------------------


def docx_texts(path: Path) -> list[str]:
    """Every paragraph of the Word file, table cells (and nested tables) included."""
    doc = WordDocument(str(path))
    found: list[str] = []

    def cells(table):
        for row in table.rows:
            for cell in row.cells:
                found.extend(p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    cells(inner)

    found.extend(p.text for p in doc.paragraphs)
    for table in doc.tables:
        cells(table)
    return [t.strip() for t in found if t.strip()]


def pdf_words(path: Path) -> Counter:
    """The words on the PDF's pages, without the running header and the page numbers."""
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    lines = [ln for ln in text.splitlines()
             if not re.fullmatch(r"Side \d+|Eksempelby Kommune · Socialområdet", ln.strip())]
    return words("\n".join(lines))


def html_texts(path: Path) -> list[str]:
    page = lxml_html.document_fromstring(path.read_bytes())
    article = page.xpath("//article")[0]
    return [" ".join(el.text_content().split()) for el in article.iter("p", "li", "h1", "h2",
                                                                          "h3", "td", "th", "dt",
                                                                          "dd")]


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_fixture_becomes_a_draft_that_checks_clean(project, name):
    imported = import_file(project, IMPORT / name, "stoette-i-eget-hjem")
    assert imported.problems == []
    site = checked_site(project)  # raises ContentError on any error
    assert site.standard("stoette-i-eget-hjem") is not None
    data = draft_of(project, imported)
    assert data["title"] == "Socialpædagogisk støtte i eget hjem"
    assert data["subtitle"] == "Kvalitetsstandard for voksne efter serviceloven § 85"
    assert data["law"] == "Serviceloven § 85"
    assert data["description"] == data["subtitle"]
    assert data["approved"] == "2024-03-12" and data["approved_by"] == "Byrådet"
    assert data["facts"] == [{"label": "Sagsbehandlingsfrist", "value": "6 uger"}]
    assert [s["title"] for s in data["sections"]] == FIXTURE_SECTIONS
    sections = {s["id"]: s for s in data["sections"]}
    assert [sub["title"] for sub in sections["hvem-kan-faa-stoetten"]["subsections"]] == \
        ["Særligt for unge under 23 år"]
    assert [sub["title"] for sub in sections["hvad-kan-stoetten-bestaa-af"]["subsections"]] == \
        ["Hvad støtten ikke omfatter"]
    assert "- er over 18 år og bor i Eksempelby Kommune\n" in \
        sections["hvem-kan-faa-stoetten"]["body"]
    assert "1. Ring eller skriv til Borgerservice.\n2. En sagsbehandler kontakter dig og aftaler " \
        "et møde.\n3. Du får en skriftlig afgørelse med klagevejledning." in \
        sections["hvordan-soeger-jeg"]["body"]
    table = sections["hvor-meget-stoette-kan-jeg-faa"]["body"]
    assert "| Behov | Støtte | Opfølgning |\n|---|---|---|\n| Lettere behov | Op til 2 timer om " \
        "ugen | Hver 12. måned |" in table
    assert [(g["term"], plain(g["definition"])) for g in data["glossary"]] == [
        ("Funktionsevne", "Det, du kan klare selv i din hverdag, fx at handle ind eller lave "
                          "mad."),
        ("Handleplan", "En plan, du laver sammen med kommunen, om målene med din støtte."),
        ("Sagsbehandlingsfrist", "Den tid, kommunen højst må bruge på at behandle din "
                                 "ansøgning.")]
    # Two of the word list's terms are in the site's glossary: the draft links them.
    assert {g["term"]: g.get("term_id") for g in data["glossary"]} == {
        "Funktionsevne": "funktionsevne", "Handleplan": "handleplan",
        "Sagsbehandlingsfrist": "sagsbehandlingsfrist"}
    assert_safe_markdown(data)


def test_docx_draft_holds_every_paragraph(project):
    imported = import_file(project, IMPORT / "standard.docx", "fra-word")
    text = draft_text(draft_of(project, imported))
    for paragraph in docx_texts(IMPORT / "standard.docx"):
        if paragraph not in WORD_LIST_FRAME:
            assert " ".join(paragraph.split()) in text
    assert "[kommunens side om støtte](https://www.example.org/stoette-i-eget-hjem)" in \
        (project / imported.standard_file).read_text("utf-8").replace("\n      ", " ")


@pytest.mark.parametrize("name", ["standard.pdf", "standard-utagget.pdf"])
def test_pdf_draft_holds_every_word(project, name):
    imported = import_file(project, IMPORT / name, "fra-pdf")
    missing = pdf_words(IMPORT / name) - words(draft_text(draft_of(project, imported)))
    assert set(missing) <= {w.lower() for w in WORD_LIST_FRAME}, missing


def test_html_draft_holds_the_article_and_nothing_of_the_frame(project):
    imported = import_file(project, IMPORT / "standard.html", "fra-web")
    data = draft_of(project, imported)
    text = draft_text(data)
    for block in html_texts(IMPORT / "standard.html"):
        if block != "Sidst opdateret: 4. april 2024" and block not in WORD_LIST_FRAME:
            assert block in text
    for frame in ("Vi bruger cookies", "Accepter alle", "Brødkrummesti", "Hovedmenu",
                  "Rådhuspladsen", "Privatlivspolitik", "Del siden", "Bostøtte", "dataLayer"):
        assert frame not in text
    assert "Sidst opdateret" not in text


def test_report_lists_what_was_uncertain_with_where(project):
    imported = import_file(project, IMPORT / "standard.docx", "fra-word")
    written = (project / imported.report_file).read_text("utf-8")
    assert written == imported.report
    assert "- tabel 1, række 3: «Hvad støtten ikke omfatter» er fed tekst uden " \
        "overskriftstypografi og er læst som en overskrift." in written
    assert "Sidehovedet «Eksempelby Kommune · Socialområdet» er ikke importeret" in written
    assert "afsnit 1: et billede er ikke importeret" in written
    assert "tabel 1, række 9: lovgrundlaget (law) er sat til «Serviceloven § 85» fra afsnittet " \
        "«Lovgrundlag»" in written
    assert "«Indledning», som ikke står i kilden" in written


def test_web_report_names_the_frame_images_and_code(project):
    imported = import_file(project, IMPORT / "standard.html", "fra-web")
    report = imported.report
    assert "menuen, brødkrummestien, cookiebanneret, sidehovedet, sidefoden og sidekolonnen" \
        in report
    assert "et billede er ikke importeret (alternativ tekst: «En borger i sin stue»)" in report
    assert "HTML-kode (<script>) er ikke importeret" in report
    assert "indlejret indhold (<iframe> fra https://video.example.net/embed/123)" in report
    assert "teksten «Sidst opdateret: 4. april 2024» i ordforklaringen er ikke et ord" in report


def test_pdf_report_names_the_page_furniture(project):
    for name in ("standard.pdf", "standard-utagget.pdf"):
        imported = import_file(project, IMPORT / name, slug(name))
        assert "«Eksempelby Kommune · Socialområdet»" in imported.report
        assert "«Side 1»" in imported.report
        assert "side 1:" in imported.report


def test_cli_import_prints_the_report(project, capsys):
    assert cli.main(["--root", str(project), "import", str(IMPORT / "standard.docx")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Udkastet er skrevet til content/standards/socialpaedagogisk-stoette-"
                          "i-eget-hjem/standard.yaml (10 afsnit, 2 underafsnit, 3 ord i "
                          "ordforklaringen).")
    assert "# Importrapport: Socialpædagogisk støtte i eget hjem" in out
    assert (project / "content/standards/socialpaedagogisk-stoette-i-eget-hjem/"
            "import-rapport.md").exists()
    assert cli.main(["--root", str(project), "check"]) == 0


# --- other layouts --------------------------------------------------------------------------

def test_layout_text_reads_like_the_pdf(project):
    """Text a PDF tool pulled out with the columns side by side (pdftotext -layout)."""
    imported = import_file(project, IMPORT / "standard-layout.txt", "fra-tekst")
    data = draft_of(project, imported)
    assert [s["title"] for s in data["sections"]] == FIXTURE_SECTIONS
    assert data["title"] == "Socialpædagogisk støtte i eget hjem"
    assert data["law"] == "Serviceloven § 85"
    assert [g["term"] for g in data["glossary"]] == ["Funktionsevne", "Handleplan",
                                                   "Sagsbehandlingsfrist"]
    text = draft_text(data)
    assert "| Lettere behov | Op til 2 timer om ugen | Hver 12. måned |" in \
        "\n".join(markdown_values(data))
    missing = words((IMPORT / "standard-layout.txt").read_text("utf-8")) - words(text)
    assert set(missing) <= {"eksempelby", "kommune", "socialområdet", "side", "1", "2", "3",
                            "ordforklaring", "ord", "forklaring"}, missing
    checked_site(project)


def test_word_file_with_heading_styles_and_typed_lists(project, tmp_path):
    """No table: Word's heading styles, bullets and numbers typed by hand, a word list of
    "Ord: forklaring" paragraphs, a title that is only big bold text."""
    doc = WordDocument()
    run = doc.add_paragraph().add_run("Kvalitetsstandard for ledsagelse")
    run.bold = True
    doc.add_paragraph("Godkendt af Social- og Sundhedsudvalget 5. maj 2023")
    doc.add_heading("Formål", level=1)
    doc.add_paragraph("Formålet med ledsagelse er, at du kan komme ud og deltage i aktiviteter, "
                      "du selv vælger.")
    doc.add_heading("Målgruppe", level=1)
    doc.add_paragraph("Du kan få ledsagelse, hvis du:")
    doc.add_paragraph("• er mellem 18 og 67 år")
    doc.add_paragraph("• ikke kan færdes alene på grund af en varig funktionsnedsættelse")
    doc.add_heading("Særligt for borgere over 67 år", level=2)
    doc.add_paragraph("Har du fået ledsagelse, før du fyldte 67 år, kan du beholde den.")
    doc.add_heading("Sådan søger du", level=1)
    doc.add_paragraph("1) Udfyld ansøgningen.")
    doc.add_paragraph("2) Send den til kommunen.")
    doc.add_paragraph("Kommunen har en sagsbehandlingsfrist på 4 uger efter § 97 i serviceloven.")
    doc.add_heading("Begrebsforklaring", level=1)
    doc.add_paragraph("Ledsager: En person, der følger dig til aktiviteter.")
    doc.add_paragraph("Visitation: Kommunens vurdering af, om du kan få hjælpen.")
    path = tmp_path / "ledsagelse.docx"
    doc.save(str(path))
    imported = import_file(project, path)
    assert imported.standard_id == "kvalitetsstandard-for-ledsagelse"
    data = draft_of(project, imported)
    assert data["title"] == "Kvalitetsstandard for ledsagelse"
    assert data["law"] == "Serviceloven § 97"
    assert (data["approved"], data["approved_by"]) == ("2023-05-05",
                                                       "Social- og Sundhedsudvalget")
    assert data["description"] == ("Formålet med ledsagelse er, at du kan komme ud og deltage i "
                                   "aktiviteter, du selv vælger.")
    assert [s["title"] for s in data["sections"]] == ["Indledning", "Formål", "Målgruppe",
                                                      "Sådan søger du"]
    sections = {s["id"]: s for s in data["sections"]}
    assert sections["maalgruppe"]["subsections"][0]["id"] == "saerligt-for-borgere-over-67-aar"
    assert "- er mellem 18 og 67 år\n- ikke kan færdes alene" in sections["maalgruppe"]["body"]
    assert "1. Udfyld ansøgningen.\n2. Send den til kommunen." in \
        sections["saadan-soeger-du"]["body"]
    assert [(g["term"], plain(g["definition"])) for g in data["glossary"]] == [
        ("Ledsager", "En person, der følger dig til aktiviteter."),
        ("Visitation", "Kommunens vurdering af, om du kan få hjælpen.")]
    assert_safe_markdown(data)
    checked_site(project)


def test_web_page_with_an_accordion(project, tmp_path):
    """Questions in fold-outs (<details>, or buttons that open a panel), no <main>, no
    declared character set."""
    page = tmp_path / "botilbud.html"
    page.write_bytes("""<html><head><title>Botilbud | Testby</title></head><body>
<div class="header"><ul class="menu"><li><a href="/">Forside</a></li></ul></div>
<div class="content"><h1>Botilbud til voksne</h1>
<p class="lead">Kvalitetsstandard efter serviceloven § 108</p>
<details><summary>Hvad er formålet med støtten?</summary><div><p>Formålet er at give dig et
hjem med den støtte, du har brug for i hverdagen.</p></div></details>
<details><summary>Hvem kan få støtten?</summary><div><p>Du kan få støtten, hvis du har en
betydelig nedsat funktionsevne og ikke kan bo i egen bolig.</p></div></details>
<div class="item"><button aria-expanded="false">Hvad koster det?</button><div><p>Du betaler
husleje og forbrug efter de regler, der gælder for botilbud.</p></div></div>
<div class="item"><button aria-expanded="false">Lovgrundlag</button><div><p>Serviceloven § 108.
</p></div></div>
<h2>Ordforklaring</h2><ul><li><strong>Botilbud:</strong> Et sted at bo med støtte.</li></ul>
</div><div class="footer">Testby Kommune</div></body></html>""".encode())
    imported = import_file(project, page, "botilbud")
    data = draft_of(project, imported)
    assert data["title"] == "Botilbud til voksne"
    assert data["law"] == "Serviceloven § 108"
    assert [s["title"] for s in data["sections"]] == [
        "Hvad er formålet med støtten?", "Hvem kan få støtten?", "Hvad koster det?",
        "Lovgrundlag"]
    assert data["glossary"] == [{"term": "Botilbud", "term_id": "botilbud",
                                 "definition": "Et sted at bo med støtte.\n"}]
    checked_site(project)


def test_text_with_blank_lines_between_paragraphs(project, tmp_path):
    """Text as someone saves it from Word or a web page: a paragraph per line, blank lines
    between them, typed bullets, a word list of "Ord – forklaring" lines, Windows line ends."""
    source = tmp_path / "madservice.txt"
    source.write_bytes("\r\n".join([
        "Kvalitetsstandard for madservice", "Serviceloven § 83", "", "Formål",
        "Formålet med madservice er, at du kan få et sundt måltid mad hver dag, selv om du ikke "
        "kan lave mad selv.", "", "Hvem kan få madservice?", "Du kan få madservice, hvis du:",
        "• ikke selv kan lave mad", "• ikke kan få hjælp fra andre i husstanden", "",
        "Sagsbehandlingsfrist", "Kommunen har en sagsbehandlingsfrist på 2 uger.", "",
        "Ordforklaring", "Madservice – mad, der bringes ud til dig.",
        "Visitation – kommunens vurdering af, om du kan få hjælp.", ""]).encode("utf-8-sig"))
    imported = import_file(project, source)
    data = draft_of(project, imported)
    assert imported.standard_id == "kvalitetsstandard-for-madservice"
    assert (data["title"], data["subtitle"], data["law"]) == (
        "Kvalitetsstandard for madservice", "Serviceloven § 83", "Serviceloven § 83")
    assert data["description"].startswith("Formålet med madservice er")  # not the law alone
    assert [s["title"] for s in data["sections"]] == ["Formål", "Hvem kan få madservice?",
                                                      "Sagsbehandlingsfrist"]
    assert "- ikke selv kan lave mad\n- ikke kan få hjælp" in data["sections"][1]["body"]
    assert [g["term"] for g in data["glossary"]] == ["Madservice", "Visitation"]
    checked_site(project)


def test_a_source_without_a_law_leaves_law_empty_and_check_names_it(project, tmp_path):
    source = tmp_path / "uden-lov.txt"
    source.write_text("Madservice\n\nHvad er madservice?\n\nDu kan få mad bragt ud til dig, "
                      "hvis du ikke selv kan lave mad.\n\nHvad koster det?\n\nDu betaler "
                      "for maden efter kommunens takster.\n", "utf-8")
    imported = import_file(project, source, "madservice")
    text = (project / imported.standard_file).read_text("utf-8")
    assert "\nlaw:  # UDFYLD: kort lovgrundlag (lov og paragraf) - kilden nævner det ikke\n" in text
    assert imported.problems == [
        'content/standards/madservice/standard.yaml, linje 5: "law" er ikke udfyldt (kort '
        'lovgrundlag, fx Serviceloven § 104). Nøglen skal udfyldes: skriv værdien efter "law:"']
    assert "## Skal udfyldes, før standarden kan bygges" in imported.report
    with pytest.raises(ContentError) as caught:
        checked_site(project)
    assert [str(e) for e in caught.value.errors] == imported.problems


# --- the seed ------------------------------------------------------------------------------

def test_seed_reproduces_the_shipped_sections(project):
    imported = import_file(project, SEED, "fra-seed")
    data = draft_of(project, imported)
    shipped = yaml.safe_load(SHIPPED.read_text("utf-8"))

    def titles(standard: dict) -> list:
        return [(" ".join(s["title"].split()), [" ".join(x["title"].split())
                                                for x in s.get("subsections", [])])
                for s in standard["sections"]]

    corrected = [(SEED_CORRECTIONS.get(t, t), subs) for t, subs in titles(data)]
    assert corrected == titles(shipped)
    assert data["title"] == shipped["title"] and data["subtitle"] == shipped["subtitle"]
    assert data["law"] == shipped["law"]
    assert data["facts"] == [{"label": "Sagsbehandlingsfrist", "value": "8 uger"}]
    assert [g["term"] for g in data["glossary"]] == [g["term"] for g in shipped["glossary"]]
    # The word list's "Funktionsnedsættelse" continues after "Lovgrundlag" in the seed.
    funktion = next(g for g in data["glossary"] if g["term"] == "Funktionsnedsættelse")
    assert plain(funktion["definition"]).endswith("eller at du har svært ved at færdes "
                                                  "selvstændigt mm.")
    checked_site(project)
    assert_safe_markdown(data)


def test_seed_keeps_at_least_95_percent_of_its_lines(project):
    imported = import_file(project, SEED, "fra-seed")
    text = draft_text(draft_of(project, imported))
    lines = [" ".join(ln.replace("\uf0b7", " ").split())
             for ln in SEED.read_text("utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    kept = [ln for ln in lines if ln in text]
    assert len(kept) / len(lines) >= 0.95, [ln for ln in lines if ln not in text]


# --- a new standard without an import ----------------------------------------------------

def test_new_standard_template_names_every_field_to_fill(project, capsys):
    assert cli.main(["--root", str(project), "ny-standard", "botilbud"]) == 0
    path = project / "content/standards/botilbud/standard.yaml"
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/standard.schema."
                           "json\n")
    data = yaml.safe_load(text)
    # Every required key is there, and no value: nothing in it can go live by mistake.
    assert set(data) == {"title", "law", "description", "sections"}
    assert data["title"] is data["law"] is data["description"] is None
    assert data["sections"] == [{"id": None, "title": None, "body": None}]
    with pytest.raises(ContentError) as caught:
        checked_site(project)
    file = "content/standards/botilbud/standard.yaml"
    assert [str(e) for e in caught.value.errors] == [
        f'{file}, linje 5: "title" er ikke udfyldt (fx Aktivitets- og samværstilbud). Nøglen '
        'skal udfyldes: skriv værdien efter "title:"',
        f'{file}, linje 6: "law" er ikke udfyldt (kort lovgrundlag, fx Serviceloven § 104). '
        'Nøglen skal udfyldes: skriv værdien efter "law:"',
        f'{file}, linje 7: "description" er ikke udfyldt (én sætning til søgeresultater og '
        'linkvisninger). Nøglen skal udfyldes: skriv værdien efter "description:"',
        f'{file}, linje 13: afsnittet (nr. 1): "id" er ikke udfyldt (afsnittets id og anker, fx '
        "maalgruppe. Ændr det aldrig, når det er udgivet; brug former_ids). Nøglen skal "
        'udfyldes: skriv værdien efter "id:"',
        f'{file}, linje 14: afsnittet (nr. 1): "title" er ikke udfyldt (overskriften, som '
        'standarden skriver den). Nøglen skal udfyldes: skriv værdien efter "title:"',
        f'{file}, linje 15: afsnittet (nr. 1): "body" er ikke udfyldt (den officielle tekst '
        '(Markdown)). Nøglen skal udfyldes: skriv "body: |" og teksten rykket ind på '
        "linjerne under"]
    capsys.readouterr()
    site_dir = project / "site"
    assert cli.main(["--root", str(project), "build", "--site-dir", str(site_dir)]) == 1
    assert "Bygningen fejlede; " in capsys.readouterr().err
    assert not site_dir.exists()


def test_new_standard_has_none_of_the_handbooks_example_text():
    handbook = (ROOT / "handbog" / "README.md").read_text("utf-8")
    example = handbook.split("<!-- eksempel: content/standards/ledsagerordning/standard.yaml")[1]
    example = yaml.safe_load(example.split("```yaml\n", 1)[1].split("```", 1)[0])
    values = [example["title"], example["law"], example["description"].strip(),
              example["sections"][0]["title"], example["sections"][0]["id"]]
    for value in values:
        assert value not in TEMPLATE


@pytest.mark.parametrize("standard_id, message", [
    ("tilbud", 'Ingen ny standard: --id: "tilbud" er et af sitets egne navne'),
    ("aktivitets-og-samvaerstilbud", "Ingen ny standard: content/standards/aktivitets-og-"
     "samvaerstilbud findes allerede"),
    ("Mit Id", 'Ingen ny standard: --id: "Mit Id" kan ikke bruges som id'),
])
def test_new_standard_refuses_a_bad_id(project, capsys, standard_id, message):
    before = sorted(p.name for p in (project / "content/standards").iterdir())
    assert cli.main(["--root", str(project), "ny-standard", standard_id]) == 1
    assert capsys.readouterr().err.startswith(message)
    assert sorted(p.name for p in (project / "content/standards").iterdir()) == before


# --- bad input ----------------------------------------------------------------------------

def _scanned_pdf(path: Path) -> None:
    """A one-page PDF holding only an image (a scan): no text layer."""
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, b"\x80" * 300, Type=pikepdf.Name.XObject,
                           Subtype=pikepdf.Name.Image, Width=10, Height=10, ColorSpace=pikepdf.Name
                           .DeviceRGB, BitsPerComponent=8)
    content = pikepdf.Stream(pdf, b"q 500 0 0 700 50 50 cm /Im0 Do Q")
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842],
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
                              Contents=content)
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)


def _zip_bomb(path: Path) -> None:
    """A .docx whose document.xml unpacks to 160 MB (of spaces) from a few hundred KB."""
    with zipfile.ZipFile(IMPORT / "standard.docx") as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                out.writestr(item, source.read(item))
        with out.open("word/document.xml", "w", force_zip64=True) as big:
            chunk = b" " * 1_000_000
            for _ in range(160):
                big.write(chunk)


def _pdf_bomb(path: Path) -> None:
    """A PDF with a stream that unpacks to 160 MB (of zeros) from a few hundred KB."""
    with pikepdf.open(IMPORT / "standard.pdf") as pdf:
        pdf.Root.Bomb = pikepdf.Stream(pdf, bytes(160_000_000))
        pdf.save(path, compress_streams=True)


def _bad(tmp_path: Path, case: str) -> Path:
    if case == "scannet":
        path = tmp_path / "scannet.pdf"
        _scanned_pdf(path)
    elif case == "krypteret-pdf":
        path = tmp_path / "krypteret.pdf"
        with pikepdf.open(IMPORT / "standard.pdf") as pdf:
            pdf.save(path, encryption=pikepdf.Encryption(user="hemmelig", owner="hemmelig"))
    elif case == "beskadiget-pdf":
        path = tmp_path / "beskadiget.pdf"
        path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 500)
    elif case == "beskadiget-docx":
        path = tmp_path / "beskadiget.docx"
        path.write_bytes((IMPORT / "standard.docx").read_bytes()[:5000])
    elif case == "krypteret-docx":
        path = IMPORT / "krypteret.docx"
    elif case == "gammel-doc":
        path = tmp_path / "gammel.doc"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    elif case == "for-stor":
        path = tmp_path / "stor.pdf"
        with path.open("wb") as f:
            f.write(b"%PDF-1.7\n")
            f.truncate(MAX_BYTES["pdf"] + 1)
    elif case == "zip-bombe":
        path = tmp_path / "bombe.docx"
        _zip_bomb(path)
    elif case == "pdf-bombe":
        path = tmp_path / "bombe.pdf"
        _pdf_bomb(path)
    elif case == "ukendt-type":
        path = tmp_path / "standard.xyz"
        path.write_text("Hvad er formålet?", "utf-8")
    elif case == "billede":
        path = tmp_path / "scan.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    elif case == "binaer-txt":
        path = tmp_path / "standard.txt"
        path.write_bytes(b"\x00\x01\x02" * 100)
    else:
        raise AssertionError(case)
    return path


BAD = {
    "scannet": "scannet.pdf har kun 1 billede og ingen tekst: den er scannet eller lavet af "
               "billeder. Importen genkender ikke tekst i billeder (ingen OCR)",
    "krypteret-pdf": "krypteret.pdf er beskyttet med en adgangskode. Gem en udgave uden "
                     "adgangskode",
    "beskadiget-pdf": "beskadiget.pdf er beskadiget og kan ikke læses som PDF",
    "beskadiget-docx": "beskadiget.docx er beskadiget: den kan ikke åbnes som Word-dokument",
    "krypteret-docx": "krypteret.docx er beskyttet med en adgangskode (krypteret), eller er i "
                      "Words gamle format (.doc)",
    "gammel-doc": "gammel.doc er i Words gamle format (.doc). Åbn den i Word, og gem den som "
                  ".docx",
    "for-stor": "stor.pdf fylder 30,0 MB; en kvalitetsstandard fylder langt mindre, og højst "
                "30,0 MB kan importeres",
    "zip-bombe": "bombe.docx fylder 0,",
    "pdf-bombe": "MB, men pakket ud over 150,0 MB: det står ikke i forhold til et dokument",
    "ukendt-type": 'standard.xyz: filtypen ".xyz" kan ikke importeres. Brug en .docx-, .pdf-, '
                   ".html- eller .txt-fil",
    "billede": "scan.png er et billede (PNG), ikke en tekst. Importen genkender ikke tekst i "
               "billeder (ingen OCR)",
    "binaer-txt": "standard.txt hedder .txt, men er ikke en tekstfil",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_in_danish_and_nothing_is_written(project, tmp_path, capsys, case):
    path = _bad(tmp_path, case)
    content = project / "content"
    before = sorted(str(p.relative_to(content)) for p in content.rglob("*"))
    assert cli.main(["--root", str(project), "import", str(path), "--id", "ny"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Intet er importeret: "), err
    assert BAD[case] in err, err
    assert sorted(str(p.relative_to(content)) for p in content.rglob("*")) == before


def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = _bad(tmp_path, "zip-bombe")
    assert path.stat().st_size < 2_000_000
    (tmp_path / "content").mkdir()
    with pytest.raises(ImportRefused, match=r"pakket ud 160,\d MB: det står ikke i forhold til "
                       r"et dokument \(det ligner en zip-bombe\)"):
        import_file(tmp_path, path, "x")


@pytest.mark.parametrize("standard_id, message", [
    ("ordforklaring", '--id: "ordforklaring" er et af sitets egne navne (assets, data, '
     "for-sagsbehandlere, ordforklaring, search, tilbud). Vælg et andet id"),
    ("aktivitets-og-samvaerstilbud", "content/standards/aktivitets-og-samvaerstilbud findes "
     "allerede, og importen overskriver aldrig en standard"),
    ("støtte", '--id: "støtte" kan ikke bruges som id: brug kun små bogstaver a-z, tal og '
     'enkelte bindestreger (skriv æ, ø, å som ae, oe, aa), fx "stoette"'),
])
def test_reserved_existing_or_invalid_id_is_refused(project, standard_id, message):
    shipped = (project / "content/standards/aktivitets-og-samvaerstilbud/standard.yaml"
               ).read_bytes()
    with pytest.raises(ImportRefused) as caught:
        import_file(project, IMPORT / "standard.docx", standard_id)
    assert str(caught.value).startswith(message)
    assert (project / "content/standards/aktivitets-og-samvaerstilbud/standard.yaml"
            ).read_bytes() == shipped
    assert not (project / "content/standards" / standard_id).exists() or \
        standard_id == "aktivitets-og-samvaerstilbud"


def test_import_never_overwrites_its_own_earlier_draft(project):
    import_file(project, IMPORT / "standard.docx", "udkast")
    first = (project / "content/standards/udkast/standard.yaml").read_bytes()
    with pytest.raises(ImportRefused, match="findes allerede"):
        import_file(project, IMPORT / "standard.html", "udkast")
    assert (project / "content/standards/udkast/standard.yaml").read_bytes() == first
    assert not list((project / "content").glob(".import-*"))


def test_hostile_web_page_reaches_the_draft_as_text_only(project, tmp_path):
    page = tmp_path / "ond.html"
    page.write_text(
        "<html><body><main><h1>Ond side</h1><p>Kvalitetsstandard for test</p>"
        "<h2>Hvad er formålet?</h2>"
        '<p>Tekst med <a href="javascript:alert(1)">et farligt link</a> og '
        '<a href="/relativ/side">et relativt link</a> og <img src=x onerror=alert(1)>.</p>'
        "<p>Skrevet som &lt;script&gt;alert(1)&lt;/script&gt; og {: onclick=\"x\"} og "
        "![billede](https://x.dk/a.png) og [link](javascript:x) og 1) tal.</p>"
        "<p>Serviceloven § 85 gælder, og teksten fylder mere end nogle få ord her.</p>"
        "<script>alert(1)</script><iframe src=https://x.dk></iframe>"
        "</main></body></html>", "utf-8")
    imported = import_file(project, page, "ond")
    data = draft_of(project, imported)
    assert_safe_markdown(data)
    body = data["sections"][0]["body"]
    assert "javascript" not in body.replace("\\", "").replace("[link](javascript:x)", "")
    assert "et farligt link" in body and "et relativt link" in body
    assert "&lt;script>alert(1)&lt;/script>" in body
    assert "linket «et farligt link» til «javascript:alert(1)» er ikke taget med" in \
        imported.report
    assert "linket «et relativt link» til «/relativ/side» er ikke taget med" in imported.report
    checked_site(project)


# --- the YAML a draft is written as -------------------------------------------------------

TRICKY = ["NO", "yes", "on", "~", "null", "10:30", "0700", "2024-01-01", "1.5", "+4512345678",
          "Klub #85", "- punkt", ": kolon", "a: b", '"citat"', "'citat'", "@navn", "`kode`",
          "*stjerne", "&og", "!vigtigt", "% procent", "[klamme]", "{tuborg}", "| streg",
          "> større", "? spørgsmål", "slutter med kolon:", " mellemrum før", "æøå § 104"]


@pytest.mark.parametrize("value", TRICKY)
def test_scalars_read_back_as_written(tmp_path, value):
    path = tmp_path / "f.yaml"
    path.write_text(f"title: {scalar(value)}\n", "utf-8")
    findings = Findings()
    data, _ = read_yaml(path, "f.yaml", findings)
    assert findings.errors == []
    assert data == {"title": value}
    assert yaml.safe_load(path.read_text("utf-8")) == {"title": value}  # YAML 1.1 agrees


def test_drafts_read_back_through_the_projects_reader(project):
    for name in FIXTURE_FILES:
        imported = import_file(project, IMPORT / name, slug(name))
        findings = Findings()
        data, _ = read_yaml(project / imported.standard_file, imported.standard_file, findings)
        assert findings.errors == [] and findings.advice == []
        assert data == draft_of(project, imported)  # every value text, as YAML 1.1 reads it
        m.Standard.model_validate(data)


# --- ids ----------------------------------------------------------------------------------

@pytest.mark.parametrize("title, expected", [
    ("Hvem kan få støtten?", "hvem-kan-faa-stoetten"),
    ("Ældre og særlige behov", "aeldre-og-saerlige-behov"),
    ("Særligt vedr. folkepensionister", "saerligt-vedr-folkepensionister"),
    ("Café & værested", "cafe-og-vaerested"),
    ("Hvad sker der, når jeg fylder 67 år – og hvad så bagefter?",
     "hvad-sker-der-naar-jeg-fylder"),
    ("§ 85", "85"),
])
def test_ids_by_the_contracts_transliteration(title, expected):
    assert unique_id(title, set()) == expected
    assert m.check_id(slug(title))


def test_ids_are_unique_and_never_empty():
    taken: set[str] = set()
    made = []
    for title in ["Formål", "Formål", "Formål", "???"]:
        made.append(unique_id(title, taken))
        taken.add(made[-1])
    assert made == ["formaal", "formaal-2", "formaal-3", "afsnit"]


# --- a real build -------------------------------------------------------------------------

def test_drafts_build_strictly(tmp_path):
    project = make_project(tmp_path / "project")
    for name, standard_id in (("standard.docx", "fra-word"), ("standard.html", "fra-web")):
        import_file(project, IMPORT / name, standard_id)
    import_file(project, SEED, "fra-seed")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output, result.output
    page = (tmp_path / "site" / "fra-word" / "index.html").read_text("utf-8")
    assert 'id="hvem-kan-faa-stoetten"' in page and "<table" in page and "<ol>" in page
    shutil.rmtree(tmp_path / "site")


# --- the handbook -------------------------------------------------------------------------

HANDBOOK = ROOT / "handbog" / "README.md"


def _quoted(marker: str) -> list[str]:
    text = HANDBOOK.read_text("utf-8")
    block = text.split(f"<!-- {marker} -->\n", 1)[1]
    if block.startswith("```"):
        block = block.split("\n", 1)[1].split("```", 1)[0]
        return [ln for ln in block.splitlines() if ln.strip()]
    return [ln[1:].strip() for ln in block.split("\n\n", 1)[0].splitlines()]


def test_handbook_has_the_import_section():
    text = HANDBOOK.read_text("utf-8")
    assert "## Sådan kommer jeres standarder ind" in text
    assert "[Sådan kommer jeres standarder ind](#sådan-kommer-jeres-standarder-ind)" in text


def test_handbook_quotes_the_real_report(project):
    imported = import_file(project, IMPORT / "standard.docx", "fra-word")
    lines = imported.report.splitlines()
    for line in _quoted("importrapport"):
        assert line in lines


def test_handbook_quotes_the_real_messages(project, tmp_path, capsys):
    cli.main(["--root", str(project), "ny-standard", "botilbud"])
    with pytest.raises(ContentError) as caught:
        checked_site(project)
    assert _quoted("udfyld")[0] in [str(e) for e in caught.value.errors]
    capsys.readouterr()
    cli.main(["--root", str(project), "import", str(_bad(tmp_path, "scannet"))])
    assert _quoted("import-nej") == [capsys.readouterr().err.strip()]
