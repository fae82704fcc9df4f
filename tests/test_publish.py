"""huiyin publish: the published copy ends equal to the built site, and a deploy uploads only what changed.

Run against a web server folder (rsync) and an rclone destination (a local folder: the same commands that reach
OSS, COS or MinIO). The tools must be installed (make setup-test); missing, they fail the suite in CI.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.publish import MANIFEST, PublishError, publish, target

from .conftest import in_ci

TOOLS = ("rsync", "rclone")


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        message = f"{tool} is not installed (make setup-test installs it)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)


def _site(root: Path, files: dict[str, str], commit: str = "c0ffee") -> Path:
    """A built site as the build leaves it: the files and a manifest naming each with its MD5."""
    if root.exists():
        shutil.rmtree(root)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    listed = {rel: hashlib.md5(text.encode()).hexdigest() for rel, text in files.items()}
    (root / MANIFEST).write_text(json.dumps({"format": 1, "commit": commit, "files": listed}), encoding="utf-8")
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


FIRST = {"index.html": "首页", "cases/QH1.html": "诉求一", "cases/QH2.html": "诉求二", "data/cases.csv": "a,b\n"}


@pytest.mark.parametrize("tool", TOOLS)
def test_publish_uploads_only_what_changed_and_ends_equal(tool: str, tmp_path: Path) -> None:
    _need(tool)
    site, dest = tmp_path / "site", tmp_path / "published"
    _site(site, FIRST)
    first = publish(site, target(str(dest), tool))
    assert (len(first.upload), first.remove) == (4, [])  # nothing published yet: every file
    assert _tree(dest) == _tree(site)

    again = publish(site, target(str(dest), tool))
    assert (again.upload, again.remove) == ([], [])

    second = dict(FIRST, **{"cases/QH2.html": "诉求二（已办结）", "cases/QH3.html": "诉求三"})
    del second["data/cases.csv"]
    _site(site, second, commit="beef")
    (dest / "index.html").touch()  # a newer time on the other side changes nothing: the manifests decide
    third = publish(site, target(str(dest), tool))
    assert third.upload == ["cases/QH2.html", "cases/QH3.html"]
    assert third.remove == ["data/cases.csv"]
    assert third.upload_bytes == len("诉求二（已办结）".encode()) + len("诉求三".encode())
    assert _tree(dest) == _tree(site)
    assert json.loads((dest / MANIFEST).read_text())["commit"] == "beef"


@pytest.mark.parametrize("tool", TOOLS)
def test_deploy_cut_short_is_redone_by_the_next(tool: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _need(tool)
    site, dest = tmp_path / "site", tmp_path / "published"
    _site(site, FIRST)
    publish(site, target(str(dest), tool))
    _site(site, dict(FIRST, **{"index.html": "新首页"}), commit="beef")
    cls = type(target(str(dest), tool))

    def fail(self, site_dir: Path, files: list[str]) -> None:
        if files == [MANIFEST]:
            raise PublishError("连接中断")
        original(self, site_dir, files)

    original = cls.upload
    monkeypatch.setattr(cls, "upload", fail)
    with pytest.raises(PublishError):
        publish(site, target(str(dest), tool))
    monkeypatch.setattr(cls, "upload", original)
    assert json.loads((dest / MANIFEST).read_text())["commit"] == "c0ffee"  # the old manifest still rules
    redo = publish(site, target(str(dest), tool))
    assert redo.upload == ["index.html"]
    assert _tree(dest) == _tree(site)


@pytest.mark.parametrize("tool", TOOLS)
def test_full_sync_repairs_a_copy_changed_by_hand(tool: str, tmp_path: Path) -> None:
    _need(tool)
    site, dest = tmp_path / "site", tmp_path / "published"
    _site(site, FIRST)
    publish(site, target(str(dest), tool))
    (dest / "cases" / "QH1.html").write_text("被改动", encoding="utf-8")
    (dest / "stray.html").write_text("多余", encoding="utf-8")
    assert publish(site, target(str(dest), tool)).upload == []  # the manifest cannot see it
    publish(site, target(str(dest), tool), full=True)
    assert _tree(dest) == _tree(site)


def test_cli_dry_run_and_chinese_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _need("rsync")
    site, dest = tmp_path / "site", tmp_path / "published"
    _site(site, FIRST)
    runner = CliRunner()
    dry = runner.invoke(main, ["publish", str(dest), "--site-dir", str(site), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "试运行" in dry.output and "上传 4 个文件" in dry.output
    assert not dest.exists()

    done = runner.invoke(main, ["publish", str(dest), "--site-dir", str(site)])
    assert done.exit_code == 0 and "上传 4 个文件" in done.output and "c0ffee" in done.output

    (site / MANIFEST).unlink()
    missing = runner.invoke(main, ["publish", str(dest), "--site-dir", str(site)])
    assert missing.exit_code == 1 and "manifest.json" in missing.output and "huiyin build" in missing.output
    assert "Traceback" not in missing.output

    _site(site, FIRST)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no rclone to be found
    absent = runner.invoke(main, ["publish", "oss:bucket/site", "--with", "rclone", "--site-dir", str(site)])
    assert absent.exit_code == 1 and "找不到 rclone" in absent.output and "Traceback" not in absent.output


def test_unreachable_destination_is_reported(tmp_path: Path) -> None:
    _need("rsync")
    site = _site(tmp_path / "site", FIRST)
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, stat.S_IRUSR | stat.S_IXUSR)
    if os.access(locked, os.W_OK):  # running as root: permissions don't stop us; a file in the way does
        locked = tmp_path / "a-file"
        locked.write_text("x")
    with pytest.raises(PublishError, match="rsync 退出码"):
        publish(site, target(str(locked / "site"), "rsync"))


@pytest.mark.parametrize("tool", TOOLS)
def test_publish_a_built_site_then_only_what_one_edit_changed(tool: str, project: Path) -> None:
    """A real build, published; one case's title changed and built again: the deploy moves that case's page and the
    pages and files that show the title, not the whole site, and the copy equals the new site."""
    _need(tool)
    from datetime import date

    from generator.build import build

    site, dest = project / "site", project / "published"
    build(project, as_of=date(2026, 11, 30), search=True)
    first = publish(site, target(str(dest), tool))
    total = len(json.loads((site / MANIFEST).read_text())["files"])
    assert len(first.upload) == total
    case = project / "records" / "cases" / "2026" / "03" / "QH20260302-7KQ2M.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("西东村何时能通公交", "西东村何时能通上公交"),
                    encoding="utf-8")
    build(project, as_of=date(2026, 11, 30), search=True)
    second = publish(site, target(str(dest), tool))
    assert "cases/QH20260302-7KQ2M.html" in second.upload
    assert "cases/QH20261009-AB3CD.html" not in second.upload  # another case's page is untouched
    assert 0 < len(second.upload) < total / 4 and second.remove == []
    assert _tree(dest) == _tree(site)
