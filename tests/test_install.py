"""Installs are reproducible: the lock files pin every package pyproject.toml asks for, and every
installer (make, the GitHub and GitLab workflows) installs from them; one scheduled job tries the newest."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", re.M)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    found = {_norm(m[1]): m[2] for m in PIN.finditer(text)}
    listed = re.findall(r"^([A-Za-z0-9._-]+)==", text, re.M)
    assert len(found) == len(listed), f"{name}: a pinned package without its hashes"
    return found


def test_lock_files_pin_every_dependency_within_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime, test = pins("requirements.txt"), pins("requirements-test.txt")
    build = project["build-system"]["requires"]
    for spec, lock in [*((s, runtime) for s in [*project["project"]["dependencies"], *build]),
                       *((s, test) for s in project["project"]["optional-dependencies"]["test"])]:
        req = Requirement(spec)
        name = _norm(req.name)
        assert name in lock, f"{req.name} is not in the lock file: run make lock"
        assert req.specifier.contains(lock[name], prereleases=True), f"{req.name}=={lock[name]} is outside {req.specifier}"
    assert {n: v for n, v in test.items() if n in runtime} == runtime  # the tests run what the site is built with


def test_every_installer_uses_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes --no-deps -r requirements-test.txt" in makefile
    action = yaml.safe_load((ROOT / ".github/actions/install/action.yml").read_text(encoding="utf-8"))
    runs = "\n".join(s.get("run", "") for s in action["runs"]["steps"])
    assert 'pip install --require-hashes --no-deps -r "$PROJECT/requirements.txt"' in runs
    assert '"$VENV/bin/pip" install --quiet --require-hashes --no-deps -r "$PROJECT/requirements.txt"' in runs
    assert 'pip install --no-deps --no-build-isolation -e "$PROJECT"' in runs
    assert action["inputs"]["project"]["default"] == "."
    for path in (ROOT / ".github/workflows").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        assert "pip install" not in text.replace("make test-newest", ""), path.name
        if "huiyin " in text:
            assert "uses: ./.github/actions/install" in text, path.name
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["default"]["before_script"][0] == "pip install --require-hashes --no-deps -r requirements.txt"
    assert gitlab["default"]["cache"]["key"]["files"] == ["requirements.txt"]


def test_a_scheduled_job_runs_the_suite_with_the_newest_versions():
    workflow = yaml.safe_load((ROOT / ".github/workflows/newest.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] and "workflow_dispatch" in triggers
    (job,) = workflow["jobs"].values()
    assert "make test-newest" in "\n".join(s.get("run", "") for s in job["steps"])
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["newest"]["script"] == ["make test-newest"]
    for name in ("bulletin", "pages"):  # the weekly schedule neither writes bulletins nor publishes
        assert gitlab[name]["rules"][0] == {"if": '$HUIYIN_NEWEST == "1"', "when": "never"}
