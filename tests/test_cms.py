"""Editing in the browser (`kvalitet edit`, which `make edit` runs): Decap CMS with a form for
every content file, configured from the models, saving through a YAML format that keeps the
files as people wrote them, on two servers that listen on 127.0.0.1 only. What the form saves is
checked like any hand-edited file: the preview shows its errors with file and line."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
import yaml

from kvalitet.content import model as m
from kvalitet.outputs import cms
from tests.helpers import ROOT, free_port, make_project, wait_until

ARTIFACTS = ROOT / "test-artifacts"
OPTIONAL = r"( \(kan udelades\))?"  # Decap adds the locale's "optional" to optional labels


def _request(url: str, data: dict | None = None, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, json.dumps(data).encode() if data else None)
    if data:
        request.add_header("Content-Type", "application/json")
    if host:
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


# --- the configuration --------------------------------------------------------------------------

def _walk(fields: list[dict], path: str = ""):
    for field in fields:
        here = f"{path}.{field['name']}"
        yield here, field
        yield from _walk(field.get("fields", []), here)
        if "field" in field:
            yield f"{here}[]", field["field"]


def _by_path(config: dict) -> dict[str, dict]:
    found = {}
    for collection in config["collections"]:
        for entry in collection.get("files", [collection]):
            for path, field in _walk(entry["fields"]):
                found[f"{collection['name']}{path}"] = field
    return found


def test_the_form_is_made_from_the_models():
    config = cms.config()
    fields = _by_path(config)
    assert config["locale"] == "da"
    assert [c["name"] for c in config["collections"]] == [
        "kommunen", "ordforklaring", "standarder", "tilbud", "omdirigeringer"]
    assert {c["format"] for c in config["collections"]} == {"yaml-keep"}
    # every field labelled in Danish, with the model's description as its hint
    assert all(f["label"] and f["label"] != f["name"] or f["name"] == "id"
               for f in fields.values())
    assert fields["tilbud.offers.phone"]["hint"] == m.Offer.model_fields["phone"].description
    # required exactly when the model requires it; a yes/no question must be answered
    assert fields["tilbud.offers.name"]["required"] is True
    assert fields["tilbud.offers.phone"]["required"] is False
    referral = fields["tilbud.offers.referral"]
    assert referral | {"widget": "kv-janej", "required": True} == referral
    assert [o["value"] for o in referral["options"]] == [True, False]
    assert fields["ordforklaring.terms.official"]["required"] is False
    assert fields["standarder.sections"]["min"] == 1
    # ids with the model's pattern and a Danish message
    pattern, message = fields["ordforklaring.terms.id"]["pattern"]
    assert pattern == m.ID_PATTERN and message.startswith("Brug kun små bogstaver")
    assert re.fullmatch(pattern, "perron-4") and not re.fullmatch(pattern, "Perron 4")
    # references as relation widgets over the list they point into
    see_also = fields["ordforklaring.terms.see_also"]
    assert see_also | {"widget": "relation", "collection": "ordforklaring",
                       "value_field": "terms.*.id", "multiple": True} == see_also
    assert fields["tilbud.offers.areas"]["value_field"] == "areas.*.id"
    assert fields["tilbud.offers.group"]["multiple"] is False
    assert fields["standarder.apply.contacts"]["value_field"] == "contacts.*.id"
    assert fields["standarder.glossary.term_id"]["collection"] == "ordforklaring"
    # week days as a select, in Danish
    days = fields["tilbud.offers.opening_hours.days"]
    assert days["widget"] == "select" and days["multiple"] is True
    assert [o["label"] for o in days["options"]][:4] == ["Mandag", "Tirsdag", "Onsdag", "Torsdag"]
    assert [o["value"] for o in days["options"]] == list(m.DAYS)
    # Markdown without HTML, images or other blocks; sections and sub-sections as lists
    body = fields["standarder.sections.subsections.body"]
    assert body["widget"] == "markdown" and body["editor_components"] == []
    assert "Ingen HTML" in body["hint"]
    assert fields["standarder.sections"]["widget"] == "list"
    assert fields["standarder.sections.subsections"]["widget"] == "list"
    # the guide is left to YAML; the standards are a folder collection of standard.yaml only
    assert not any("questions" in p for p in fields)
    standards = config["collections"][2]
    assert (standards["folder"], standards["path"]) == ("content/standards", "{{slug}}/standard")
    assert standards["filter"] == {"field": "__schema", "value": "standard"}
    # every field of every model the CMS shows is there
    for name, field in m.Offer.model_fields.items():
        assert f"tilbud.offers.{field.alias or name}" in fields


def _texts(node):
    """Every label, hint, message and option label of the configuration, with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("label", "hint", "label_singular", "description") and \
                    isinstance(value, str):
                yield key, value
            elif key == "pattern":
                yield key, value[1]
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def test_nothing_is_chosen_for_the_editor_and_the_form_speaks_danish():
    """No field fills in a value by itself (a default the editor never chose: a new offer was
    saved as "Kræver visitation"), and no label, hint or answer shows a key of the file format
    or a YAML value (English) instead of Danish."""
    config = cms.config()
    defaults = [path for path, field in _by_path(config).items() if "default" in field]
    assert defaults == []
    keys = {info.alias or name for model in m.FILE_MODELS.values() for item in _models(model)
            for name, info in item.model_fields.items()}
    english = (keys - {"id", "to", "note"}) | {"true", "false", "yes", "no", "null", "yaml"}
    found = [(where, text) for where, text in _texts(config["collections"])
             if set(re.findall(r"[a-z_]+", text)) & english]
    assert found == []
    # the check finds what it looks for
    assert set(re.findall(r"[a-z_]+", "true, hvis det kræver visitation")) & english


def _models(model):
    """A model and every model inside it."""
    yield model
    for info in model.model_fields.values():
        inner = m.item_type(info.annotation)
        if isinstance(inner, type) and issubclass(inner, m.Model):
            yield from _models(inner)


def test_a_new_key_without_a_danish_label_cannot_reach_the_form(monkeypatch):
    labels = dict(cms.LABELS)
    del labels["Offer.kind"]
    monkeypatch.setattr(cms, "LABELS", labels)
    with pytest.raises(KeyError, match="Offer.kind"):
        cms.config()


def test_the_yaml_format_keeps_the_files_as_written(tmp_path):
    """The Node tests of yaml-keep (unchanged files byte for byte, minimal edits, times quoted,
    odd strings), then its output for tricky strings read back by PyYAML and the engine's
    reader."""
    out = tmp_path / "cross"
    result = subprocess.run(["node", "--test", "tests/js/yaml_keep.test.mjs"], cwd=ROOT,
                            capture_output=True, text=True,
                            env={**os.environ, "YAML_KEEP_CROSSCHECK": str(out)})
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    assert re.search(r"^# pass (\d+)", result.stdout, re.M).group(1) == "24"
    want = json.loads(out.with_suffix(".json").read_text("utf-8"))
    text = out.with_suffix(".yaml").read_text("utf-8")
    for loader in (yaml.CSafeLoader, yaml.SafeLoader):
        assert yaml.load(text, Loader=loader)["offers"][0] == want
    from kvalitet.content.reader import read_yaml
    from kvalitet.problems import Findings

    findings = Findings()
    data, _ = read_yaml(out.with_suffix(".yaml"), "offers.yaml", findings)
    assert findings.errors == []
    picked = lambda d: {k: v for k, v in d.items() if re.fullmatch(r"k\d+", k)}  # noqa: E731
    assert picked(data["offers"][0]) == picked(want) and len(picked(want)) > 50


def test_an_admin_for_a_git_host_has_no_local_backend(tmp_path, shipped):
    for host, workflow in (("github", True), ("gitlab", True), ("gitea", False), ("azure", False)):
        dest = tmp_path / host / "admin"
        result = subprocess.run(
            [sys.executable, "-m", "kvalitet.cli", "cms", str(dest), "--backend", host, "--repo",
             "kommune/kvalitet"], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        config = yaml.safe_load((dest / "config.yml").read_text("utf-8"))
        assert config["backend"]["name"] == host and "local_backend" not in config
        assert "proxy_url" not in config["backend"]
        assert (config["publish_mode"] == "editorial_workflow") is workflow
        assert (dest / "decap" / "decap-cms.js").is_file()
        assert (dest / "yaml" / "index.js").is_file()
        assert not list(dest.rglob("*.map"))
        assert 'name="robots" content="noindex' in (dest / "index.html").read_text("utf-8")
    # the published site has no /admin/ at all, nor a trace of it in the sitemap or search
    assert not (shipped / "admin").exists()
    assert "admin" not in (shipped / "sitemap.xml").read_text("utf-8")
    assert not list(shipped.rglob("decap-cms.js"))


# --- the local servers --------------------------------------------------------------------------

@contextlib.contextmanager
def edit_servers(folder, env: dict | None = None):
    """`kvalitet edit` on a copy of the shipped project in ``folder``; its terminal output in a
    file. Stopped with SIGTERM, as a closed terminal or a service manager would."""
    project = make_project(folder / "p")
    shutil.copytree(ROOT / "schemas", project / "schemas")  # for the editor-completion check
    (project / "tools").symlink_to(ROOT / "tools")
    port, cms_port = free_port(), free_port()
    log = folder / "edit.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kvalitet.cli", "edit", "--port", str(port), "--cms-port",
             str(cms_port)], stdout=out, stderr=subprocess.STDOUT, cwd=project,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
            start_new_session=True)  # its own process group, as in a terminal (Ctrl+C)
    preview, admin = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{cms_port}"
    try:
        assert wait_until(lambda: _request(preview + "/tilbud/")[0] == 200
                          and _request(admin + "/admin/")[0] == 200, 60), log.read_text()
        yield {"project": project, "preview": preview, "admin": admin + "/admin/", "log": log,
               "ports": (port, cms_port), "process": process}
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def editing(tmp_path):
    """`kvalitet edit` on a copy of the shipped project; its terminal output in a file."""
    with edit_servers(tmp_path) as servers:
        yield servers


def test_both_servers_listen_on_loopback_only_and_guard_the_files(editing):
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=True).stdout
    for port in editing["ports"]:
        local = [line.split()[3] for line in listening.splitlines()
                 if line.split()[3].rsplit(":", 1)[1] == str(port)]
        assert local == [f"127.0.0.1:{port}"], listening
    api = editing["admin"].replace("/admin/", "/api/v1")
    # a page on another site whose name resolves to 127.0.0.1 is refused
    entry = {"action": "getEntry", "params": {"branch": "main", "path": "offers.yaml"}}
    assert _request(api, entry, host="kvalitet.example:80")[0] == 421
    assert _request(api, entry)[0] == 200
    # a save may write only the content files the CMS edits
    project = editing["project"]
    before = (project / "mkdocs.yml").read_text("utf-8")
    for action, params in (
        ("persistEntry", {"branch": "main", "dataFiles": [{"path": "mkdocs.yml", "raw": "x",
                                                           "slug": "x"}], "assets": [],
                          "options": {}}),
        ("persistEntry", {"branch": "main", "dataFiles": [{
            "path": "content/standards/aktivitets-og-samvaerstilbud/versions/2020-01-01.yaml",
            "raw": "x", "slug": "x"}], "assets": [], "options": {}}),
        ("persistMedia", {"branch": "main", "asset": {"path": "content/media/x.png",
                                                      "content": "eA==", "encoding": "base64"},
                          "options": {}}),
        ("deleteFile", {"branch": "main", "path": "offers.yaml", "options": {}}),
    ):
        status, body = _request(api, {"action": action, "params": params})
        assert status in (403, 422) and "error" in json.loads(body), (action, body)
    assert (project / "mkdocs.yml").read_text("utf-8") == before
    assert (project / "offers.yaml").exists()
    assert not (project / "content" / "standards" / "aktivitets-og-samvaerstilbud"
                / "versions").exists()
    assert "Redigér i browseren: http://127.0.0.1:" in editing["log"].read_text("utf-8")


# --- in the browser -----------------------------------------------------------------------------

def _field(scope, label: str):
    return scope.get_by_label(re.compile(f"^{re.escape(label)}{OPTIONAL}$"))


def _list(page, scope, label: str):
    """A list widget, by its own label (the first label of its container)."""
    return scope.locator('[aria-label="list field"]').filter(has=page.locator(
        ":scope > div > label", has_text=re.compile(f"^{re.escape(label)}{OPTIONAL}$"))).first


def _items(lst):
    return lst.locator('[class*="SortableListItem"]')


def _open(item) -> None:
    """Unfold a list item (the first button of its top bar)."""
    item.locator('[class*="StyledListItemTopBar"]').first.locator("button").first.click()


def _save(page) -> None:
    """Locally the form saves: "Gem", then "Gem nu" (Decap's "Publicer" and "Publicer nu")."""
    page.get_by_role("button", name="Gem", exact=True).click()
    page.get_by_role("menuitem", name="Gem nu").click()


def open_form(browser, address: str):
    """The CMS at ``address``, logged in, in a new browser context whose page records every
    request that leaves 127.0.0.1 (``page.left_loopback``) and every console error."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    page = context.new_page()
    page.left_loopback = []
    page.errors = []

    def watch(request):
        # Recorded, not routed: a Playwright route on every request held some of the form's
        # API requests for a minute (Decap then gave up: "Request timed out after 60 seconds").
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            page.left_loopback.append(request.url)

    context.on("request", watch)
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.goto(address)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("link", name="Indhold")).to_be_visible()
    expect(page.get_by_role("heading", name="Samlinger")).to_be_visible()
    expect(page.get_by_text("Kommunen og kontakter", exact=True)).to_be_visible()
    return page


@pytest.fixture
def admin(editing, browser):
    """The CMS, logged in, in a page that records every request that leaves 127.0.0.1."""
    page = open_form(browser, editing["admin"])
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cms-samlinger.png"),
                    clip={"x": 0, "y": 0, "width": 1280, "height": 480})
    yield page
    assert page.left_loopback == []
    page.context.close()


@pytest.mark.browser
def test_an_editor_adds_a_phone_and_opening_hours_to_perron_4(editing, admin):
    from playwright.sync_api import expect

    from tests.yaml_lsp import diagnostics

    page, project = admin, editing["project"]
    offers_file = project / "offers.yaml"
    before_text = offers_file.read_text("utf-8")
    before = yaml.safe_load(before_text)
    page.get_by_role("link", name="Tilbud", exact=True).first.click()
    page.get_by_text("Tilbud, grupper og områder", exact=True).click()
    expect(page.get_by_role("button", name="Gemt", exact=True)).to_be_visible()
    offers = _list(page, page, "Tilbud")
    perron = _items(offers).filter(has_text="Perron 4").first
    _open(perron)
    expect(_field(perron, "Id")).to_have_value("perron-4")
    _field(perron, "Telefon").fill("89 15 15 15")
    hours = _list(page, perron, "Åbningstider")
    hours.get_by_role("button", name="Tilføj åbningstid").click()
    slot = _items(hours).last
    days = _field(slot, "Ugedage")
    for day in ("Mandag", "Tirsdag", "Onsdag", "Torsdag"):
        days.fill(day)
        page.keyboard.press("Enter")
    _field(slot, "Åbner").fill("9")
    _field(slot, "Lukker").fill("15")
    ARTIFACTS.mkdir(exist_ok=True)
    perron.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "cms-tilbud-perron-4.png"))
    _save(page)
    expect(page.get_by_text("Dokumentet er gemt")).to_be_visible(timeout=15000)

    # on disk: exactly that change, read as data; the file's schema line kept
    after_text = offers_file.read_text("utf-8")
    expected = copy.deepcopy(before)
    entry = next(o for o in expected["offers"] if o["id"] == "perron-4")
    entry |= {"phone": "89 15 15 15",
              "opening_hours": [{"days": ["mon", "tue", "wed", "thu"], "opens": "9",
                                 "closes": "15"}]}
    assert yaml.safe_load(after_text) == expected
    assert after_text.splitlines()[0] == before_text.splitlines()[0] == \
        "# yaml-language-server: $schema=schemas/offers.schema.json"
    changed = [line for line in after_text.splitlines() if line not in before_text.splitlines()]
    assert changed == ['    phone: 89 15 15 15', '    opening_hours:',
                       '      - days: [mon, tue, wed, thu]', '        opens: "9"',
                       '        closes: "15"']
    assert diagnostics([offers_file]) == {offers_file.resolve(): []}  # completion still works
    check = subprocess.run([sys.executable, "-m", "kvalitet.cli", "check"], cwd=project,
                           capture_output=True, text=True)
    assert check.returncode == 0 and "ingen fejl" in check.stdout, check.stdout + check.stderr

    # the preview rebuilt the offer's page
    view = page.context.new_page()

    def shown() -> bool:
        view.goto(editing["preview"] + "/tilbud/perron-4/")
        return "Mandag–torsdag kl. 9.00–15.00" in view.inner_text("main")

    assert wait_until(shown, 30)
    assert view.locator('main a[href="tel:89151515"]').count() == 1
    view.close()


@pytest.mark.browser
def test_an_invalid_id_in_a_new_glossary_term_gets_a_danish_message(editing, admin):
    from playwright.sync_api import expect

    page, project = admin, editing["project"]
    before = (project / "content" / "glossary.yaml").read_text("utf-8")
    page.goto(editing["admin"] + "#/collections/ordforklaring/entries/ordforklaring")
    terms = _list(page, page, "Ord")
    terms.get_by_role("button", name="Tilføj ord").first.click()
    new = _items(terms).last
    _field(new, "Id").fill("Nyt Ord")
    _field(new, "Ord").fill("Nyt ord")
    new.locator("textarea, [contenteditable=true]").first.fill("En forklaring.")
    _save(page)
    error = new.locator('[class*="ControlErrorsList"] li').first
    expect(error).to_be_visible()
    assert error.inner_text().lower().startswith("brug kun små bogstaver a-z, tal og enkelte "
                                                 "bindestreger")
    error.scroll_into_view_if_needed()
    page.mouse.wheel(0, -200)
    time.sleep(0.5)
    page.screenshot(path=str(ARTIFACTS / "cms-ordforklaring-forkert-id.png"))
    time.sleep(1)
    assert (project / "content" / "glossary.yaml").read_text("utf-8") == before


@pytest.mark.browser
def test_what_the_form_cannot_see_shows_on_the_preview_error_page(editing, admin):
    """Closing before opening passes every field's pattern; the same check as for a file edited
    by hand finds it, and the preview's error page names the file and the line."""
    from playwright.sync_api import expect

    page = admin
    page.goto(editing["admin"] + "#/collections/tilbud/entries/tilbud")
    klub = _items(_list(page, page, "Tilbud")).filter(has_text="Klub 85").first
    _open(klub)
    hours = _list(page, klub, "Åbningstider")
    hours.get_by_role("button", name="Tilføj åbningstid").click()
    slot = _items(hours).last
    _field(slot, "Ugedage").fill("Fredag")
    page.keyboard.press("Enter")
    _field(slot, "Åbner").fill("15")
    _field(slot, "Lukker").fill("9")
    _save(page)
    expect(page.get_by_text("Dokumentet er gemt")).to_be_visible(timeout=15000)
    lines = (editing["project"] / "offers.yaml").read_text("utf-8").splitlines()
    line = lines.index('        opens: "15"') + 1
    view = page.context.new_page()

    def error_shown() -> bool:
        response = view.goto(editing["preview"] + "/tilbud/klub-85/")
        return response.status == 500

    assert wait_until(error_shown, 30)
    text = view.inner_text("body")
    assert re.search(rf"offers\.yaml, linje {line - 1}|offers\.yaml, linje {line}", text), text
    assert "lukketiden 9.00 ligger ikke efter åbningstiden 15.00" in text
    view.set_viewport_size({"width": 1000, "height": 700})
    view.screenshot(path=str(ARTIFACTS / "cms-fejl-i-forhaandsvisningen.png"))
    view.close()


@pytest.mark.browser
def test_a_word_changed_in_a_sub_section_changes_only_its_line(editing, admin):
    from playwright.sync_api import expect

    page, project = admin, editing["project"]
    file = project / "content/standards/aktivitets-og-samvaerstilbud/standard.yaml"
    before = file.read_text("utf-8")
    page.goto(editing["admin"] + "#/collections/standarder")
    page.get_by_text("Aktivitets- og samværstilbud", exact=True).first.click()
    sections = _list(page, page, "Afsnit")
    target = _items(sections).filter(has_text="Hvem omfatter denne støtte?").first
    _open(target)
    subsections = _list(page, target, "Underafsnit")
    sub = _items(subsections).first
    _open(sub)
    body = sub.locator('[data-slate-editor="true"], textarea').last
    body.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "cms-standard-underafsnit.png"))
    body.click()
    page.keyboard.press("Control+End")
    page.wait_for_timeout(200)
    page.keyboard.type(" Tilføjet.")
    _save(page)
    expect(page.get_by_text("Dokumentet er gemt")).to_be_visible(timeout=15000)
    after = file.read_text("utf-8")
    new = [line for line in after.splitlines() if line not in before.splitlines()]
    gone = [line for line in before.splitlines() if line not in after.splitlines()]
    # one line changed, by exactly the typed words (wherever the cursor was in it)
    assert len(new) == len(gone) == 1, (new, gone)
    assert new[0].replace(" Tilføjet.", "", 1) == gone[0], (new, gone)


def test_the_handbook_shows_the_form_with_screenshots():
    handbook = (ROOT / "handbog" / "README.md").read_text("utf-8")
    section = handbook.split("## Redigér i browseren", 1)[1].split("\n## ", 1)[0]
    images = re.findall(r"!\[([^\]]+)\]\((billeder/[^)]+\.png)\)", section)
    assert len(images) >= 4
    for alt, path in images:
        assert len(alt) > 20 and (ROOT / "handbog" / path).stat().st_size > 10_000

