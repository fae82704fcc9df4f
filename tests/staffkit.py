"""Shared setup for the staff-editing tests: a temporary Git project with the minimal records and a staff list."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import git
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "minimal" / "records"
AS_OF = "2026-11-21"

STAFF = """\
# yaml-language-server: $schema=../schemas/staff.schema.json
# 测试用名单
id: staff
staff:
  - handle: qh-admin
    role: administrator
    units: [county-government]
  - handle: qh-dispatch
    role: dispatcher
    units: [county-government]
  - handle: qh-transport
    git_names: [交通局小李]
    role: clerk
    units: [county-transport]
  - handle: qh-hefeng
    git_names: [禾丰镇小王]
    role: clerk
    units: [hefeng-town]
"""


def make_project(tmp: Path, staff: str | None = STAFF, rules: bool = True) -> tuple[Path, git.Repo]:
    """records/ (minimal fixture + staff.yaml + the real rules.yaml), schemas/ and mkdocs.yml in a fresh Git repo, committed on main."""
    project = tmp / "project"
    shutil.copytree(FIXTURE, project / "records")
    shutil.copytree(ROOT / "schemas", project / "schemas")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(ROOT / ".gitignore", project / ".gitignore")
    if staff is not None:
        (project / "records" / "staff.yaml").write_text(staff, encoding="utf-8")
    if rules:
        shutil.copy(ROOT / "records" / "rules.yaml", project / "records" / "rules.yaml")
    repo = git.Repo.init(project, initial_branch="main")
    commit_all(repo, "初始记录", "管理员")
    return project, repo


def commit_all(repo: git.Repo, message: str, author: str = "测试者") -> git.Commit:
    """Stage everything (deletions included) and commit under a given author name."""
    repo.git.add(A=True)
    actor = git.Actor(author, "")
    return repo.index.commit(message, author=actor, committer=actor)


def branch(repo: git.Repo, name: str, start: str = "main") -> None:
    repo.git.checkout("-b", name, start)


def run(args: list[str], cwd: Path, input: str | None = None):
    """Run the huiyin CLI in cwd (its cache folder goes there too)."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, input=input, catch_exceptions=False)
    finally:
        os.chdir(old)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder and its bytes (to prove nothing was written)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
