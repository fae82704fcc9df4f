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
    for checkout in (s for s in steps(wf) if s.get("uses", "").startswith("actions/checkout@")):
        assert checkout["with"]["persist-credentials"] is False and checkout["with"]["fetch-depth"] == 0
    check = wf["jobs"]["check"]
    runs = " ".join(s.get("run", "") for s in check["steps"])
    assert "huiyin validate --format github" in runs and "huiyin build" in runs and "huiyin codeowners --check" in runs
    assert "check-change" not in runs  # the pull request's own code never judges its permissions
    upload = next(s for s in check["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_permission_check_runs_the_target_branchs_code_and_never_the_pull_requests():
    job = load(GITHUB["pr"])["jobs"]["permissions"]
    uses = [s.get("uses", "") for s in job["steps"]]
    assert "./.github/actions/install" not in uses  # nothing of the pull request is installed
    (trusted,) = [s for s in job["steps"] if s.get("with", {}).get("path") == ".trusted"]
    assert trusted["uses"].startswith("actions/checkout@") and trusted["with"]["ref"] == "${{ github.base_ref }}"
    (install,) = [s for s in job["steps"] if s.get("uses") == "./.trusted/.github/actions/install"]
    assert install["with"] == {"project": ".trusted", "venv": "${{ runner.temp }}/trusted"}
    (run,) = [s for s in job["steps"] if "run" in s]
    assert run["run"] == '.trusted/.ci/trusted-check "origin/$BASE_REF" --actor "$ACTOR" --format github'
    assert run["env"]["ACTOR"] == "${{ github.event.pull_request.user.login }}"  # the author, not the last pusher
    assert run["env"]["HUIYIN_TRUSTED_PYTHON"] == "${{ runner.temp }}/trusted/bin/python"
    assert not any(s.get("run", "").startswith("huiyin") for s in job["steps"])


def test_gitlab_permission_job_runs_the_target_branchs_code_for_the_merge_request_author():
    text = GITLAB.read_text(encoding="utf-8")
    job = yaml.safe_load(text)["permissions"]
    assert job["before_script"] == [] and job["cache"] == []  # nothing of the merge request is installed or cached
    assert [r["if"] for r in job["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    script = "\n".join(job["script"])
    assert 'git archive "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" | tar -x -C .trusted' in script
    assert "--require-hashes --no-deps -r .trusted/requirements.txt" in script
    assert ('HUIYIN_TRUSTED_PYTHON=/tmp/trusted/bin/python .trusted/.ci/trusted-check '
            '"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" --actor-from gitlab') in script
    scripts = "\n".join(line for v in yaml.safe_load(text).values() if isinstance(v, dict) for line in v.get("script", ()))
    assert "GITLAB_USER_LOGIN" not in scripts  # whoever started the pipeline is not the author
    assert "check-change" not in "\n".join(yaml.safe_load(text)["check"]["script"])


def test_trusted_check_script_passes_shellcheck_and_runs_only_code_beside_it():
    shellcheck = _tool("shellcheck")
    script = ROOT / ".ci" / "trusted-check"
    proc = subprocess.run([shellcheck, str(script)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = script.read_text(encoding="utf-8")
    assert 'PYTHONPATH="$trusted" PYTHONSAFEPATH=1 "$python" -m generator.cli' in text
    assert 'huiyin check-change --base "$base" --head HEAD "$@"' in text
    assert 'huiyin bulletin --verify-changed "$base" --no-cache' in text


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
    assert "huiyin validate --format gitlab" in script and "huiyin build" in script
    assert "trusted-check" in "\n".join(ci["permissions"]["script"])
    assert "HUIYIN_PUSH_TOKEN" not in script
    assert pages["artifacts"]["paths"] == ["public"] and pages["resource_group"] == "pages"
    assert "--site-dir public" in "\n".join(pages["script"])
    assert all("CI_DEFAULT_BRANCH" in r["if"] for r in pages["rules"] if r.get("when") != "never")
    assert any('$CI_PIPELINE_SOURCE == "schedule"' in r["if"] for r in bulletin["rules"])
    assert not any("merge_request_event" in r["if"] for r in bulletin["rules"] + pages["rules"])
    assert "huiyin bulletin --catch-up" in "\n".join(bulletin["script"])


def test_commands_the_workflows_call_exist():
    texts = [p.read_text(encoding="utf-8") for p in [*GITHUB.values(), GITLAB, ROOT / ".ci" / "trusted-check"]]
    called = set(re.findall(r"\bhuiyin ([a-z][a-z-]+)", "\n".join(texts)))
    assert called >= {"validate", "check-change", "build", "bulletin"}
    assert called <= set(main.commands), called - set(main.commands)


def test_deploy_jobs_keep_the_build_cache_and_publish_only_changes():
    """The last site and the parse cache are restored before every deploy build (the build then renders only what
    changed); an optional huiyin publish uploads only changed files to a web server or object storage."""
    for name in ("publish", "bulletin"):
        wf = load(GITHUB[name])
        job = next(iter(j for j in wf["jobs"].values() if any("huiyin build" in s.get("run", "") for s in j["steps"])))
        uses = [s.get("uses", "").split("@")[0] for s in job["steps"]]
        cache = job["steps"][uses.index("actions/cache")]
        assert set(cache["with"]["path"].split()) == {".huiyin-cache", "site"}, name
        assert cache["with"]["restore-keys"] == "huiyin-site-"
        build = next(i for i, s in enumerate(job["steps"]) if "huiyin build" in s.get("run", ""))
        assert uses.index("actions/cache") < build < uses.index("./.github/actions/publish-elsewhere"), name
    action = (ROOT / ".github" / "actions" / "publish-elsewhere" / "action.yml").read_text(encoding="utf-8")
    assert 'huiyin publish "$PUBLISH_TO" --with "$PUBLISH_WITH"' in action
    pages = load(GITLAB)["pages"]
    assert {"key": "huiyin-site", "paths": [".huiyin-cache", "public"]} in pages["cache"]
    assert any("huiyin publish" in line for line in pages["script"])
