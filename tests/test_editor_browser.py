"""The staff editor (/admin/) in Chromium against a real Git repository through Decap's own local backend.

decap-server (from node_modules, as package.json lists it) serves a temporary project's Git repository;
the editor's files are written from that project's records as the build writes them. A clerk creates a case
and records a reply through the forms; each save is a branch (the local form of a pull request) that must
pass `huiyin validate` and `huiyin check-change` for that clerk; a clerk of another unit is refused.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from generator.editor.bundle import editor_available, write_editor
from generator.staff.permissions import check_change
from generator.staff.rtyaml import load_round_trip
from generator.validate import validate
from tests.staffkit import commit_all, make_project

from .conftest import ROOT, in_ci
from .waiting import wait_until

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DECAP_SERVER = ROOT / "node_modules" / ".bin" / "decap-server"
ARTIFACTS = ROOT / "tests" / "artifacts"
OLD_CASE = "QH20261009-AB3CD"  #禾丰镇 handles it (tests/fixtures/minimal)
COMMENT = "# 本件由镇综治办跟踪（本注释须保留）\n"
OPEN_MATTER = """\
# yaml-language-server: $schema=../../../schemas/matter.schema.json
# 第二项：道路硬化
id: SS2026-1-002
batch: SS2026-1
number: 2
title: 西东村主干道硬化
description: 硬化西东村主干道 3 公里。
category: urban-construction
unit: county-transport
responsible:
  name: 李建国
  post: 县交通运输局局长
deadline: 2026-12-31
milestones:
  - title: 完成设计
    due: 2026-05-31
"""
pytestmark = pytest.mark.xdist_group("browser")


def _require(condition: bool, what: str) -> None:
    if not condition:
        if in_ci():
            pytest.fail(f"{what} is required for the editor tests (make setup-test installs it)")
        pytest.skip(f"{what} not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """(page url, project folder, repo): the editor served over HTTP, decap-server on the project's repository."""
    with _served_editor(tmp_path_factory.mktemp("editor")) as served:
        yield served


@pytest.fixture
def fresh_editor(tmp_path):
    """The same, for one test only: no other test's unpublished drafts (Decap opens an entry's draft if it has one)."""
    with _served_editor(tmp_path) as served:
        yield served


@contextlib.contextmanager
def _served_editor(tmp: Path):
    _require(CHROMIUM is not None, "chromium")
    _require(editor_available() and DECAP_SERVER.exists(), "node_modules (npm ci: decap-cms, decap-server, yaml)")
    project, repo = make_project(tmp)
    case = project / "records/cases/2026/10" / f"{OLD_CASE}.yaml"
    lines = case.read_text(encoding="utf-8").splitlines(keepends=True)
    case.write_text(lines[0] + COMMENT + "".join(lines[1:]), encoding="utf-8")
    (project / "records/matters/SS2026-1/SS2026-1-002.yaml").write_text(OPEN_MATTER, encoding="utf-8")
    commit_all(repo, "测试记录")
    today = date.today()
    months = (today.year - 2026) * 12 + today.month - 10 + 1  # back to October 2026, where OLD_CASE is
    records = validate(project / "records", as_of=today).records
    site = tmp / "site"

    def write(rel: str, data: bytes) -> None:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)

    assert write_editor(records, today, {"months": months}, write)
    port = _free_port()
    env = {**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(project), "PORT": str(port), "BIND_HOST": "127.0.0.1",
           "LOG_LEVEL": "warn"}
    server = subprocess.Popen([str(DECAP_SERVER)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail(f"decap-server did not start: {server.stderr.read().decode(errors='replace')}")
    http_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=http_server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{http_server.server_address[1]}/admin/?local_backend=http://127.0.0.1:{port}/api/v1"
    try:
        yield url, project, repo
    finally:
        http_server.shutdown()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    _require(CHROMIUM is not None, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--lang=zh-CN"])
        yield b
        b.close()


def _sign_in(browser, url: str, handle: str, width: int = 1280):
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    page.outside = []  # requests that left this machine: none may (no CDN, no font service)
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:", "blob:")) else page.outside.append(r.url))
    page.goto(url)
    page.select_option("#hy-handle", handle)
    page.click("#hy-go")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("集合").first.wait_for()
    return page


def _branches(repo) -> dict[str, str]:
    """The editor's branches that have a commit of their own (the branch is made a moment before the commit)."""
    main = repo.git.rev_parse("main")
    refs = [line.split() for line in repo.git.for_each_ref("--format=%(refname:short) %(objectname)", "refs/heads/cms/").splitlines()]
    return {name: sha for name, sha in refs if sha != main}


def _wait_for(check, what: str, seconds: float = 20):
    return wait_until(check, what, seconds, step=0.2)


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def _field(page, name: str):
    """The Decap control of one field (its label, input and errors)."""
    return page.locator(f'[aria-label="{name} field"]')


def _verdict(project: Path, repo, branch: str, actor: str):
    """(validation errors, check-change issues) of a branch, as CI would compute them."""
    worktree = project.parent / f"wt-{re.sub(r'[^A-Za-z0-9]', '-', branch)}"
    repo.git.worktree("add", "--force", str(worktree), branch)
    try:
        errors = [i.key() for i in validate(worktree / "records", as_of=date.today()).report.errors]
    finally:
        repo.git.worktree("remove", "--force", str(worktree))
    issues = [(i.code, i.file) for i in check_change(project, "main", branch, actor).report.issues]
    return errors, issues


def test_clerk_creates_a_case_and_records_a_reply(editor, browser):
    url, project, repo = editor
    page = _sign_in(browser, url, "qh-hefeng")
    assert "qh-hefeng · 单位经办人 · 禾丰镇" in page.inner_text("#hy-user")
    page.get_by_text("＋ 诉求").click()
    page.get_by_label("标题").fill("中心街路灯不亮")
    page.get_by_label("受理渠道").select_option(label="12345政务服务便民热线")
    page.get_by_label("诉求类型").select_option(label="投诉")
    page.get_by_label("问题类别").select_option(label="城建")
    page.get_by_label("属地").select_option(label="禾丰镇")
    page.get_by_label("诉求内容").fill("中心街路灯坏了两周，晚上出行不安全，联系电话13812345678。")
    assert [o for o in page.get_by_label("交办给（承办单位）").locator("option").all_inner_texts()] == ["请选择…", "禾丰镇"]
    page.get_by_label("交办给（承办单位）").select_option(label="禾丰镇")
    _shot(page, "editor-case-1280")
    page.get_by_role("button", name="保存").click()
    content = _field(page, "huiyin-field").filter(has=page.get_by_label("诉求内容"))
    content.get_by_text("诉求内容中有手机号码 138****5678：记录会公开，不得写入个人信息，请删除").wait_for()
    assert "13812345678" not in content.inner_text().replace(page.get_by_label("诉求内容").input_value(), "")
    time.sleep(1)
    assert _branches(repo) == {}  # refused before anything reached Git
    page.get_by_label("诉求内容").fill("中心街路灯坏了两周，晚上出行不安全，希望尽快修复。")
    page.get_by_role("button", name="保存").click()
    branch = _wait_for(lambda: next(iter(_branches(repo)), None), "the case's branch")
    assert re.fullmatch(r"cms/cases-\d{4}-\d{2}/qh\d{8}-[0-9a-z]{5}", branch)
    files = repo.git.diff("--name-only", "main", branch).splitlines()
    assert len(files) == 1 and re.fullmatch(r"records/cases/\d{4}/\d{2}/QH\d{8}-[0-9A-HJKMNP-TV-Z]{5}\.yaml", files[0])
    case_id = Path(files[0]).stem
    assert case_id == f"QH{date.today():%Y%m%d}-{branch[-5:].upper()}"
    text = repo.git.show(f"{branch}:{files[0]}") + "\n"
    assert text.startswith("# yaml-language-server: $schema=../../../../schemas/case.schema.json\nid: " + case_id)
    assert load_round_trip(text).exact  # the house layout, as `huiyin new case` writes it

    # the reply: too short first, said at the field and not saved
    page.get_by_role("button", name="＋ 登记新事件").click()
    assert page.get_by_label("事件类型").locator("option").all_inner_texts() == ["请选择…", "延期", "答复", "办结"]
    page.get_by_label("事件类型").select_option(label="答复")
    page.get_by_label("答复内容").fill("已修")
    commits = _branches(repo)[branch]
    page.get_by_role("button", name="保存").click()
    events = _field(page, "huiyin-events")
    events.get_by_text("答复内容太短：至少 5 个字，现在是 2 个字").first.wait_for()
    _shot(page, "editor-event-1280")
    time.sleep(1)
    assert _branches(repo)[branch] == commits
    page.get_by_label("答复内容").fill("经核查，镇村建办已于当日更换灯泡 6 个，路灯已恢复照明。")
    page.get_by_role("button", name="保存").click()
    _wait_for(lambda: _branches(repo).get(branch, commits) != commits, "the reply's commit")
    text = repo.git.show(f"{branch}:{files[0]}")
    assert "    type: replied\n    text: 经核查，镇村建办已于当日更换灯泡 6 个，路灯已恢复照明。" in text
    assert _verdict(project, repo, branch, "qh-hefeng") == ([], [])
    errors, issues = _verdict(project, repo, branch, "qh-transport")
    codes = {code for code, _ in issues}  # a new case of another unit: neither theirs to create nor to answer
    assert errors == [] and "change-other-unit" in codes and codes <= {"change-other-unit", "change-unassigned"}
    assert page.outside == []
    page.context.close()


def test_a_reply_to_an_existing_case_keeps_its_comments_and_another_unit_is_refused(editor, browser):
    url, project, repo = editor
    before = set(_branches(repo))
    page = _sign_in(browser, url, "qh-hefeng")
    page.get_by_role("link", name="诉求 2026年10月").click()
    page.get_by_text(f"{OLD_CASE} 禾丰镇集贸市场消防通道被占").click()
    page.get_by_role("button", name="＋ 登记新事件").click()
    page.get_by_label("事件类型").select_option(label="答复")
    page.get_by_label("日期").fill("2026-10-20")
    page.get_by_label("答复内容").fill("经核查，镇综治办已清理消防通道，设置隔离桩 12 根。\n\n今后每周巡查一次。")
    page.get_by_role("button", name="保存").click()
    branch = _wait_for(lambda: next(iter(set(_branches(repo)) - before), None), "the reply's branch")
    assert page.outside == []
    page.context.close()
    path = f"records/cases/2026/10/{OLD_CASE}.yaml"
    diff = repo.git.diff("--unified=0", "main", branch, "--", path).splitlines()
    removed = [ln for ln in diff if ln.startswith("-") and not ln.startswith("---")]
    added = [ln[1:] for ln in diff if ln.startswith("+") and not ln.startswith("+++")]
    assert removed == []  # nothing rewritten: the header, the comment and the layout stay byte for byte
    assert added == ["  - date: 2026-10-20", "    type: replied", "    text: |", "      经核查，镇综治办已清理消防通道，设置隔离桩 12 根。",
                     "", "      今后每周巡查一次。"]
    assert COMMENT in repo.git.show(f"{branch}:{path}")
    assert _verdict(project, repo, branch, "qh-hefeng") == ([], [])

    # the transport clerk sees the case but gets no form for it, and the check refuses the same change from them
    page = _sign_in(browser, url, "qh-transport")
    page.get_by_role("link", name="诉求 2026年10月").click()
    page.get_by_text(f"{OLD_CASE} 禾丰镇集贸市场消防通道被占").click()
    events = _field(page, "huiyin-events")
    events.get_by_text("该诉求承办单位是 禾丰镇（hefeng-town），不属于 qh-transport（单位经办人，所属单位：县交通运输局（county-transport））").wait_for()
    assert page.get_by_role("button", name="＋ 登记新事件").count() == 0
    assert page.outside == []
    page.context.close()
    assert [code for code, _ in _verdict(project, repo, branch, "qh-transport")[1]] == ["change-other-unit"]


def test_a_clerk_reports_a_matters_progress(editor, browser):
    url, project, repo = editor
    before = set(_branches(repo))
    page = _sign_in(browser, url, "qh-transport")
    page.get_by_role("link", name="实事 2026年第一批为民办实事项目").click()
    page.get_by_text("SS2026-1-002 西东村主干道硬化").click()
    page.get_by_role("button", name="＋ 添加进展情况").click()
    page.get_by_label("完成进度").fill("130")
    page.get_by_label(re.compile(r"^进展( \*)?$")).fill("完成路基施工 1.2 公里。")
    page.get_by_role("button", name="保存").click()
    _field(page, "huiyin-append").get_by_text("完成进度太大：不能大于 100").first.wait_for()
    _shot(page, "editor-matter-1280")
    page.get_by_label("完成进度").fill("40")
    page.get_by_role("button", name="保存").click()
    branch = _wait_for(lambda: next(iter(set(_branches(repo)) - before), None), "the progress branch")
    assert page.outside == []
    page.context.close()
    text = repo.git.show(f"{branch}:records/matters/SS2026-1/SS2026-1-002.yaml")
    assert text.startswith(OPEN_MATTER)
    assert text[len(OPEN_MATTER):] == f"updates:\n  - date: {date.today()}\n    text: 完成路基施工 1.2 公里。\n    percent: 40"
    assert _verdict(project, repo, branch, "qh-transport") == ([], [])


@pytest.mark.parametrize("width", [375, 1280])
def test_the_forms_fit_a_phone_and_a_desktop(editor, browser, width):
    url, _, _ = editor
    page = _sign_in(browser, url, "qh-hefeng", width)
    page.get_by_text("＋ 诉求").click()
    page.get_by_label("标题").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.get_by_label("标题").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    _shot(page, f"editor-case-{width}")
    assert page.outside == []
    page.context.close()


@pytest.mark.parametrize("login, shown", [("qh-hefeng", "qh-hefeng · 单位经办人 · 禾丰镇"), ("someone-else", "无法进入")])
def test_on_a_git_host_the_role_comes_from_the_staff_list_on_the_branch(tmp_path, browser, login, shown):
    """GitLab sign-in (the host's API mocked at the network layer): who signed in, then staff.yaml with their token."""
    _require(editor_available(), "node_modules (npm ci)")
    project, _ = make_project(tmp_path)
    records = validate(project / "records", as_of=date.today()).records
    site = tmp_path / "site"

    def write(rel: str, data: bytes) -> None:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)

    host = "https://git.example.gov.cn"
    write_editor(records, date.today(), {"backend": "gitlab", "repo": "qinghe/huiyin", "app_id": "abc", "base_url": host,
                                         "api_root": f"{host}/api/v4"}, write)
    staff = (project / "records/staff.yaml").read_text(encoding="utf-8")
    asked: list[tuple[str, str | None]] = []

    def git_host(route):
        request = route.request
        asked.append((request.url, request.headers.get("authorization")))
        if request.url == f"{host}/api/v4/user":
            return route.fulfill(json={"id": 7, "username": login, "name": login})
        if request.url == f"{host}/api/v4/projects/qinghe%2Fhuiyin/repository/files/records%2Fstaff.yaml/raw?ref=main":
            return route.fulfill(body=staff, content_type="text/plain; charset=utf-8")
        return route.fulfill(status=404, json={"message": "404 Not Found"})

    def portal(route):
        path = site / route.request.url.split("://portal.test/", 1)[1].split("?")[0]
        path = path / "index.html" if path.is_dir() else path
        if not path.is_file():
            return route.fulfill(status=404)
        kind = {".js": "text/javascript", ".json": "application/json", ".css": "text/css", ".html": "text/html"}
        return route.fulfill(path=str(path), content_type=kind.get(path.suffix, "application/octet-stream"))

    context = browser.new_context(locale="zh-CN")
    context.route(f"{host}/**", git_host)
    context.route("http://portal.test/**", portal)
    context.add_init_script('localStorage.setItem("decap-cms-user", JSON.stringify({backendName: "gitlab", token: "t0k"}))')
    page = context.new_page()
    page.goto("http://portal.test/admin/")
    page.get_by_text(shown).first.wait_for()
    assert (f"{host}/api/v4/user", "Bearer t0k") in asked
    assert any("records%2Fstaff.yaml/raw?ref=main" in url and auth == "Bearer t0k" for url, auth in asked)
    context.close()


def test_changing_a_past_event_is_a_correction_with_a_reason(fresh_editor, browser):
    url, project, repo = fresh_editor
    before = set(_branches(repo))
    page = _sign_in(browser, url, "qh-dispatch")
    page.get_by_role("link", name="诉求 2026年10月").click()
    page.get_by_text(f"{OLD_CASE} 禾丰镇集贸市场消防通道被占").click()
    events = _field(page, "huiyin-events")
    events.get_by_role("button", name="更正").first.wait_for()
    assert events.get_by_role("button", name="更正").count() == 1  # the 交办 event; 受理 is corrected by hand
    events.get_by_role("button", name="更正").click()
    page.get_by_label("办理层级").select_option(label="首联负责")
    page.get_by_role("button", name="保存").click()
    events.get_by_text("请写明更正理由（至少 4 个字，公开）").first.wait_for()
    time.sleep(1)
    assert set(_branches(repo)) == before
    page.get_by_label("更正理由").fill("交办时漏填办理层级")
    page.get_by_role("button", name="保存").click()
    branch = _wait_for(lambda: next(iter(set(_branches(repo)) - before), None), "the correction's branch")
    assert page.outside == []
    page.context.close()
    diff = repo.git.diff("--unified=0", "main", branch, "--", f"records/cases/2026/10/{OLD_CASE}.yaml").splitlines()
    assert [ln for ln in diff if ln[:1] in "+-" and ln[:3] not in ("+++", "---")] == [
        "+    level: first-contact", f"+    note: 更正（{date.today()}）：交办时漏填办理层级"]
    assert _verdict(project, repo, branch, "qh-dispatch") == ([], [])
