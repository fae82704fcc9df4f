"""`huiyin serve` at scale: how long after a case file is saved its page shows the change, and the full build ends.

For each size: a copy of the synthetic project (committed to Git), or with --project a project you copied for it
(already built, say: it is edited and kept), is served by `huiyin serve` in a process of its own. Once its first build has finished, a
public case's title is changed a few times, each after the last full build ended; for each the seconds until the
page served over HTTP shows the new title (target at 100k: ≤ 3 s), and until the full build behind it has finished;
then one more save during a build, and the seconds until the site holds it. Also the seconds one check of the
files' times takes (what the preview does every second where file events are unavailable), and the serve process's
peak memory (VmHWM).
Usage: python benchmarks/serve.py [N ...] [--work DIR]   (default 10000)
       python benchmarks/serve.py --project COPY [--copied-from DIR] [--as-of YYYY-MM-DD]
       [--saves 3] [--no-save-during-build]
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import AS_OF, synthetic_project  # noqa: E402
from generator.build import _keys_cache  # noqa: E402

GIT = ["git", "-c", "user.name=benchmark", "-c", "user.email=benchmark@example.org"]
PORT = int(os.environ.get("HUIYIN_BENCH_PORT", "8103"))
BUILT = "网站已重新生成"


def _git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=repo, check=True, stdout=subprocess.DEVNULL)


def public_cases(repo: Path, as_of: date, count: int) -> list[Path]:
    """count public case files received by as_of, spread over the folder."""
    files = sorted((repo / "records" / "cases").rglob("*.yaml"))
    found = []
    for path in files[len(files) // 3::max(1, len(files) // (count * 5))]:
        text = path.read_text(encoding="utf-8")
        received = re.search(r"(?m)^\s+- date: (\d{4}-\d\d-\d\d)\s*\n\s+type: received", text)
        if "visibility: restricted" not in text and received and date.fromisoformat(received.group(1)) <= as_of:
            found.append(path)
        if len(found) == count:
            break
    return found


def retitle(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1), encoding="utf-8")


class Serve:
    """`huiyin serve` in a process of its own, its output read line by line."""

    def __init__(self, repo: Path, as_of: date):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "-C", str(repo), "serve", "--as-of",
                                      as_of.isoformat(), "--port", str(PORT)], cwd=Path(__file__).resolve().parents[1],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip()))

    def until(self, text: str, timeout: float = 3600) -> float:
        """The time the next output line holding text was printed."""
        end = time.perf_counter() + timeout
        while True:
            at, line = self.lines.get(timeout=max(0.1, end - time.perf_counter()))
            if text in line:
                return at
            if "Traceback" in line or "错误" in line or "失败" in line:
                print("   ", line)

    def peak_mb(self) -> float:
        with open(f"/proc/{self.proc.pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def shows(url: str, text: str, timeout: float = 600) -> float:
    """The time the page at url first shows text (asked every 20 ms)."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if text in response.read().decode("utf-8"):
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not show {text} within {timeout} s")


def poll_seconds(repo: Path) -> float:
    """One check of the watched files' times, as the polling watcher makes it."""
    from watchdog.utils.dirsnapshot import DirectorySnapshot

    started = time.perf_counter()
    for name in ("records", "site_templates", "schemas"):
        DirectorySnapshot(str(repo / name))
    return time.perf_counter() - started


def run(repo: Path, as_of: date, saves: int, during_build: bool) -> None:
    print(f"  one check of the files' times (polling): {poll_seconds(repo):.2f} s")
    cases = public_cases(repo, as_of, saves + 1)
    serve = Serve(repo, as_of)
    try:
        started = time.perf_counter()
        serve.until(BUILT)
        print(f"  first build (serve's start): {time.perf_counter() - started:.1f} s")
        for i, path in enumerate(cases[:saves]):
            url = f"http://127.0.0.1:{PORT}/cases/{path.stem}.html"
            title = f"基准测试新标题{i}{time.time_ns() % 10_000}"
            saved = time.perf_counter()
            retitle(path, title)
            fresh = shows(url, title) - saved
            built = serve.until(BUILT) - saved
            print(f"  save {i + 1}: page shows it after {fresh:.2f} s; full build finished after {built:.1f} s")
        if not during_build:
            return
        first, second = cases[saves], cases[0]
        retitle(first, "基准测试保存甲")
        saved = time.perf_counter()
        time.sleep(1.0)  # the build for the first save has started
        again = time.perf_counter()
        retitle(second, "基准测试保存乙")
        fresh = shows(f"http://127.0.0.1:{PORT}/cases/{second.stem}.html", "基准测试保存乙") - again
        serve.until(BUILT)
        done = serve.until(BUILT) - saved
        site = repo / "site" / "cases"
        held = "基准测试保存甲" in (site / f"{first.stem}.html").read_text(encoding="utf-8") and \
            "基准测试保存乙" in (site / f"{second.stem}.html").read_text(encoding="utf-8")
        print(f"  a save during a build: its page shows it after {fresh:.2f} s; both builds finished after "
              f"{done:.1f} s; the site holds both saves: {held}")
    finally:
        print(f"  serve process peak memory (VmHWM): {serve.peak_mb():.0f} MB")
        serve.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--project", type=Path, help="serve this project (a copy made for it) instead of a synthetic one")
    parser.add_argument("--copied-from", type=Path, help="the project --project was copied from with its site and cache")
    parser.add_argument("--as-of", type=date.fromisoformat, default=AS_OF)
    parser.add_argument("--saves", type=int, default=3, help="saves timed one after another (default 3)")
    parser.add_argument("--no-save-during-build", dest="during_build", action="store_false")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "huiyin-bench" / "runs")
    args = parser.parse_args()
    sources = [] if args.project else [
        (f"{n:,} cases", synthetic_project(Path(tempfile.gettempdir()) / "huiyin-bench", n, 1000 if n >= 100_000 else None))
        for n in args.sizes]
    if args.project:
        print(args.project.name)
        if args.copied_from:  # the build keeps its page keys by the site's folder: the copy's site is that site
            cache = args.project / ".huiyin-cache"
            old = cache / _keys_cache(args.copied_from.resolve() / "site")
            if old.is_file():
                shutil.copy2(old, cache / _keys_cache(args.project.resolve() / "site"))
        run(args.project, args.as_of, args.saves, args.during_build)
    for label, source in sources:
        print(label)
        repo = args.work / f"serve-{time.time_ns()}"
        shutil.copytree(source, repo, symlinks=True)
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "synthetic sample")
        try:
            run(repo, args.as_of, args.saves, args.during_build)
        finally:
            shutil.rmtree(repo, ignore_errors=True)


if __name__ == "__main__":
    main()
