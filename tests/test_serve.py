"""`huiyin serve`: a saved case shows on its page at once, and the page is the one the full build then writes; a
file with errors gets the validator's Chinese message on the page, which stays as it was; a change outside the
records runs the full build; without file events the preview checks the files' times instead."""

from __future__ import annotations

import queue
import re
import urllib.request
from pathlib import Path

import pytest

from generator import serve as serve_module
from generator.serve import PreviewServer, watch

from .conftest import SAMPLE_AS_OF
from .waiting import wait_until
from .test_incremental import _edit, committed_sample

pytestmark = pytest.mark.xdist_group("incremental")

CASE = "records/cases/2026/11/QH20261102-ARGQP.yaml"  # public, closed and evaluated
PAGE = "cases/QH20261102-ARGQP.html"
TEMPLATE = "site_templates/portal/case.html"
OLD_TITLE = "民办幼儿园乱收费"
WAIT = 120  # seconds: generous, the figure that matters is the benchmark's (benchmarks/serve.py)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _showing(preview, text: str) -> str | None:
    """The case page as served, once it shows text."""
    body = _get(preview.url + PAGE)
    return body if text in body else None


def _until(condition, what: str):
    return wait_until(condition, what, WAIT)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One preview for the module, on a committed copy of the sample (each test puts back what it edits)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("HUIYIN_SITE_URL", "https://example.org/")
        repo = committed_sample(tmp_path_factory.mktemp("serve"))
        server = PreviewServer(repo, as_of=SAMPLE_AS_OF, cache_dir=repo / ".huiyin-cache", port=0, search=False)
        server.made = []  # every saved record's result, pages rendered ahead of the build among them
        note = server._note

        def noting(result, generation):
            server.made.append(result)
            note(result, generation)

        server._note = noting
        server.start()
        assert server.wait_idle(600)
        yield server, repo
        server.stop()


@pytest.fixture
def preview(served):
    server, repo = served
    saved = {path: path.read_bytes() for path in (repo / CASE, repo / TEMPLATE)}
    yield server
    seen = server.generation
    changed = [path for path, raw in saved.items() if path.read_bytes() != raw]
    for path in changed:
        path.write_bytes(saved[path])
    if changed:
        _until(lambda: server.generation > seen, "the preview sees what was put back")
    assert server.wait_idle(600) and not server.problems and not server.build_problem


@pytest.fixture
def sample(served):
    """The repository the module's preview serves."""
    return served[1]


def test_a_saved_case_shows_at_once_and_equals_the_full_builds_page(preview, sample):
    assert OLD_TITLE in _get(preview.url + PAGE)
    builds, made = preview.builds, len(preview.made)
    _edit(sample / CASE, f'title: "{OLD_TITLE}"', "title: 民办幼儿园收费项目是否合规")

    shown = _until(lambda: _showing(preview, "民办幼儿园收费项目是否合规"), "the case page shows the new title")
    assert OLD_TITLE not in shown
    assert preview.wait_idle(600) and preview.builds == builds + 1
    quick = [r for r in preview.made[made:] if r.page == PAGE]
    assert len(quick) == 1 and quick[0].html is not None
    written = (sample / "site" / PAGE).read_bytes()
    assert quick[0].html == written  # byte for byte what the full build wrote
    assert _get(preview.url + PAGE).encode("utf-8") == written  # and served as it is: no banner once built
    assert "列表、统计和搜索正在重新生成" in _with_fresh_banner(preview)


def _with_fresh_banner(preview) -> str:
    """A page rendered ahead of the build, as served with its banner (put back in by hand: the build has finished)."""
    made = next(r for r in reversed(preview.made) if r.page)
    preview.fresh[made.page] = (preview.generation + 1, made.html)
    try:
        return _get(preview.url + made.page)
    finally:
        del preview.fresh[made.page]


def test_a_file_with_errors_shows_the_message_and_keeps_the_page(preview, sample):
    builds = preview.builds
    _edit(sample / CASE, f'title: "{OLD_TITLE}"', "title: 幼儿园乱收费请回电13912345678")
    shown = _until(lambda: _showing(preview, "有错误，预览未更新"), "the page shows the error")
    assert OLD_TITLE in shown and "13912345678" not in shown  # the old page; the number is not echoed
    assert [(i.code, i.file, i.field) for i in preview.problems[CASE][1] if i.severity == "error"] == [
        ("pii-mobile", CASE, "title")]
    assert "title" in _banner(shown) and CASE in _banner(shown)

    text = (sample / CASE).read_text(encoding="utf-8")  # the title put back, a category settings do not list
    text = text.replace("title: 幼儿园乱收费请回电13912345678", f'title: "{OLD_TITLE}"')
    (sample / CASE).write_text(text.replace("category: education", "category: schooling"), encoding="utf-8")
    _until(lambda: preview.problems.get(CASE, (0, []))[1] and
           preview.problems[CASE][1][0].code == "unknown-category", "the rule's error")
    assert [(i.code, i.file, i.field) for i in preview.problems[CASE][1]] == [("unknown-category", CASE, "category")]
    assert preview.wait_idle(600) and preview.builds == builds  # no build for a file that would fail it
    assert OLD_TITLE in _get(preview.url + PAGE)

    _edit(sample / CASE, "category: schooling", "category: education")  # mended: the message goes
    _until(lambda: not preview.problems, "the message goes")
    assert preview.wait_idle(600)
    assert "有错误" not in _get(preview.url + PAGE)


def _banner(page: str) -> str:
    found = re.search(r'<p class="hy-preview-banner"[^>]*>(.*?)</p>', page, re.S)
    assert found, "no banner"
    return found.group(1)


def test_two_saves_in_a_row_end_with_the_last(preview, sample):
    _edit(sample / CASE, f'title: "{OLD_TITLE}"', "title: 第一次保存")
    _until(lambda: preview.building, "a build runs")  # the second save comes during the build
    _edit(sample / CASE, "title: 第一次保存", "title: 第二次保存")
    _until(lambda: "第二次保存" in _get(preview.url + PAGE), "the second title")
    assert preview.wait_idle(600)
    written = (sample / "site" / PAGE).read_text(encoding="utf-8")
    assert "第二次保存" in written and "第一次保存" not in written
    assert _get(preview.url + PAGE) == written


def test_a_template_change_runs_the_full_build(preview, sample):
    builds = preview.builds
    template = sample / TEMPLATE
    _edit(template, '<h2>诉求内容</h2>', '<h2>诉求的内容</h2>')
    _until(lambda: preview.builds > builds and not preview.building, "a build after the change")
    assert preview.wait_idle(600)
    assert "诉求的内容" in _get(preview.url + PAGE)


def test_without_file_events_the_preview_checks_the_files(tmp_path, monkeypatch):
    (tmp_path / "records").mkdir()

    class NoEvents(serve_module.Observer):  # as where inotify is missing or its watches are used up
        def start(self):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(serve_module, "Observer", NoEvents)
    changes: queue.Queue[Path] = queue.Queue()
    observer = watch(tmp_path, changes)
    try:
        assert type(observer).__name__ == "PollingObserver"
        (tmp_path / "records" / "settings.yaml").write_text("x: 1\n", encoding="utf-8")
        assert changes.get(timeout=WAIT) == tmp_path / "records" / "settings.yaml"
    finally:
        observer.stop()
