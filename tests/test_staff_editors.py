"""Editor and hook support for staff: pre-commit hook, VS Code schema mapping, the staff guide page, the staff list."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml

from generator.build import build
from generator.kinds import KINDS, kind_for_path
from generator.load import check_file
from generator.schema_check import load_schema
from generator.staff.cli import COMMANDS
from generator.staff.matter_cli import matter
from tests.conftest import AS_OF, in_ci
from tests.staffkit import ROOT, STAFF, make_project

GUIDE = ROOT / "site_templates/pages/about/staff-guide.md"


def test_guide_documents_every_staff_command_and_refusal_code():
    text = GUIDE.read_text(encoding="utf-8")
    names = []
    for command in (*COMMANDS, matter):
        sub = getattr(command, "commands", None)
        names += [f"huiyin {command.name} {s}" for s in sub] if sub else [f"huiyin {command.name}"]
    assert names == ["huiyin new case", "huiyin new matter", "huiyin event", "huiyin redact", "huiyin check-change",
                     "huiyin codeowners", "huiyin matter progress", "huiyin matter milestone", "huiyin matter extend",
                     "huiyin matter complete", "huiyin matter survey"]
    for name in names:
        assert name in text, name
    source = "".join(p.read_text(encoding="utf-8") for p in [ROOT / "generator/staff/permissions.py",
                                                             *sorted((ROOT / "generator/duties").glob("*.py"))])
    for code in sorted(set(re.findall(r'"(change-[a-z-]+)"', source))):
        assert f"`{code}`" in text, code
    for etype in load_schema("case.schema.json")["$defs"]["event"]["properties"]["type"]["enum"]:
        assert f"`{etype}`" in text, etype


def test_guide_is_in_the_nav_and_built_into_the_portal(project):
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    about = next(item["关于"] for item in nav if isinstance(item, dict) and "关于" in item)
    assert {"工作人员指南": "about/staff-guide.md"} in about
    (project / "records/staff.yaml").write_text(STAFF, encoding="utf-8")
    site = build(project, as_of=AS_OF, search=False).site_dir
    html = (site / "about/staff-guide/index.html").read_text(encoding="utf-8")
    assert "工作人员指南" in html and "huiyin new case" in html and "<table>" in html
    assert 'class="language-bash' in html  # the example commands are code blocks, not mangled text
    assert html.index("在网页上办理") < html.index("在本机用命令办理")  # the browser path comes first
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)  # the portal links nowhere else
    assert "staff-guide/" in (site / "index.html").read_text(encoding="utf-8")  # linked from the nav


def _schema_fields(node: dict, where: str = ""):
    for name, prop in node.get("properties", {}).items():
        if isinstance(prop, dict):
            yield f"{where}{name}", prop
            yield from _schema_fields(prop, f"{where}{name}.")
            if isinstance(prop.get("items"), dict):
                yield from _schema_fields(prop["items"], f"{where}{name}[].")
    for name, sub in node.get("$defs", {}).items():
        yield from _schema_fields(sub, f"{where}{name}.")


def test_staff_schema_has_chinese_title_and_description_everywhere():
    schema = load_schema("staff.schema.json")
    assert schema["title"] and schema["description"]
    fields = dict(_schema_fields(schema))
    assert {"id", "staff", "member.handle", "member.role", "member.units", "member.git_names", "member.note"} <= set(fields)
    for name, prop in fields.items():
        if "properties" in prop and "title" not in prop:
            continue
        assert re.search(r"[\u4e00-\u9fff]", prop.get("title", "")), name
        assert re.search(r"[\u4e00-\u9fff]", prop.get("description", "")), name
    assert "email" not in json.dumps(schema).lower()  # no field invites an e-mail address


def test_staff_file_is_a_known_kind():
    assert kind_for_path("staff.yaml").name == "staff"
    assert kind_for_path("settings.yaml").name == "settings"
    assert kind_for_path("units/staff.yaml").name == "unit"
    assert kind_for_path("other.yaml") is None


def test_shipped_staff_list_is_valid_and_names_sample_units():
    raw = (ROOT / "records/staff.yaml").read_bytes()
    rf = check_file(raw, "staff.yaml", "records/staff.yaml")
    assert rf.valid, [i.key() for i in rf.issues]
    corpus = yaml.safe_load((ROOT / "generator/sample/corpus.yaml").read_text(encoding="utf-8"))
    units = {u["id"] for u in corpus["units"]}
    members = rf.data["staff"]
    assert {u for m in members for u in m.get("units", ())} <= units
    assert {m["role"] for m in members} == {"clerk", "dispatcher", "administrator"}


def test_vscode_maps_every_schema_to_its_record_folder():
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    schemas = {f"./schemas/{p.name}" for p in (ROOT / "schemas").glob("*.schema.json")}
    assert set(mapping) == schemas == {f"./schemas/{k.schema_file}" for k in KINDS}
    examples = [p.relative_to(ROOT / "tests/fixtures/minimal").as_posix()
                for p in (ROOT / "tests/fixtures/minimal/records").rglob("*.yaml")]
    examples += ["records/staff.yaml", "records/rules.yaml", "records/calendar/2027.yaml", "records/bulletins/2026-10.yaml"]
    for example in examples:
        kind = kind_for_path(example.removeprefix("records/"))
        matched = [schema for schema, globs in mapping.items() if any(fnmatch(example, g) for g in globs)]
        assert matched == [f"./schemas/{kind.schema_file}"], example
    assert "redhat.vscode-yaml" in json.loads((ROOT / ".vscode/extensions.json").read_text())["recommendations"]


def test_pre_commit_hook_config_targets_records():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["huiyin-validate"]["entry"] == "tools/huiyin validate"
    pattern = re.compile(hooks["huiyin-validate"]["files"])
    assert pattern.search("records/cases/2026/03/QH20260302-7KQ2M.yaml") and pattern.search("records/staff.yaml")
    assert not pattern.search("site_templates/main.html") and not pattern.search("records/README.md")
    assert hooks["huiyin-codeowners"]["entry"] == "tools/huiyin codeowners --check"
    assert {h["language"] for h in hooks.values()} == {"script"}  # run from the project, no PATH needed


def test_pre_commit_hook_blocks_a_bad_record(tmp_path):
    tool = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if tool is None:
        if in_ci():
            pytest.fail("pre-commit is not installed (pip install -e '.[test]')")
        pytest.skip("pre-commit is not installed")
    path, repo = _hooked_project(tmp_path)
    run_out = subprocess.run(["huiyin", "codeowners"], cwd=path, env=_env(tmp_path), capture_output=True, text=True)
    assert run_out.returncode == 0, run_out.stderr
    case = path / "records/cases/2026/10/QH20261009-AB3CD.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("一旦着火", "电话13812345678，一旦着火"), encoding="utf-8")
    repo.git.add(A=True)
    result = subprocess.run([tool, "run", "--files", "records/cases/2026/10/QH20261009-AB3CD.yaml"],
                            cwd=path, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "pii-mobile" in result.stdout and "138****5678" in result.stdout and "13812345678" not in result.stdout
    case.write_text(case.read_text(encoding="utf-8").replace("电话13812345678，", ""), encoding="utf-8")
    repo.git.add(A=True)
    result = subprocess.run([tool, "run", "--all-files"], cwd=path, env=_env(tmp_path), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _hooked_project(tmp_path: Path):
    """A project with the hook config, tools/huiyin and a .venv that is this test run's virtualenv."""
    path, repo = make_project(tmp_path)
    shutil.copy(ROOT / ".pre-commit-config.yaml", path / ".pre-commit-config.yaml")
    shutil.copytree(ROOT / "tools", path / "tools")
    (path / ".venv").symlink_to(Path(sys.prefix))
    (path / ".git" / "info" / "exclude").write_text(".venv\n.huiyin-cache/\n", encoding="utf-8")
    return path, repo


def test_commit_hook_finds_the_virtualenv_without_path(tmp_path):
    """As from a Git GUI or VS Code: git commit with a PATH that has no virtualenv on it."""
    tool = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if tool is None:
        if in_ci():
            pytest.fail("pre-commit is not installed (pip install -e '.[test]')")
        pytest.skip("pre-commit is not installed")
    path, repo = _hooked_project(tmp_path)
    assert subprocess.run([tool, "install"], cwd=path, env=_env(tmp_path), capture_output=True).returncode == 0
    bare = {**_env(tmp_path), "PATH": "/usr/bin:/bin"}
    assert shutil.which("huiyin", path=bare["PATH"]) is None
    case = path / "records/cases/2026/10/QH20261009-AB3CD.yaml"
    good = case.read_text(encoding="utf-8")
    case.write_text(good.replace("一旦着火", "电话13812345678，一旦着火"), encoding="utf-8")
    commit = ["git", "-c", "user.name=经办人", "-c", "user.email=clerk@example.invalid", "commit", "-am", "答复"]
    result = subprocess.run(commit, cwd=path, env=bare, capture_output=True, text=True, timeout=180)
    output = result.stdout + result.stderr  # git shows the hook's output on stderr
    assert result.returncode == 1, output
    assert "pii-mobile" in output and "138****5678" in output and "找不到 huiyin" not in output
    case.write_text(good.replace("一旦着火", "据反映一旦着火"), encoding="utf-8")
    result = subprocess.run(commit, cwd=path, env=bare, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hook_wrapper_says_in_chinese_when_there_is_no_virtualenv(tmp_path):
    shutil.copytree(ROOT / "tools", tmp_path / "tools")
    result = subprocess.run(["sh", str(tmp_path / "tools" / "huiyin"), "validate"], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 1 and "找不到 huiyin" in result.stderr


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # huiyin from this virtualenv
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    return env
