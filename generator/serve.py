"""Preview server: serve site/ on this machine; a saved record shows at once, the rest of the site follows.

On a save of a record file, the file is checked on its own and, for a public case, its page is rendered straight
away from what the last build left in memory (generator/preview.py) and served in place of the site's file, with a
banner saying that lists, statistics and search are being generated again. The full incremental build runs behind
it in a thread of its own; when it finishes, its site is served as it is. A change to templates, schemas or
mkdocs.yml runs the full build only. A file with errors gets the validator's Chinese messages on every page, and a
failed build keeps the last good site. Saves during a build queue one more build, so the site ends as the files are.

Changes are seen through the operating system's file events (watchdog: inotify on Linux), or by checking the
files' times every second where those are unavailable (at 100k cases one check stats 101,000 files: 0.7 CPU-s).
"""

from __future__ import annotations

import functools
import html
import http.server
import logging
import queue
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from .build import BuildError, Preview, build
from .issues import Issue, Report
from .preview import QuickPages, Saved
from .report_format import human

log = logging.getLogger(__name__)
WATCHED = ("records", "site_templates", "schemas")  # folders; and mkdocs.yml in the project folder
SETTLE = 0.15  # seconds without a new file event before a save counts as done (editors write, then rename)
FRESH = "本页已按刚保存的记录更新；列表、统计和搜索正在重新生成。"
BANNER_STYLE = ("position:sticky;top:0;z-index:10;margin:0;padding:.5em 1em;font-size:.8rem;line-height:1.5;"
                "background:{bg};color:#000;border-bottom:1px solid #888;white-space:pre-wrap")


def _ignored(path: Path) -> bool:
    """Editor backups and hidden files, as validation skips them."""
    return path.name.startswith(".") or path.name.endswith("~")


class _Events(FileSystemEventHandler):
    def __init__(self, project_dir: Path, changes: queue.Queue[Path]):
        self.project_dir = project_dir
        self.changes = changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode())
            if path.parent == self.project_dir and path.name != "mkdocs.yml":
                continue  # the site, its staging folders and the cache live here too
            if not _ignored(path):
                self.changes.put(path)


def watch(project_dir: Path, changes: queue.Queue[Path], *, polling: bool = False) -> BaseObserver:
    """Start reporting changed paths under the watched folders and mkdocs.yml into changes; file events where the
    system has them, else a check of the files' times every second."""
    handler = _Events(project_dir, changes)

    def started(observer: BaseObserver) -> BaseObserver:
        for name in WATCHED:
            if (project_dir / name).is_dir():
                observer.schedule(handler, str(project_dir / name), recursive=True)
        observer.schedule(handler, str(project_dir), recursive=False)
        observer.start()
        return observer

    if not polling:
        try:
            return started(Observer())
        except OSError as exc:  # no inotify, or its limit of watches reached
            click.echo(f"无法接收文件改动通知（{exc.strerror or exc}），改为每秒检查一次文件", err=True)
    return started(PollingObserver(timeout=1.0))


class PreviewServer:
    """The preview: HTTP server, watcher, quick pages and the full build in a thread (see the module docstring)."""

    def __init__(self, project_dir: Path, *, as_of: date, cache_dir: Path | None, host: str = "127.0.0.1",
                 port: int = 8000, search: bool = True, polling: bool = False):
        self.project_dir = project_dir.resolve()
        self.site_dir = self.project_dir / "site"
        self.as_of, self.cache_dir, self.search, self.polling = as_of, cache_dir, search, polling
        self.lock = threading.Condition()
        self.generation = 0  # counts batches of changes; a build includes those before it started
        self.wanted = True  # a full build is due
        self.building = False
        self.busy = False  # a batch of changes is being looked at
        self.builds = 0  # finished, with or without success
        self.preview: Preview | None = None
        self.quick: QuickPages | None = None
        self.fresh: dict[str, tuple[int, bytes]] = {}  # site path -> (generation, page) rendered ahead of the build
        self.problems: dict[str, tuple[int, list[Issue]]] = {}  # file -> (generation, its errors)
        self.build_problem: list[str] = []  # why the last build failed
        self.templates_changed = 0  # generation of the last change outside records/ (0: none pending)
        self.changes: queue.Queue[Path] = queue.Queue()
        handler = functools.partial(_Handler, directory=str(self.site_dir))
        self.http = http.server.ThreadingHTTPServer((host, port), handler)
        self.http.preview = self  # type: ignore[attr-defined]
        self.observer: BaseObserver | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = False

    @property
    def url(self) -> str:
        host, port = self.http.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        """Serve the site as it is, start watching, and run the first build in the background."""
        self.observer = watch(self.project_dir, self.changes, polling=self.polling)
        for target in (self.http.serve_forever, self._build_loop, self._change_loop):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, wait: float = 600) -> None:
        """Stop serving and watching; wait that long for a build that is running to finish."""
        with self.lock:
            self._stopping = True
            self.lock.notify_all()
        if self.observer is not None:
            self.observer.stop()
        self.http.shutdown()
        self.http.server_close()
        self.changes.put(self.project_dir)  # wakes the change loop, which then sees _stopping
        for thread in self._threads:
            thread.join(timeout=wait)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no change is waiting and no build is due or running (tests, benchmarks)."""
        end = time.monotonic() + timeout
        with self.lock:
            while self.wanted or self.building or self.busy or not self.changes.empty():
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self.lock.wait(min(left, 0.1))
        return True

    # changes

    def _change_loop(self) -> None:
        while True:
            batch = {self.changes.get()}
            with self.lock:
                self.busy = True
            while True:
                try:
                    batch.add(self.changes.get(timeout=SETTLE))
                except queue.Empty:
                    break
            if self._stopping:
                return
            try:
                self.changed(batch)
            except Exception as exc:  # a bug here must not stop the preview: the full build still runs
                log.debug("quick page failed", exc_info=True)
                click.echo(f"保存的记录未能单独预览（{type(exc).__name__}），随整站生成一起更新……", err=True)
                with self.lock:
                    self.wanted = True
            with self.lock:
                self.busy = False
                self.lock.notify_all()

    def changed(self, paths: set[Path]) -> None:
        """A batch of changed paths: check and render saved records at once, then ask for a full build."""
        records = self.project_dir / "records"
        saved = sorted(p for p in paths if p.is_relative_to(records) and p.suffix == ".yaml")
        elsewhere = any(not p.is_relative_to(records) for p in paths)
        with self.lock:
            self.generation += 1
            generation = self.generation
            if elsewhere:
                self.templates_changed = generation
                click.echo("模板、字段定义或网站配置有改动，整站重新生成……")
            quick, render = self.quick, not self.templates_changed
        results = [quick.saved(p, render) for p in saved] if quick is not None else []
        if saved and quick is None:
            click.echo("网站生成完成前，保存的记录随整站生成一起显示……")
        with self.lock:
            for result in results:
                self._note(result, generation)
            if elsewhere or not results or any(r.ok for r in results):
                # else every saved record has errors, which would fail the build: it waits for them to be mended
                self.wanted = True
            self.lock.notify_all()

    def _note(self, result: Saved, generation: int) -> None:
        if not result.ok:
            self.problems[result.file] = (generation, result.issues)
            click.echo(f"{result.file} 有错误，预览未更新：\n{_lines(result.issues)}", err=True)
            return
        self.problems.pop(result.file, None)
        if result.page is not None and result.html is not None:
            self.fresh[result.page] = (generation, result.html)
            click.echo(f"已更新 {result.file} 的页面：{self.url}{result.page}（列表、统计和搜索正在重新生成……）")
        elif result.note:
            click.echo(f"{result.file}：{result.note}；随整站生成一起更新……")

    # the full build

    def _build_loop(self) -> None:
        while True:
            with self.lock:
                while not self.wanted and not self._stopping:
                    self.lock.wait()
                if self._stopping:
                    return
                self.wanted, self.building = False, True
                generation = self.generation
                held = self.preview if self.preview is not None and not self.preview.patched else True
            started = time.perf_counter()
            result, problem = None, []
            try:
                result = build(self.project_dir, as_of=self.as_of, search=self.search, cache_dir=self.cache_dir,
                               preview=held)
                quick = QuickPages(self.project_dir, result.preview) if result.preview is not None else None
            except BuildError as exc:
                problem = [f"{exc}（显示的是上次成功生成的网站）"]
                if exc.report is not None:
                    problem.insert(0, human(exc.report))
            except Exception as exc:  # the preview keeps serving the last good site; the console says why
                log.debug("build failed", exc_info=True)
                problem = [f"生成失败（{type(exc).__name__}：{exc}），显示的是上次成功生成的网站"]
            seconds = time.perf_counter() - started
            with self.lock:
                self.building = False
                self.builds += 1
                if result is not None:
                    self.preview, self.quick = result.preview, quick
                    self.fresh = {page: v for page, v in self.fresh.items() if v[0] > generation}
                    self.problems = {f: v for f, v in self.problems.items() if v[0] > generation}
                    self.build_problem = []
                    if self.templates_changed <= generation:
                        self.templates_changed = 0
                else:
                    self.build_problem = problem
                self.lock.notify_all()
            if result is not None:
                click.echo(f"网站已重新生成（{seconds:.1f} 秒，{result.changed} 个文件有变化）：{self.url}")
            else:
                click.echo("\n".join(problem), err=True)

    # what a page shows besides its file

    def page(self, rel: str) -> tuple[bytes | None, str]:
        """The page rendered ahead of the build for a site path (or None), and the banner every page shows now."""
        with self.lock:
            fresh = self.fresh.get(rel)
            notes = [f"{file} 有错误，预览未更新：\n{_lines(issues)}" for file, (_g, issues) in sorted(self.problems.items())]
            notes += self.build_problem
        if notes:
            return (fresh[1] if fresh else None), _banner("\n\n".join(notes), "#fde2e1")
        return (fresh[1] if fresh else None), (_banner(FRESH, "#fff3c4") if fresh else "")


def _lines(issues: list[Issue]) -> str:
    """The validator's lines for these issues (personal data masked), without its summary line."""
    return "\n".join(human(Report(issues=list(issues), files_checked=1)).splitlines()[:-1])


def _banner(text: str, background: str) -> str:
    return f'<p class="hy-preview-banner" role="status" style="{BANNER_STYLE.format(bg=background)}">{html.escape(text)}</p>'


def with_banner(page: bytes, banner: str) -> bytes:
    """The page with the banner at the top of its body."""
    if not banner:
        return page
    body = page.find(b"<body")
    at = page.find(b">", body) + 1 if body >= 0 else 0
    return page[:at] + banner.encode("utf-8") + page[at:]


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature from the base class
        log.debug(format, *args)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a preview: always the newest file
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - name from the base class
        self._send(head=False)

    def do_HEAD(self) -> None:  # noqa: N802 - name from the base class
        self._send(head=True)

    def _send(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path).lstrip("/")
        rel = path + "index.html" if path.endswith("/") or not path else path
        fresh, banner = self.server.preview.page(rel)  # type: ignore[attr-defined]
        if fresh is None and (not banner or not rel.endswith(".html")):
            return super().do_HEAD() if head else super().do_GET()
        if fresh is None:
            try:
                fresh = Path(self.translate_path(urlsplit(self.path).path + ("" if rel == path else "index.html"))).read_bytes()
            except OSError:
                return super().do_HEAD() if head else super().do_GET()
        body = with_banner(fresh, banner)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


def serve_forever(project_dir: Path, *, as_of: date, cache_dir: Path | None, host: str, port: int) -> None:
    """Run the preview until Ctrl+C."""
    server = PreviewServer(project_dir, as_of=as_of, cache_dir=cache_dir, host=host, port=port)
    server.start()
    click.echo(f"预览地址：{server.url} （Ctrl+C 退出）；正在生成网站……")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop(wait=0)
