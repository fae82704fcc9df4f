"""Site size: where the bytes of a built site go, per case, by folder and kind.

GitHub Pages refuses a site over 1 GB, so a 100k-case site (+ 1k matters) must stay under 10 KB a case.
Prints, for each folder and kind of file: files, MB, bytes per case; the site's total per case as file bytes,
as the tar archive a GitHub Pages deploy packs (512-byte headers and padding per file), as that archive
compressed (upload-artifact sends it deflated; gzip -6 here), and as disk blocks; and a case page's split
between the theme's shell and the page's own article.
Usage: python benchmarks/size.py [N ...]          build N synthetic cases (default 10000 100000; 1k matters
                                                  from 100k) under the temporary folder ($TMPDIR) and measure
       python benchmarks/size.py --site DIR --cases N   measure a site already built from N cases
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TAR_BLOCK = 512
LIST_FOLDERS = ("category", "month", "overdue", "status", "unit")  # cases/<folder>/: the case lists


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


def case_page_split(site: Path, sample: int = 500) -> tuple[float, float, int]:
    """Mean bytes of a case page's own article and of the shell around it, over up to `sample` pages."""
    pages = sorted((site / "cases").glob("*.html"))
    step = max(1, len(pages) // sample)
    article = shell = n = 0
    for path in pages[::step]:
        html = path.read_bytes().decode("utf-8")
        match = _ARTICLE.search(html)
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


def report(site: Path, cases: int) -> None:
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
        print(f"  a case page (mean of {n}): {article + shell:,.0f} bytes = article {article:,.0f} + shell {shell:,.0f}")


def build_and_report(sizes: list[int]) -> None:
    from benchmarks._common import AS_OF, synthetic_project
    from generator.build import build

    base = Path(tempfile.gettempdir()) / "huiyin-bench-size"
    for n in sizes:
        matters = 1000 if n >= 100_000 else None
        print(f"{n:,} cases, {matters or 'default'} matters")
        project = synthetic_project(base, n, matters)
        site = base / "runs" / f"{n}-{time.time_ns()}" / "site"
        build(project, as_of=AS_OF, search=True, site_dir=site, cache_dir=project / ".huiyin-cache")
        report(site, n)
        print(f"  (site left in {site})")


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--site" in args:
        report(Path(args[args.index("--site") + 1]), int(args[args.index("--cases") + 1]))
    else:
        build_and_report([int(a) for a in args if a.isdigit()] or [10_000, 100_000])
