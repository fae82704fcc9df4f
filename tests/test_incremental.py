"""Incremental builds: through a series of committed edits to a copy of the sample, the site built on top of the
previous one is byte for byte the site a build from nothing makes of the same tree; a failed build leaves the live
site as it was; a build with nothing changed writes no file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.build import BuildError, build

from .conftest import ROOT, SAMPLE_AS_OF

pytestmark = pytest.mark.xdist_group("incremental")

GIT_ENV = {"GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "测试",
           "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_AUTHOR_DATE": "2026-11-21T10:00:00+08:00",
           "GIT_COMMITTER_DATE": "2026-11-21T10:00:00+08:00"}
CASE = "records/cases/2026/11/QH20261119-ZGYTB.yaml"  # open, assigned to county-police


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def sample(tmp_path: Path, monkeypatch) -> Path:
    """A Git repository holding a copy of the shipped sample, committed; the site's address known (sitemap)."""
    monkeypatch.setenv("HUIYIN_SITE_URL", "https://example.org/")
    return committed_sample(tmp_path)


def committed_sample(tmp_path: Path) -> Path:
    """A Git repository holding a copy of the shipped sample, committed."""
    repo = tmp_path / "portal"
    repo.mkdir()
    for name in ("records", "schemas", "site_templates"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    _git(repo, "init", "-q")
    _commit(repo, "样例")
    return repo


class Builds:
    """The live site, built again after each edit, beside a build from nothing of the same tree."""

    def __init__(self, repo: Path, tmp: Path):
        self.repo, self.tmp, self.cold_runs = repo, tmp, 0
        self.site, self.cache = tmp / "live" / "site", tmp / "live-cache"

    def incremental(self, as_of: date):
        return build(self.repo, as_of=as_of, site_dir=self.site, cache_dir=self.cache)

    def manifest(self) -> dict[str, str]:
        return json.loads((self.site / "manifest.json").read_bytes())["files"]

    def changed_since(self, before: dict[str, str]) -> list[str]:
        """The files that differ from an earlier manifest's (new, changed or gone), and the manifest itself."""
        now = self.manifest()
        return sorted({f for f in before.keys() | now.keys() if before.get(f) != now.get(f)} | {"manifest.json"})

    def same_as_cold(self, as_of: date) -> None:
        self.cold_runs += 1
        cold = self.tmp / f"cold-{self.cold_runs}" / "site"
        build(self.repo, as_of=as_of, site_dir=cold, cache_dir=self.tmp / f"cold-cache-{self.cold_runs}")
        live, fresh = _files(self.site), _files(cold)
        assert sorted(set(live) ^ set(fresh)) == []
        assert sorted(rel for rel in live if live[rel] != fresh[rel]) == []
        shutil.rmtree(cold.parent)


def test_incremental_builds_equal_a_cold_build_after_each_edit(sample, tmp_path):
    builds = Builds(sample, tmp_path)
    day = SAMPLE_AS_OF
    first = builds.incremental(day)
    assert first.reused == 0 and first.changed == len(_files(builds.site)) - 1  # every file but the manifest

    again = builds.incremental(day)  # nothing changed: no file written, no keyed page rendered
    assert again.changed == 0 and again.reused > 0

    new_case = sample / "records/cases/2026/11/QH20261119-K7M2P.yaml"
    shutil.copy(sample / CASE, new_case)
    _edit(new_case, "QH20261119-ZGYTB", "QH20261119-K7M2P")
    _edit(new_case, "工业路深夜有人飙车炸街", "南环路深夜有人飙车")
    _commit(sample, "新诉求")
    assert builds.incremental(day).changed > 0
    builds.same_as_cold(day)

    with (sample / CASE).open("a", encoding="utf-8") as fh:
        fh.write("  - date: 2026-11-24\n    type: replied\n    text: |\n      您好！已加强工业路夜间巡查，查处改装摩托车三辆。\n"
                 "  - date: 2026-11-24\n    type: closed\n")
    _commit(sample, "答复")
    before = builds.manifest()
    event = builds.incremental(day)
    builds.same_as_cold(day)
    changed = event.changed
    shown = builds.changed_since(before)
    assert [f for f in shown if f.startswith("cases/QH")] == ["cases/QH20261119-ZGYTB.html"]  # no other case's page
    assert not [f for f in shown if f.startswith("matters/")]
    assert {"about/index.html", "about/data/index.html", "manifest.json", "units/county-police/index.html"} <= set(shown)

    _edit(sample / "records/units/county-police.yaml", 'name: "县公安局"', 'name: "县公安局（治安）"')
    _commit(sample, "单位更名")
    assert builds.incremental(day).changed > changed
    builds.same_as_cold(day)

    _edit(sample / "records/settings.yaml", "min_cases_for_ranking: 5", "min_cases_for_ranking: 6")
    _commit(sample, "设置")
    builds.incremental(day)
    builds.same_as_cold(day)

    _edit(sample / "site_templates/portal/case.html", "{% block content %}", "{% block content %}<!-- 模板修改 -->")
    _commit(sample, "模板")
    template = builds.incremental(day)
    assert template.reused < again.reused  # every case page shows the template
    builds.same_as_cold(day)

    day += timedelta(days=1)  # Friday 2026-12-04, a working day
    before = builds.manifest()
    next_day = builds.incremental(day)
    assert 0 < next_day.reused  # settled cases' pages do not depend on the day
    builds.same_as_cold(day)
    shown = builds.changed_since(before)
    assert "cases/QH20261120-ZX334.html" in shown  # open: one working day less to its deadline
    assert "cases/QH20261103-44F34.html" not in shown  # closed, replied in time, evaluated: settled


def test_a_failed_build_leaves_the_live_site_as_it_was(sample, tmp_path):
    builds = Builds(sample, tmp_path)
    builds.incremental(SAMPLE_AS_OF)
    before = _files(builds.site)
    _edit(sample / CASE, "type: report", "type: 举报")
    with pytest.raises(BuildError):
        builds.incremental(SAMPLE_AS_OF)
    assert _files(builds.site) == before
    _edit(sample / CASE, "type: 举报", "type: report")
    assert builds.incremental(SAMPLE_AS_OF).changed == 0
    assert _files(builds.site) == before
