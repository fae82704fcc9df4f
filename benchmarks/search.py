"""Search quality and cost on the labelled queries (benchmarks/search_queries.yaml), in headless Chromium.

For each query, in a fresh browser context (nothing cached): the site's own search page runs the query through
its search code, and the script records the ranked records, the bytes the page fetched for the query (the search
code, its index files and the ten results' details) and the time from the query to the ten results' details.
Then the same queries again in one context, as a resident's later queries are (cache warm). Bytes are the
encoded bodies of the requests made until the tenth result's details arrived (resource timing).

Prints precision@10, recall@50, zero-result queries, bytes and latency, per query and in all.
- precision@10: relevant records among the first k results divided by k, where k = min(10, relevant records):
  a query with three relevant records is judged on its first three results.
- recall@50: relevant records among the first 50 results divided by min(50, relevant records).
Relevance comes from the labels (topics of the sample corpus), never from an engine; see the queries file.

Usage:
  python benchmarks/search.py                     # the shipped records (records/)
  python benchmarks/search.py --cases 100000      # a synthetic record set (huiyin sample), built once under
                                                  # the temporary folder and reused (several GB, minutes)
  python benchmarks/search.py --site DIR --records DIR   # an already built site of those records
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.sample import write_sample  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUERIES = Path(__file__).with_name("search_queries.yaml")
SHIPPED = {"cases": 420, "seed": 2026, "as_of": date(2026, 11, 21)}  # how records/ was written (huiyin sample)
CASE_ID = re.compile(r"^[A-Z]+[0-9]{8}-[0-9A-Z]{5}$")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

# In a page of the site without any search code (its 404 page): load the engine, run one query, and return the
# ranked URLs (up to 50) and the time until the first ten results' details were loaded. Bytes are counted from
# the page's requests meanwhile, so they include the engine's own code.
RUN_QUERY = """async ([q, engine]) => {
  const seen = performance.getEntriesByType("resource").length;
  const t0 = performance.now();
  if (!window.__engine) window.__engine = await (new Function("return (" + engine + ")()"))();
  const answer = await window.__engine(q);
  await answer.details(10);
  const ms = performance.now() - t0;
  const fetched = performance.getEntriesByType("resource").slice(seen).map(e => [e.name, e.encodedBodySize]);
  return {ms, fetched, total: answer.total, urls: await answer.urls(50), titles: await answer.titles(50)};
}"""
# Each engine: a function returning a promise of a function (query -> answer).
ENGINES = {
    "huiyin": """async () => {
      await new Promise((ok, fail) => { const s = document.createElement("script"); s.src = "/assets/search.js";
        s.onload = ok; s.onerror = fail; document.head.appendChild(s); });
      const engine = HuiyinSearch.open("/search-index/");
      return async (q) => {
        const r = await engine.query(q, {});
        return {total: r.total, details: (n) => engine.details(r.docs.slice(0, n)),
                urls: async (n) => (await engine.details(r.docs.slice(0, n))).map(d => d.url),
                titles: async (n) => (await engine.details(r.docs.slice(0, n))).map(d => d.title)};
      };
    }""",
    "pagefind": """async () => {
      const pf = await import("/pagefind/pagefind.js");
      await pf.options({bundlePath: "/pagefind/"});
      const shards = await (await fetch("/pagefind/shards.json")).json();
      for (const s of shards) await pf.mergeIndex("/pagefind/" + s);
      return async (q) => {
        const r = await pf.search(q);
        const data = (n) => Promise.all(r.results.slice(0, n).map(x => x.data()));
        return {total: r.results.length, details: data, urls: async (n) => (await data(n)).map(d => d.url),
                titles: async (n) => (await data(n)).map(d => d.meta.title)};
      };
    }""",
}


def engine_of(site: Path) -> str:
    return "huiyin" if (site / "assets" / "search.js").is_file() else "pagefind"


def labelled_queries(topics: dict[str, list[str]]) -> list[dict]:
    """The queries with their relevant record ids at this size (case numbers picked from these records)."""
    out = []
    public_cases = sorted(rid for rid in topics if CASE_ID.match(rid))
    median = public_cases[len(public_cases) // 2]
    for item in yaml.safe_load(QUERIES.read_text(encoding="utf-8")):
        if "case_number" in item:
            q = median if item["case_number"] == "as printed" else median.lower().replace("-", " ")
            out.append({"q": q, "relevant": {median}})
            continue
        wanted = set(item.get("topics", ()))
        relevant = {rid for rid, ts in topics.items() if wanted & set(ts)} | set(item.get("ids", ()))
        out.append({"q": item["q"], "relevant": relevant})
    return out


def record_id(url: str) -> str:
    """The record a result URL is about: cases/<id>.html or matters/<id>/ (anything else is kept as it is)."""
    path = url.split("#")[0].strip("/").split("/")
    if len(path) >= 2 and path[-2] == "cases" and path[-1].endswith(".html"):
        return path[-1][:-5]
    if len(path) >= 2 and path[-2] == "matters":
        return path[-1]
    return url


def judge(urls: list[str], relevant: set[str]) -> tuple[float, float]:
    ids = [record_id(u) for u in urls]
    if not relevant:
        return float("nan"), float("nan")
    k = min(10, len(relevant))
    precision = sum(1 for i in ids[:k] if i in relevant) / k
    recall = len(relevant & set(ids[:50])) / min(50, len(relevant))
    return precision, recall


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def measure(site: Path, queries: list[dict]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    gz_cache: dict[str, int] = {}

    def gz_size(url: str) -> int:
        rel = url[len(base):].split("?")[0].split("#")[0]
        if rel not in gz_cache:
            path = site / rel
            gz_cache[rel] = len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else 0
        return gz_cache[rel]

    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = browser.new_context(viewport={"width": 375, "height": 740})
            warm_page = warm.new_page()
            engine = ENGINES[engine_of(site)]
            warm_page.goto(base + "404.html")
            for item in queries:
                cold = browser.new_context(viewport={"width": 375, "height": 740})
                page = cold.new_page()
                page.goto(base + "404.html")
                answer = page.evaluate(RUN_QUERY, [item["q"], engine])
                fetched = answer["fetched"]
                cold.close()
                again = warm_page.evaluate(RUN_QUERY, [item["q"], engine])
                fetched_warm = again["fetched"]
                precision, recall = judge(answer["urls"], item["relevant"])
                rows.append({"q": item["q"], "relevant": len(item["relevant"]), "total": answer["total"],
                             "p10": precision, "r50": recall, "ms": answer["ms"], "ms_warm": again["ms"],
                             "bytes": sum(n for _, n in fetched), "gz": sum(gz_size(u) for u, _ in fetched),
                             "requests": len(fetched), "bytes_warm": sum(n for _, n in fetched_warm),
                             "shown": list(zip(answer["urls"], answer["titles"])), "relevant_ids": item["relevant"]})
            warm.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def report(rows: list[dict], label: str) -> None:
    print(f"\n{label}: {len(rows)} labelled queries")
    print(f"{'query':<18}{'rel':>6}{'found':>8}{'P@10':>7}{'R@50':>7}{'KB':>8}{'KB gz':>8}{'req':>5}{'ms':>7}"
          f"{'KB warm':>9}{'ms warm':>9}")
    for r in rows:
        print(f"{r['q'][:16]:<18}{r['relevant']:>6}{r['total']:>8}{r['p10']:>7.2f}{r['r50']:>7.2f}"
              f"{r['bytes'] / 1024:>8.1f}{r['gz'] / 1024:>8.1f}{r['requests']:>5}{r['ms']:>7.0f}"
              f"{r['bytes_warm'] / 1024:>9.1f}{r['ms_warm']:>9.0f}")
    judged = [r for r in rows if r["relevant"]]
    zero = [r["q"] for r in rows if r["total"] == 0]
    kb = [r["bytes"] / 1024 for r in rows]
    gz = [r["gz"] / 1024 for r in rows]
    ms = [r["ms"] for r in rows]
    print(f"mean precision@10 {statistics.mean(r['p10'] for r in judged):.3f}; "
          f"mean recall@50 {statistics.mean(r['r50'] for r in judged):.3f}; "
          f"queries below 0.9: P@10 {sum(r['p10'] < 0.9 for r in judged)}, R@50 {sum(r['r50'] < 0.9 for r in judged)}")
    print(f"zero-result queries: {len(zero)} {zero if zero else ''}")
    print(f"first query, cold (KB fetched): median {statistics.median(kb):.1f}, max {max(kb):.1f} "
          f"(gzip: median {statistics.median(gz):.1f}, max {max(gz):.1f})")
    print(f"later queries, warm (KB fetched): median {statistics.median(r['bytes_warm'] / 1024 for r in rows):.1f}, "
          f"max {max(r['bytes_warm'] / 1024 for r in rows):.1f}")
    print(f"latency to ten results' details (ms): cold median {statistics.median(ms):.0f}, max {max(ms):.0f}; "
          f"warm median {statistics.median(r['ms_warm'] for r in rows):.0f}, max {max(r['ms_warm'] for r in rows):.0f}")


def project_for(cases: int, base: Path) -> tuple[Path, dict]:
    """A project of `cases` synthetic cases under base (reused), with each record's topics."""
    project = base / f"search-{cases}"
    topics_file = project / "topics.json"
    if not topics_file.is_file():
        shutil.rmtree(project, ignore_errors=True)
        topics: dict = {}
        t = time.perf_counter()
        write_sample(project / "records", cases=cases, seed=SHIPPED["seed"], as_of=SHIPPED["as_of"],
                     matters=1000 if cases >= 100_000 else None, topics=topics)
        print(f"  generated {cases:,} cases in {time.perf_counter() - t:.0f} s")
        topics_file.write_text(json.dumps(topics, ensure_ascii=False), encoding="utf-8")
    for name in ("schemas", "site_templates"):
        shutil.rmtree(project / name, ignore_errors=True)
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project, json.loads(topics_file.read_text(encoding="utf-8"))


def shipped_topics() -> dict:
    """The shipped records' topics: records/ is `huiyin sample` with SHIPPED's arguments, written again here."""
    topics: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        write_sample(Path(tmp) / "records", topics=topics, **SHIPPED)
    return topics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, help="a synthetic record set of this many cases (default: records/)")
    parser.add_argument("--site", type=Path, help="an already built site (skips the build)")
    parser.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "huiyin-bench")
    parser.add_argument("--show", nargs="*", metavar="QUERY", help="only these queries: print their first 15 results")
    args = parser.parse_args()
    if CHROMIUM is None:
        sys.exit("chromium is needed (make setup-test installs it)")
    from generator.build import build

    if args.cases:
        project, topics = project_for(args.cases, args.base)
    else:
        project, topics = ROOT, shipped_topics()
    site = args.site
    if site is None:
        site = args.base / f"search-site-{args.cases or 'shipped'}"
        t = time.perf_counter()
        build(project, as_of=SHIPPED["as_of"], site_dir=site)
        print(f"  built the site in {time.perf_counter() - t:.0f} s")
    queries = labelled_queries(topics)
    if args.show is not None:
        chosen = [q for q in queries if q["q"] in args.show] if args.show else queries
        for row in measure(site, chosen):
            print(f"{row['q']}: {row['total']} found, P@10 {row['p10']:.2f}, R@50 {row['r50']:.2f}")
            for rank, (url, title) in enumerate(row["shown"][:15], 1):
                mark = "+" if record_id(url) in row["relevant_ids"] else " "
                print(f"  {rank:>2} {mark} {title}  {url}")
            missed = row["relevant_ids"] - {record_id(u) for u, _ in row["shown"][:50]}
            print(f"  relevant, not in the first 50: {sorted(missed)}")
        return
    rows = measure(site, queries)
    report(rows, f"{args.cases or 'shipped'} cases ({sum(1 for r in topics if CASE_ID.match(r)):,} public), {engine_of(site)}")


if __name__ == "__main__":
    main()
