"""Benchmark: read the Git history of 100k records over 300k commits, cold and after one new commit.

    .venv/bin/python benchmarks/history.py [--records 100000] [--commits 300000] [--dir /tmp/...] [--workers N]

It also times the walk the corrections register (更正与变更) makes over every version once per build.

The synthetic repository is written with `git fast-import` (one record file per commit, like clerks
committing one action at a time: create a case, assign it, reply, correct a reply, extend, close …)
and kept between runs in --dir. Targets: cold ≤ 60 s, incremental after one new commit ≤ 2 s.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.history.read import read_history  # noqa: E402
from generator.history.view import History, Provenance  # noqa: E402
from generator.history.words import Describer  # noqa: E402

UNITS = ["county-transport", "county-housing", "county-water", "county-education", "county-health",
         "hefeng-town", "xindian-town", "county-market", "county-ecology", "county-civil"]
TYPES = ["consultation", "complaint", "suggestion", "help", "report"]
CATEGORIES = ["urban-construction", "environment", "property", "education", "medical", "living-security"]
TEXTS = ["经核实，该路段路灯因线路老化损坏，已于本周内完成更换，恢复正常照明。",
         "感谢您的建议。我局已将该线路纳入下一年度城乡公交规划，计划于6月底前开通。",
         "经现场查看，小区雨水管网存在堵塞，已安排专业队伍疏通，并将在汛期前完成改造。",
         "您反映的问题已转交属地镇政府办理，镇政府已约谈相关企业，责令限期整改。"]
EVENT_FLOW = ["assigned", "replied", "closed", "evaluated"]


def case_yaml(rid: str, received: date, events: list[dict]) -> bytes:
    lines = ["# yaml-language-server: $schema=../../../../schemas/case.schema.json", f"id: {rid}",
             "title: 西东村何时能通公交", "channel: hotline-12345", f"type: {TYPES[hash(rid) % 5]}",
             f"category: {CATEGORIES[hash(rid) % 6]}", "region: xidong-village", "petitioner: 张**",
             "content: |", "  村里老人看病、孩子上学都要走到国道边拦车，希望县里尽早开通到村里的公交线路。",
             "  附近几个村的群众也有同样的期盼。", "events:"]
    for e in events:
        lines.append(f"  - date: {e['date']}")
        lines.append(f"    type: {e['type']}")
        for k, v in e.items():
            if k in ("date", "type"):
                continue
            if k == "text":
                lines += ["    text: |", f"      {v}"]
            else:
                lines.append(f"    {k}: {v}")
    return ("\n".join(lines) + "\n").encode()


def synthesize(repo: Path, records: int, commits: int, seed: int = 7) -> None:
    """Write the synthetic repository with git fast-import."""
    rng = random.Random(seed)
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    proc = subprocess.Popen(["git", "-C", str(repo), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE)
    out = proc.stdin
    assert out is not None
    start = date(2020, 1, 1)
    t0 = 1577836800  # 2020-01-01
    step = max(1, (6 * 365 * 86400) // commits)
    state: dict[str, tuple[str, date, list[dict]]] = {}
    open_ids: list[str] = []
    created = 0

    def commit(i: int, path: str, data: bytes, message: str, author: str) -> None:
        ts = t0 + i * step
        msg = message.encode()
        out.write(b"commit refs/heads/main\n")
        out.write(f"author {author} <{author}@example.gov> {ts} +0800\n".encode())
        out.write(f"committer {author} <{author}@example.gov> {ts} +0800\n".encode())
        out.write(b"data %d\n%s\n" % (len(msg), msg))
        out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))

    authors = ["wangxm", "lina", "zhaoq", "zhoumin", "chenjie"]
    for i in range(commits):
        day = start + timedelta(days=(i * step) // 86400)
        must_create = records - created >= commits - i
        if created < records and (must_create or not open_ids or rng.random() < records / commits):
            rid = f"QH{day:%Y%m%d}-{format(created, '05d').translate(str.maketrans('0123456789', 'ABCDEFGHJK'))}"
            path = f"records/cases/{day:%Y}/{day:%m}/{rid}.yaml"
            events = [{"date": day.isoformat(), "type": "received"}]
            state[rid] = (path, day, events)
            open_ids.append(rid)
            created += 1
            commit(i, path, case_yaml(rid, day, events), f"受理 {rid}", rng.choice(authors))
            continue
        rid = open_ids[-1 - int(rng.random() ** 3 * min(len(open_ids), 5000))]  # mostly recent cases
        path, received, events = state[rid]
        done = [e["type"] for e in events]
        nxt = next((t for t in EVENT_FLOW if t not in done), None)
        if "replied" in done and rng.random() < 0.1:
            reply = next(e for e in events if e["type"] == "replied")
            reply["text"] = rng.choice(TEXTS)
            message = f"修改答复 {rid}"
        elif nxt is None or rng.random() < 0.05:
            events.append({"date": day.isoformat(), "type": "extended", "reason": "需协调多个部门",
                           "new_deadline": (day + timedelta(days=30)).isoformat()})
            message = f"延期 {rid}"
        else:
            event = {"date": day.isoformat(), "type": nxt}
            if nxt == "assigned":
                event["unit"] = rng.choice(UNITS)
            elif nxt == "replied":
                event["text"] = rng.choice(TEXTS)
            elif nxt == "evaluated":
                event["result"] = rng.choice(["satisfied", "basically-satisfied", "satisfied"])
                open_ids.remove(rid)
            events.append(event)
            message = f"{nxt} {rid}"
        commit(i, path, case_yaml(rid, received, events), message, rng.choice(authors))
    out.write(b"done\n")
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", "main"], check=True)


def add_one_commit(repo: Path) -> None:
    """Change one record and commit it, as a clerk would."""
    out = subprocess.run(["git", "-C", str(repo), "ls-files", "records/cases"], capture_output=True, text=True,
                         check=True).stdout.split()
    target = repo / out[len(out) // 2]
    target.write_text(target.read_text() + "  - date: 2026-01-02\n    type: closed\n", encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.gov",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.gov"}
    subprocess.run(["git", "-C", str(repo), "commit", "-qam", "办结"], check=True, env=env)


def cpu_seconds() -> float:
    """CPU time used so far by this process and its finished children (git, worker processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def walk_corrections(index) -> int:
    """What the 更正与变更 register does once per build: every case's and matter's revisions through the detection."""
    history = History(index, Describer(None), Provenance(index.head))
    return sum(len(history.notes_of(key.split(":")[0], key.split(":")[1], cidx, rkind, changes))
               for key in index.revisions if key.startswith(("case:", "matter:"))
               for cidx, rkind, changes in index.revisions_of(key))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--commits", type=int, default=300_000)
    ap.add_argument("--dir", type=Path, default=None, help="where to keep the synthetic repository")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--fresh", action="store_true", help="rebuild the synthetic repository")
    args = ap.parse_args()
    repo = args.dir or Path(tempfile.gettempdir()) / f"huiyin-bench-history-{args.records}-{args.commits}"
    marker = repo / ".bench-complete"
    if args.fresh or not marker.exists():
        t = time.perf_counter()
        synthesize(repo, args.records, args.commits)
        marker.write_text("ok")
        print(f"synthesized {args.records} records over {args.commits} commits in {time.perf_counter() - t:.1f} s")
    else:
        subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", "main"], check=True)
    files = len(subprocess.run(["git", "-C", str(repo), "ls-files"], capture_output=True, text=True).stdout.split())
    count = subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD"], capture_output=True, text=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"repository: {repo} ({files} files, {count.stdout.strip()} commits)")
    with tempfile.TemporaryDirectory() as cache:
        cache_dir = Path(cache)
        t, c = time.perf_counter(), cpu_seconds()
        cold = read_history(repo, cache_dir=cache_dir, deepen=False, workers=args.workers)
        cold_s, cold_cpu = time.perf_counter() - t, cpu_seconds() - c
        versions = sum(len(cold.index.revisions_of(k)) for k in cold.index.revisions)
        print(f"cold read: {cold_s:.1f} s wall, {cold_cpu:.1f} s CPU  ({cold.new_commits} commits, {len(cold.index.revisions)} records, "
              f"{versions} versions; {cold.timings})")
        t, c = time.perf_counter(), cpu_seconds()
        corrections = walk_corrections(cold.index)
        print(f"corrections register walk: {time.perf_counter() - t:.1f} s wall, {cpu_seconds() - c:.1f} s CPU "
              f"({corrections} corrections in {versions} versions)")
        t = time.perf_counter()
        warm = read_history(repo, cache_dir=cache_dir, deepen=False, workers=args.workers)
        print(f"warm read, no new commit: {time.perf_counter() - t:.2f} s ({warm.timings})")
        add_one_commit(repo)
        t, c = time.perf_counter(), cpu_seconds()
        inc = read_history(repo, cache_dir=cache_dir, deepen=False, workers=args.workers)
        inc_s, inc_cpu = time.perf_counter() - t, cpu_seconds() - c
        print(f"incremental after one new commit: {inc_s:.2f} s wall, {inc_cpu:.2f} s CPU ({inc.new_commits} new commit; {inc.timings})")
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", "HEAD~1"], check=True)
    # `git status` (is the work tree clean? for the footer) is not reading history: reported apart
    cold_h, inc_h = cold_s - cold.timings.get("status", 0), inc_s - inc.timings.get("status", 0)
    print(f"reading history without the work-tree check (git status {inc.timings.get('status', 0):.2f} s): "
          f"cold {cold_h:.1f} s, incremental {inc_h:.2f} s")
    print(f"targets: cold <= 60 s: {'met' if cold_h <= 60 else 'MISSED'}; "
          f"incremental <= 2 s: {'met' if inc_h <= 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
