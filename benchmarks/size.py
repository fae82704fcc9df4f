"""Site size: where the bytes of a built site go, per case, by folder and kind.

GitHub Pages refuses a site over 1 GB, so a 100k-case site (+ 1k matters) must stay under 10 KB a case.
Prints, for each folder and kind of file: files, MB, bytes per case; the site's total per case as file bytes,
as the tar archive a GitHub Pages deploy packs (512-byte headers and padding per file), as that archive
compressed (upload-artifact sends it deflated; gzip -6 here), and as disk blocks; and a case page's split
between its frame and the page's own article.
Given two sizes, it also projects the site to 100,000 cases: each folder's bytes as a fixed part plus a part per
case (a line through the two builds), except the lists that show only their newest SHORT_LIST cases per unit,
category and status, which grow with the cases they list (counted from the site's cases table).
The synthetic records are committed to Git first, as a published site's are, so that record pages carry their
修改记录; matters are max(60, N / 100), as at 100k (1,000).
Usage: python benchmarks/size.py [N ...]          build N synthetic cases (default 6000 10000) under the
                                                  temporary folder ($TMPDIR), measure, project to 100k
       python benchmarks/size.py --site DIR --cases N [--site DIR2 --cases N2]
                                                  measure sites already built from N (and N2) cases
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.site.pages_cases import SHORT_LIST, SHORT_LISTS  # noqa: E402

TAR_BLOCK = 512
LIST_FOLDERS = ("category", "month", "overdue", "status", "unit")  # cases/<folder>/: the case lists
PROJECT_TO = 100_000
GIT = ["git", "-c", "user.name=benchmark", "-c", "user.email=benchmark@example.org"]


def group(rel: str) -> tuple[str, str]:
    """(folder, kind) of a site file: its top folder, finer where one folder holds several kinds."""
    parts = rel.split("/")
    ext = rel.rsplit(".", 1)[-1] if "." in parts[-1] else "(none)"
    top = parts[0] if len(parts) > 1 else "(root)"
    if top == "cases":
        if len(parts) == 2 and parts[1] != "index.html":
            return "cases/<id>.html", "case pages"
        if parts[1] in LIST_FOLDERS:
            return f"cases/{parts[1]}/", "case lists"
    if top in ("data", "search-index", "feeds") and len(parts) > 2:
        return f"{top}/{parts[1]}/", ext
    return top + ("/" if len(parts) > 1 else ""), ext


def measure(site: Path) -> dict[tuple[str, str], list[int]]:
    """{(folder, kind): [files, bytes, tar bytes, disk bytes]} of every file under site."""
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for dirpath, dirnames, filenames in os.walk(site):
        rel_dir = os.path.relpath(dirpath, site)
        totals[("(folders)", "tar headers")][2] += TAR_BLOCK
        for name in filenames:
            st = os.stat(os.path.join(dirpath, name))
            row = totals[group(name if rel_dir == "." else f"{rel_dir}/{name}")]
            row[0] += 1
            row[1] += st.st_size
            row[2] += TAR_BLOCK + -(-st.st_size // TAR_BLOCK) * TAR_BLOCK
            row[3] += st.st_blocks * 512
    return totals


_ARTICLE = re.compile(r'<article class="hy-case".*?</article>', re.S)
_MAIN = re.compile(r'<main.*?</main>', re.S)


def case_page_split(site: Path, sample: int = 500) -> tuple[float, float, int]:
    """Mean bytes of a case page's own article and of the frame around it, over up to `sample` pages."""
    pages = sorted((site / "cases").glob("*.html"))
    step = max(1, len(pages) // sample)
    article = shell = n = 0
    for path in pages[::step]:
        html = path.read_bytes().decode("utf-8")
        match = _ARTICLE.search(html) or _MAIN.search(html)
        own = len(match.group(0).encode("utf-8")) if match else 0
        article += own
        shell += len(html.encode("utf-8")) - own
        n += 1
    return article / max(n, 1), shell / max(n, 1), n


def compressed_tar_bytes(site: Path) -> int:
    """Bytes of the site as a tar archive compressed with gzip -6 (about what a Pages deploy uploads)."""
    tar = subprocess.Popen(["tar", "-c", "-C", str(site), "."], stdout=subprocess.PIPE)
    gz = subprocess.Popen(["gzip", "-6"], stdin=tar.stdout, stdout=subprocess.PIPE)
    tar.stdout.close()
    size = 0
    while chunk := gz.stdout.read(1 << 20):
        size += len(chunk)
    gz.wait(), tar.wait()
    return size


def report(site: Path, cases: int) -> dict[str, int]:
    """Print where the site's bytes go; returns its bytes by folder."""
    totals = measure(site)
    files = sum(r[0] for r in totals.values())
    size, tar, disk = (sum(r[i] for r in totals.values()) for i in (1, 2, 3))
    gz = compressed_tar_bytes(site)
    print(f"  {files:,} files; per case: {size / cases:,.0f} bytes of files, {tar / cases:,.0f} as a tar archive, "
          f"{gz / cases:,.0f} as that archive compressed, {disk / cases:,.0f} on disk; in all {size / 1e6:,.0f} MB, "
          f"tar {tar / 1e6:,.0f} MB, compressed {gz / 1e6:,.0f} MB")
    by_folder: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (folder, _), row in totals.items():
        for i in range(3):
            by_folder[folder][i] += row[i]
    print(f"  {'folder':24} {'kind':12} {'files':>9} {'MB':>8} {'B/case':>8} {'tar B/case':>10}")
    for folder, (n, b, t) in sorted(by_folder.items(), key=lambda kv: -kv[1][2]):
        print(f"  {folder:24} {'':12} {n:9,} {b / 1e6:8.1f} {b / cases:8,.0f} {t / cases:10,.0f}")
        kinds = sorted(((k, r) for (f, k), r in totals.items() if f == folder), key=lambda kr: -kr[1][2])
        if len(kinds) > 1:
            for kind, (n, b, t, _) in kinds:
                print(f"  {'':24} {kind:12} {n:9,} {b / 1e6:8.1f} {b / cases:8,.0f} {t / cases:10,.0f}")
    article, shell, n = case_page_split(site)
    if n:
        print(f"  a case page (mean of {n}): {article + shell:,.0f} bytes = article {article:,.0f} + frame {shell:,.0f}")
    return {folder: row[1] for folder, row in by_folder.items()}


def listed_rows(site: Path, scale: float = 1.0) -> dict[str, float]:
    """Rows in the short lists (cases/unit/ …) if every group held `scale` times its public cases: each list shows
    at most SHORT_LIST. Counted from data/cases.csv (row 1 the Chinese titles, row 2 the field names)."""
    with open(site / "data" / "cases.csv", encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        header = next(rows)
        columns = {dim: header.index(dim) for dim in SHORT_LISTS}
        counts: dict[str, dict[str, int]] = {dim: defaultdict(int) for dim in SHORT_LISTS}
        for row in rows:
            for dim, i in columns.items():
                if row[i]:
                    counts[dim][row[i]] += 1
    return {f"cases/{dim}/": sum(min(n * scale, SHORT_LIST) for n in counts[dim].values()) for dim in SHORT_LISTS}


def projection(small: tuple[int, Path, dict[str, int]], large: tuple[int, Path, dict[str, int]],
            to: int = PROJECT_TO) -> None:
    """Print each folder's fixed bytes and bytes per case from two builds, and the site it makes at `to` cases."""
    (n1, _, b1), (n2, site2, b2) = small, large
    rows_now, rows_then = listed_rows(site2), listed_rows(site2, to / n2)
    print(f"projection to {to:,} cases from {n1:,} and {n2:,}: fixed MB + bytes per case = MB at {to:,}, B/case")
    lines, total = [], 0.0
    for folder in sorted(set(b1) | set(b2)):
        x1, x2 = b1.get(folder, 0), b2.get(folder, 0)
        if folder in rows_now:  # grows with the rows listed, which stop at SHORT_LIST per group
            per_case, fixed = x2 / n2, 0.0
            at = x2 * rows_then[folder] / max(rows_now[folder], 1)
            note = f"{rows_then[folder]:,.0f} rows listed at {to:,} ({rows_now[folder]:,.0f} at {n2:,})"
        else:
            per_case = (x2 - x1) / (n2 - n1)
            fixed = x2 - per_case * n2
            at, note = fixed + per_case * to, ""
        total += at
        lines.append((at, f"  {folder:24} {fixed / 1e6:8.1f} {per_case:9,.0f} {at / 1e6:9.1f} {at / to:8,.0f}  {note}"))
    print(f"  {'folder':24} {'fixed MB':>8} {'B per case':>9} {'MB':>9} {'B/case':>8}")
    for _, line in sorted(lines, reverse=True):
        if _ >= to * 0.5:  # folders of half a byte a case or more
            print(line)
    print(f"  in all at {to:,} cases: {total / 1e6:,.0f} MB, {total / to:,.0f} bytes per case (files)")


def committed_project(base: Path, n: int) -> Path:
    """The synthetic project of n cases committed to Git, as a published site's is: its records once, the
    templates again whenever this checkout's differ."""
    from benchmarks._common import synthetic_project

    project = synthetic_project(base, n)
    (project / ".gitignore").write_text(".huiyin-cache/\nsite/\n", encoding="utf-8")
    if not (project / ".git").is_dir():
        subprocess.run([*GIT, "init", "-q"], cwd=project, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=project, check=True)
    if subprocess.run([*GIT, "diff", "--cached", "--quiet"], cwd=project).returncode:
        subprocess.run([*GIT, "commit", "-q", "-m", "synthetic sample"], cwd=project, check=True)
    return project


def build_and_report(sizes: list[int]) -> None:
    from benchmarks._common import AS_OF
    from generator.build import build

    base = Path(tempfile.gettempdir()) / "huiyin-bench-size"
    measured = []
    for n in sizes:
        print(f"{n:,} cases, {max(60, n // 100):,} matters")
        project = committed_project(base, n)
        site = base / "runs" / f"{n}-{time.time_ns()}" / "site"
        build(project, as_of=AS_OF, search=True, site_dir=site, cache_dir=project / ".huiyin-cache")
        measured.append((n, site, report(site, n)))
        print(f"  (site left in {site})")
    if len(measured) >= 2:
        projection(measured[-2], measured[-1])


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--site" in args:
        given = [(Path(args[i + 1]), int(args[args.index("--cases", i) + 1])) for i, a in enumerate(args) if a == "--site"]
        measured = [(n, site, report(site, n)) for site, n in given]
        if len(measured) >= 2:
            projection(*sorted(measured, key=lambda m: m[0])[-2:])
    else:
        build_and_report(sorted(int(a) for a in args if a.isdigit()) or [6_000, 10_000])
