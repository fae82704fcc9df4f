"""Git provenance: a scripted history (create, assign, reply, edit the reply, move a unit and a deadline,
extend properly, rename a unit, correct a received date) read back as history, corrections and pages."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.build import build
from generator.derive import derive
from generator.history import add_history
from generator.history.read import read_history
from generator.validate import validate
from .history_repo import (ADMIN, CASE, CLERK, DISPATCHER, REPLY_1, STAFF, case_text, commit, git, project, scripted_history,
                           ASSIGNED, RECEIVED)

pytestmark = pytest.mark.xdist_group("history")  # one worker builds the scripted repository once
AS_OF = date(2026, 10, 31)
CASE_ID = "QH20260302-7KQ2M"


@pytest.fixture(scope="session")  # session: built once per worker even when modules interleave
def scripted(tmp_path_factory):
    """The scripted repository, its commits and one built site (without search, for speed)."""
    repo = tmp_path_factory.mktemp("history") / "portal"
    shas = scripted_history(repo)
    build(repo, as_of=AS_OF, search=False, cache_dir=repo / ".huiyin-cache")
    return repo, shas


def portal_of(repo: Path, cache_dir: Path | None = None):
    checked = validate(repo / "records", as_of=AS_OF)
    assert checked.report.ok, [i.key() for i in checked.report.errors]
    portal = derive(checked.records, checked.calendar, AS_OF)
    add_history(portal, repo, cache_dir=cache_dir, deepen=False)
    return portal


def entries(history) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    return [(e.date, e.who, e.changes, tuple(n.fact for n in e.notes)) for e in history.entries]


def test_case_history_lists_every_commit_in_words(scripted):
    repo, shas = scripted
    h = portal_of(repo).history.record("case", CASE_ID)
    assert entries(h) == [
        ("2026-04-12", ADMIN, ("交办 1·承办单位：县住建局 → 县住房和城乡建设局（单位调整）",), ()),
        ("2026-04-10", CLERK, ("延期 1·延期后时限：2026-05-29 → 2026-06-30",), ("deadline",)),
        ("2026-04-07", CLERK, ("新增延期 1（2026-04-07，延期至 2026-05-29）",), ()),
        ("2026-04-03", CLERK, ("交办 1·承办单位：县交通运输局 → 县住建局",), ("unit",)),
        ("2026-04-02", CLERK, ("答复 1·答复内容 修改",), ("reply:1",)),
        ("2026-03-09", CLERK, ("新增答复 1（2026-03-09）",), ()),
        ("2026-03-03", DISPATCHER, ("新增交办 1（2026-03-02，县交通运输局）",), ()),
        ("2026-03-02", DISPATCHER, (), ()),
    ]
    assert [e.sha for e in h.entries] == [shas[k] for k in ("rename_unit", "move_deadline", "extend", "move_unit",
                                                           "edit_reply", "reply", "assign", "create")]
    assert h.entries[-1].kind == "created" and h.entries[-1].short == shas["create"][:8]
    assert (h.first_published, h.last_updated, h.truncated, h.uncommitted) == ("2026-03-02", "2026-04-12", False, False)
    assert all(e.url == "" for e in h.entries)  # no commit_url in settings: no links
    assert all(n.reason == "未写明更正原因" for n in h.corrections)  # this history predates the corrections field


def test_corrections_flag_changed_published_facts_only(scripted):
    repo, shas = scripted
    h = portal_of(repo).history.record("case", CASE_ID)
    [reply] = h.notes_for("reply:1")
    assert (reply.text, reply.earlier, reply.sha) == ("此答复于 2026-04-02 修改", REPLY_1 + "\n", shas["edit_reply"])
    assert [n.text for n in h.notes_for("unit")] == ["承办单位于 2026-04-03 由 县交通运输局 改为 县住建局，未登记转办"]
    # the extension itself is proper; only the silent change of its date afterwards is flagged
    assert [n.text for n in h.notes_for("deadline")] == ["已公开的延期时限于 2026-04-10 由 2026-05-29 推迟到 2026-06-30，未另行登记延期"]
    assert set(h.notes) == {"reply:1", "unit", "deadline"}


def test_matter_deadline_and_responsible_corrections(scripted):
    repo, shas = scripted
    h = portal_of(repo).history.record("matter", "SS2026-1-001")
    assert entries(h)[:2] == [
        ("2026-04-20", ADMIN, ("新增延期记录 1（延期至 2026-08-31）",), ()),
        ("2026-04-15", ADMIN, ("具体责任人·姓名：李建国 → 王建华", "办理时限：2026-06-30 → 2026-07-31"), ("deadline", "responsible")),
    ]
    assert [n.text for n in h.notes_for("deadline")] == ["办理时限于 2026-04-15 由 2026-06-30 推迟到 2026-07-31，未登记延期"]
    assert [n.text for n in h.notes_for("responsible")] == ["具体责任人于 2026-04-15 修改：具体责任人·姓名 李建国 → 王建华"]


def test_renamed_unit_and_re_id_case_keep_their_history(scripted):
    repo, shas = scripted
    history = portal_of(repo).history
    unit = history.record("unit", "county-construction")
    assert [(e.sha, e.changes) for e in unit.entries] == [
        (shas["rename_unit"], ("单位编号：county-housing → county-construction", "单位名称：县住建局 → 县住房和城乡建设局")),
        (shas["create"], ()),
    ]
    moved = history.record("case", "QH20261008-AB3CD")
    assert moved.entries[0].changes == ("诉求编号：QH20261009-AB3CD → QH20261008-AB3CD", "受理日期：2026-10-09 → 2026-10-08",
                                        "交办 1·日期：2026-10-09 → 2026-10-08")
    assert [n.text for n in moved.notes_for("received")] == ["受理日期于 2026-10-20 修改，原为 2026-10-09"]
    assert moved.first_published == "2026-03-02"


def test_case_page_shows_history_and_notes_beside_the_facts(scripted):
    repo, shas = scripted
    html = (repo / "site" / "cases" / f"{CASE_ID}.html").read_text(encoding="utf-8")
    assert "<h2>修改记录</h2>" in html and "最后更新：<time>2026-04-12</time>" in html
    reply_block = html.split('class="hy-reply-text"', 1)[1].split("</section>", 1)[0]
    assert "此答复于 2026-04-02 修改" in reply_block and "查看修改前的原文" in reply_block
    assert "计划于6月底前开通县城至西东村的城乡公交" in reply_block  # the earlier wording, in <details>
    facts = html.split('class="hy-facts"', 1)[1].split("</dl>", 1)[0]
    assert "承办单位于 2026-04-03 由 县交通运输局 改为 县住建局，未登记转办" in facts
    assert "推迟到 2026-06-30" in facts
    assert f'<code title="{shas["edit_reply"]}">{shas["edit_reply"][:8]}</code>' in html
    assert "交办 1·承办单位：县住建局 → 县住房和城乡建设局（单位调整）" in html


def test_the_build_commit_is_named_on_the_about_pages_and_a_record_page_names_its_last_change(scripted):
    repo, shas = scripted
    site = repo / "site"
    matter = (site / "matters" / "SS2026-1-001" / "index.html").read_text(encoding="utf-8")
    assert "办理时限于 2026-04-15 由 2026-06-30 推迟到 2026-07-31，未登记延期" in matter
    assert "具体责任人于 2026-04-15 修改" in matter and "<h2>修改记录</h2>" in matter
    head = shas["fix_received"]
    named = f"本站当前版本生成自 Git 提交 <code>{head[:8]}</code>（2026-10-20）"
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
             for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin"}  # the staff editor is an app
    assert len(pages) > 15
    # the about pages, and the pages of what the last commit changed (its case and the correction it made)
    assert sorted(page for page, text in pages.items() if head[:8] in text) == [
        "about/data/index.html", "about/index.html", "cases/QH20261008-AB3CD.html", "corrections/index.html"]
    assert all(named in pages[page] for page in ("about/data/index.html", "about/index.html"))
    assert all("每条记录的修改都有据可查" in text for text in pages.values())  # the footer names no commit
    manifest = json.loads((site / "manifest.json").read_bytes())
    assert (manifest["commit"], manifest["date"], manifest["uncommitted_changes"]) == (head, "2026-10-20", False)
    case = pages[f"cases/{CASE_ID}.html"]  # its last change: the unit's renaming (2026-04-12), not the build commit
    last = shas["rename_unit"]
    assert f'最后更新：<time>2026-04-12</time>（提交 <code>{last[:8]}</code>）' in case
    assert f'<code title="{last}">{last[:8]}</code>' in case  # in its entry, with the full commit


def test_personal_data_from_history_never_reaches_the_site(scripted):
    repo, _ = scripted
    for path in (repo / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv", ".txt"):
            assert "13812345678" not in path.read_text(encoding="utf-8", errors="replace"), path
            assert "staff@example.gov" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_without_git_the_site_builds_without_history(tmp_path, caplog):
    repo = project(tmp_path / "archive")
    with caplog.at_level(logging.WARNING):
        build(repo, as_of=AS_OF, search=False, cache_dir=None)
    assert any("history-no-git" in r.getMessage() for r in caplog.records)
    html = (repo / "site" / "cases" / f"{CASE_ID}.html").read_text(encoding="utf-8")
    assert "<h2>修改记录</h2>" not in html and "hy-correction" not in html
    assert "本站不是从 Git 仓库生成的，没有修改记录。" in html


def test_shallow_clone_says_history_is_incomplete(scripted, tmp_path):
    repo, shas = scripted
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "3", f"file://{repo}", str(clone))
    git(clone, "remote", "remove", "origin")  # nothing to deepen from
    result = read_history(clone, deepen=True)
    assert result.provenance.shallow and "history-shallow" in [i.code for i in result.issues]
    portal = portal_of(clone)
    h = portal.history.record("case", CASE_ID)
    assert h.truncated and h.first_published is None  # never a wrong "first published" date
    assert [e.kind for e in h.entries] == ["boundary"]
    m = portal.history.record("matter", "SS2026-1-001")
    assert m.truncated and [e.sha for e in m.entries][0] == shas["matter_extend"]


def test_shallow_clone_with_a_remote_is_deepened(scripted, tmp_path):
    repo, shas = scripted
    clone = tmp_path / "deepen"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo}", str(clone))
    result = read_history(clone, deepen=True)
    assert not result.provenance.shallow and not result.issues
    h = portal_of(clone).history.record("case", CASE_ID)
    assert h.first_published == "2026-03-02" and len(h.entries) == 8


def test_cache_reads_only_new_commits_and_agrees_with_a_cold_read(scripted, tmp_path):
    repo, shas = scripted
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", f"file://{repo}", str(work))
    cache = tmp_path / "cache"
    first = read_history(work, cache_dir=cache)
    assert first.new_commits == len(shas)
    assert read_history(work, cache_dir=cache).new_commits == 0
    events = [dict(RECEIVED), dict(ASSIGNED, unit="county-construction"),
              {"date": "2026-03-09", "type": "replied", "text": "已开通。"}]
    commit(work, "再次修改答复", "李娜", "2026-10-21", {CASE: case_text(events)})
    warm = read_history(work, cache_dir=cache)
    cold = read_history(work)
    assert warm.new_commits == 1
    assert set(warm.index.revisions) == set(cold.index.revisions)
    assert all(warm.index.revisions_of(k) == cold.index.revisions_of(k) for k in cold.index.revisions)
    assert list(warm.index.commits) == list(cold.index.commits)
    git(work, "-c", "user.name=周敏", "-c", "user.email=s@example.gov", "commit", "-q", "--amend", "-m", "改写历史")  # rewritten
    rewritten = read_history(work, cache_dir=cache)
    assert rewritten.new_commits == len(shas) + 1
    assert rewritten.index.commits[-1].subject == "改写历史"


def test_merged_branch_counts_as_one_published_change(tmp_path):
    repo = project(tmp_path / "merge")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "受理", "王小明", "2026-03-02", {CASE: case_text([dict(RECEIVED)]), "records/staff.yaml": STAFF})
    git(repo, "checkout", "-q", "-b", "reply")
    commit(repo, "交办（草稿）", "李娜", "2026-03-03", {CASE: case_text([dict(RECEIVED), dict(ASSIGNED, unit="hefeng-town")])})
    commit(repo, "交办", "李娜", "2026-03-04", {CASE: case_text([dict(RECEIVED), dict(ASSIGNED)])})
    git(repo, "checkout", "-q", "main")
    stamp = {"GIT_AUTHOR_DATE": "2026-03-05T10:00:00+08:00", "GIT_COMMITTER_DATE": "2026-03-05T10:00:00+08:00"}
    git(repo, "-c", "user.name=周敏", "-c", "user.email=s@example.gov", "merge", "-q", "--no-ff", "-m", "合并：交办", "reply",
        env=stamp)
    h = portal_of(repo).history.record("case", CASE_ID)
    # one change, dated when it landed, made by the author of the merged branch (李娜), not by whoever merged (周敏)
    assert [(e.date, e.who, e.changes) for e in h.entries] == [
        ("2026-03-05", CLERK, ("新增交办 1（2026-03-02，县交通运输局）",)),
        ("2026-03-02", DISPATCHER, ()),
    ]


def test_project_in_a_subfolder_of_the_repository(tmp_path):
    top = tmp_path / "repo"
    repo = project(top / "portal")
    git(top, "init", "-q", "-b", "main")
    commit(top, "受理", "王小明", "2026-03-02", {"portal/" + CASE: case_text([dict(RECEIVED)])})
    commit(top, "交办", "王小明", "2026-03-03", {"portal/" + CASE: case_text([dict(RECEIVED), dict(ASSIGNED)])})
    h = portal_of(repo).history.record("case", CASE_ID)
    assert [e.changes for e in h.entries] == [("新增交办 1（2026-03-02，县交通运输局）",), ()]
    assert portal_of(repo).history.record("unit", "county-transport").first_published == "2026-03-02"


def test_uncommitted_changes_are_said_on_the_page(scripted, tmp_path):
    repo, shas = scripted
    work = tmp_path / "dirty"
    git(tmp_path, "clone", "-q", f"file://{repo}", str(work))
    case = work / CASE
    case.write_text(case.read_text(encoding="utf-8").replace("经与客运公司协商", "经与客运公司再次协商"), encoding="utf-8")
    portal = portal_of(work)
    assert portal.provenance.dirty and portal.build_commit == shas["fix_received"]
    assert portal.history.record("case", CASE_ID).uncommitted
    assert not portal.history.record("matter", "SS2026-1-001").uncommitted


def _tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_build_at_a_commit_is_byte_identical(scripted, tmp_path, monkeypatch):
    repo, _ = scripted
    monkeypatch.setenv("HUIYIN_SITE_URL", "https://example.org/qh/")  # the sitemap is written only with an address
    work = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", f"file://{repo}", str(work))
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    build(work, as_of=AS_OF, site_dir=tmp_path / "one", cache_dir=work / ".huiyin-cache")
    shutil.rmtree(work / ".huiyin-cache")
    build(work, as_of=AS_OF, site_dir=tmp_path / "two", cache_dir=None)
    assert "SOURCE_DATE_EPOCH" not in os.environ
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert any(name.startswith("search-index/t/") for name in one)
    assert sorted(one) == sorted(two)
    differ = [n for n in one if one[n] != two[n]]
    assert differ == []
    gz = (tmp_path / "one" / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(gz[4:8], "little") == 0  # no time in the gzip header: it changes only with the pages
