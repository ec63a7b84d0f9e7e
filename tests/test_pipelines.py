"""The pipelines in the repository (.github/workflows/, .gitlab-ci.yml): valid by the GitHub
workflow and GitLab CI schemas that check-jsonschema carries (offline), and doing what the
handbook promises: check, build, lock the new addresses, deploy, check the live site; every
night after midnight Danish time."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.helpers import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
GITLAB = ROOT / ".gitlab-ci.yml"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def validate(schema: str, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def runs(job: dict) -> str:
    """Every shell line of a job (GitHub steps or GitLab script)."""
    if "steps" in job:
        return "\n".join(step.get("run", "") for step in job["steps"])
    return "\n".join(job.get("before_script", []) + job.get("script", []))


def test_the_workflows_are_valid_github_workflows():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} == {"publish.yml", "nightly.yml", "check.yml"}
    result = validate("vendor.github-workflows", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_gitlab_pipeline_is_valid():
    result = validate("vendor.gitlab-ci", GITLAB)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("schema, text", [
    ("vendor.github-workflows", "on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n"
                                "    steps: run make\n"),
    ("vendor.gitlab-ci", "pages:\n  script: make\n  artifact:\n    paths: [public]\n"),
])
def test_the_validators_refuse_a_broken_pipeline(schema, text, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(text, "utf-8")
    assert validate(schema, broken).returncode != 0


def test_github_publishes_checks_locks_deploys_and_verifies():
    workflow = load(WORKFLOWS / "publish.yml")
    triggers = workflow[True]  # PyYAML reads the key "on" as True
    assert triggers["push"]["branches"] == ["main"] and "workflow_call" in triggers
    build, deploy, verify = (workflow["jobs"][name] for name in ("build", "deploy", "verify"))
    shell = runs(build)
    assert shell.index("kvalitet check") < shell.index("kvalitet build") < shell.index(
        "git push")
    assert "content/published-links.txt" in shell and "git diff --cached --quiet" in shell
    uses = [step.get("uses", "") for job in (build, deploy) for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert deploy["environment"]["name"] == "github-pages"
    assert verify["needs"] == ["build", "deploy"]
    assert 'kvalitet verify "${{ needs.deploy.outputs.page_url }}"' in runs(verify)
    assert "--wait" in runs(verify)
    assert workflow["permissions"] == {"contents": "write", "pages": "write",
                                       "id-token": "write"}


def test_the_nightly_run_is_after_midnight_in_denmark_all_year():
    nightly = load(WORKFLOWS / "nightly.yml")
    assert nightly["jobs"]["publish"]["uses"] == "./.github/workflows/publish.yml"
    assert "gh workflow enable nightly.yml" in runs(nightly["jobs"]["keep-schedule"])
    (schedule,) = nightly[True]["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"]
    copenhagen = ZoneInfo("Europe/Copenhagen")
    for day in (dt.date(2027, 1, 15), dt.date(2027, 7, 15), dt.date(2027, 3, 28),
                dt.date(2027, 10, 31)):  # winter, summer and both changes of the clock
        utc = dt.datetime.combine(day, dt.time(int(hour), int(minute)), dt.UTC)
        local = utc.astimezone(copenhagen)
        assert local.date() == day + dt.timedelta(days=1) and local.hour < 3, local
    # The schedule lives alone: when GitHub turns it off, pushes still publish.
    assert "schedule" not in load(WORKFLOWS / "publish.yml")[True]


def test_gitlab_publishes_checks_locks_deploys_and_verifies():
    pipeline = load(GITLAB)
    pages = pipeline["pages"]
    shell = runs(pages)
    assert shell.index("kvalitet check") < shell.index("kvalitet build --site-dir public") \
        < shell.index("git push")
    assert "--host-redirects" in shell and "-o ci.skip" in shell
    assert pages["artifacts"]["paths"] == ["public"]
    verify = pipeline["verify"]
    assert verify["needs"] == ["pages"]
    assert 'kvalitet verify "$CI_PAGES_URL" --site public --wait 600' in runs(verify)
    assert pipeline["check"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
