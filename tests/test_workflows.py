"""The CI workflows for the portal's own repository pass the linters and keep the security rules.

actionlint (with shellcheck for run: scripts) and check-jsonschema's vendored GitHub-workflow and GitLab-CI
schemas lint the files offline; the rules below are the ones the linters cannot know.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main

from .conftest import in_ci

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
GITHUB = {name: WORKFLOWS / f"{name}.yml" for name in ("pr", "publish", "bulletin", "newest")}
GITLAB = ROOT / ".gitlab-ci.yml"


def _tool(name: str) -> str:
    """A command-line tool from the virtualenv or PATH; missing fails in CI, skips elsewhere."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        message = f"{name} is not installed (pip install -e '.[test]'; shellcheck: apt-get install shellcheck)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def test_actionlint_with_shellcheck():
    actionlint = _tool("actionlint")
    shellcheck = _tool("shellcheck")
    proc = subprocess.run([actionlint, "-shellcheck", shellcheck, "-no-color", *map(str, GITHUB.values())],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("schema,files", [
    ("vendor.github-workflows", list(GITHUB.values())),
    ("vendor.gitlab-ci", [GITLAB]),
])
def test_vendored_json_schemas(schema, files):
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_workflow_runs_pull_request_code_with_write_access():
    for path in GITHUB.values():
        triggers = load(path)["on"]
        assert "pull_request_target" not in triggers and "workflow_run" not in triggers, path.name


def test_pull_request_workflow_is_read_only_and_secret_free():
    text = GITHUB["pr"].read_text(encoding="utf-8")
    wf = load(GITHUB["pr"])
    assert list(wf["on"]) == ["pull_request"]
    assert wf["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in wf["jobs"].values())
    assert "secrets." not in text and "GITHUB_TOKEN" not in text
    checkout = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False and checkout["with"]["fetch-depth"] == 0
    runs = " ".join(s.get("run", "") for s in steps(wf))
    assert "huiyin validate --format github" in runs
    assert 'huiyin check-change --base "origin/$BASE_REF" --head HEAD --actor "$ACTOR"' in runs
    assert "huiyin build" in runs
    upload = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_deploy_workflows_have_minimal_permissions_and_one_queue():
    for name in ("publish", "bulletin"):
        wf = load(GITHUB[name])
        assert wf["permissions"] == {"contents": "read"}, name
        assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}, name
        deploy = wf["jobs"]["deploy"]
        assert deploy["permissions"] == {"pages": "write", "id-token": "write"}, name
        assert deploy["environment"]["name"] == "github-pages"
        assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
        uses = [s.get("uses", "").split("@")[0] for s in steps(wf)]
        assert "actions/upload-pages-artifact" in uses
    publish = load(GITHUB["publish"])
    assert publish["on"]["push"]["branches"] == ["main"]
    assert "permissions" not in publish["jobs"]["build"]


def test_bulletin_workflow_runs_monthly_and_commits_with_the_only_write_token():
    wf = load(GITHUB["bulletin"])
    (cron,) = [c["cron"] for c in wf["on"]["schedule"]]
    assert cron.split()[2] == "1"  # day of month
    assert "workflow_dispatch" in wf["on"]
    job = wf["jobs"]["bulletin"]
    assert job["permissions"] == {"contents": "write"}
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = "\n".join(s.get("run", "") for s in job["steps"])
    assert "huiyin bulletin --catch-up" in runs and "git push" in runs and "huiyin build" in runs


def test_every_job_has_a_timeout_and_no_expression_inside_scripts():
    for path in GITHUB.values():
        wf = load(path)
        for name, job in wf["jobs"].items():
            assert "timeout-minutes" in job, (path.name, name)
            for s in job.get("steps", []):
                assert "${{" not in s.get("run", ""), (path.name, s.get("name"))  # values go through env:
        for s in steps(wf):
            if s.get("uses", "").startswith("actions/checkout@"):
                assert s.get("with", {}).get("fetch-depth") == 0, path.name


def test_gitlab_has_the_same_three_jobs():
    ci = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert ci["variables"]["GIT_DEPTH"] == "0"
    check, pages, bulletin = ci["check"], ci["pages"], ci["bulletin"]
    assert [r["if"] for r in check["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    assert check["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "site/" in check["artifacts"]["paths"]
    script = "\n".join(check["script"])
    assert "huiyin validate --format gitlab" in script and "huiyin check-change" in script and "huiyin build" in script
    assert "HUIYIN_PUSH_TOKEN" not in script
    assert pages["artifacts"]["paths"] == ["public"] and pages["resource_group"] == "pages"
    assert "--site-dir public" in "\n".join(pages["script"])
    assert all("CI_DEFAULT_BRANCH" in r["if"] for r in pages["rules"] if r.get("when") != "never")
    assert any('$CI_PIPELINE_SOURCE == "schedule"' in r["if"] for r in bulletin["rules"])
    assert not any("merge_request_event" in r["if"] for r in bulletin["rules"] + pages["rules"])
    assert "huiyin bulletin --catch-up" in "\n".join(bulletin["script"])


def test_commands_the_workflows_call_exist():
    texts = [p.read_text(encoding="utf-8") for p in [*GITHUB.values(), GITLAB]]
    called = set(re.findall(r"\bhuiyin ([a-z][a-z-]+)", "\n".join(texts)))
    assert called >= {"validate", "check-change", "build", "bulletin"}
    assert called <= set(main.commands), called - set(main.commands)
