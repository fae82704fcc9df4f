"""The portal build: pages exist, record text is escaped and sanitised, no personal data, nothing from a CDN."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator import pii
from generator.build import BuildError, build

from .conftest import AS_OF

CASE = "cases/2026/03/QH20260302-7KQ2M.yaml"
# resources a browser would fetch from another host (plain <a href> links to other sites are fine)
EXTERNAL = re.compile(r"""<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc=["'](?:https?:)?//"""
                      r"""|<link\b[^>]*\bhref=["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["'](?:https?:)?//""", re.I)


@pytest.fixture
def hostile(project: Path) -> Path:
    """Record text that tries to run script, inject attributes and template syntax."""
    p = project / "records" / CASE
    text = p.read_text(encoding="utf-8")
    text = text.replace("title: 西东村何时能通公交", 'title: "西东村<script>alert(1)</script>{{ 7*7 }}</title>"')
    text = text.replace("  西东村离镇上八公里，", '  "><script>alert(4)</script><hy-root>西东村离镇上八公里，')
    text = text.replace("      计划于6月底前开通县城至西东村的城乡公交。",
                        "      计划于6月底前开通。<img src=x onerror=alert(2)> [点我](javascript:alert(3)) "
                        "[官网](https://www.example.gov.cn/) **已落实** {% raw %}{{ config }}")
    p.write_text(text, encoding="utf-8")
    return project


def _build(project: Path, **kw):
    return build(project, as_of=AS_OF, search=kw.pop("search", False), **kw)


def test_build_writes_every_page(project):
    result = _build(project)
    site = result.site_dir
    for page in ["index.html", "cases/index.html", "cases/QH20260302-7KQ2M.html", "cases/month/2026-03/index.html",
                 "cases/unit/county-transport/index.html", "cases/overdue/index.html", "replies/index.html",
                 "matters/index.html", "matters/SS2026-1/index.html", "matters/SS2026-1-001/index.html",
                 "units/index.html", "units/county-transport/index.html", "stats/index.html", "lookup/index.html",
                 "search/index.html", "about/index.html"]:
        assert (site / page).is_file(), page
    case_html = (site / "cases/QH20260302-7KQ2M.html").read_text(encoding="utf-8")
    for expected in ["西东村何时能通公交", "县交通运输局", "已评价", "2026年3月16日", "满意", "开通县城至西东村城乡公交"]:
        assert expected in case_html


def test_a_case_page_carries_a_lean_shell(project):
    """A case page is written once per case (100,000 at 100k): the frame around it stays small. Its sections once,
    the theme's stylesheet and one site stylesheet (the site's six and the frame's joined), the theme's script and one
    site script (the theme's globals and configuration and the glossary's tooltips), nothing inline, no generator tag,
    no empty sidebars; dates in the timeline as text."""
    site = _build(project).site_dir
    html = (site / "cases/QH20260302-7KQ2M.html").read_text(encoding="utf-8")
    article = re.search(r'<article class="hy-case".*?</article>', html, re.S).group(0)
    shell = len(html.encode()) - len(article.encode())
    assert shell < 3_400, shell  # about 11,000 with the theme's page (tabs, drawer and sidebars, six stylesheets …)
    assert re.findall(r'<link rel="stylesheet" href="\.\./assets/(?!stylesheets/)([^"]+)"', html) == ["pages.css"]
    assert re.findall(r'<script src="\.\./assets/(?!javascripts/)([^"]+)"', html) == ["pages.js"]
    assert "<script>" not in html and "<script id=" not in html and "data-md-color" not in html
    joined = (site / "assets/pages.css").read_text(encoding="utf-8")
    for part in ("huiyin.css", "charts.css", "history.css", "bulletin.css", "opendata.css", "activities.css", "frame.css"):
        assert (site / "assets" / part).read_text(encoding="utf-8") in joined, part
    script = (site / "assets/pages.js").read_text(encoding="utf-8")
    assert "__md_scope=new URL(\"..\",here)" in script and (site / "assets/terms.js").read_text(encoding="utf-8") in script
    assert html.count('href="../replies/"') == 1 and "md-sidebar" not in html and 'name="generator"' not in html
    assert "<li><time>2026-03-02</time> <b>受理</b>" in article
    home = (site / "index.html").read_text(encoding="utf-8")  # the hand-written pages keep the theme's frame
    assert '<link rel="stylesheet" href="assets/huiyin.css">' in home and "md-sidebar" in home


def test_links_home_from_every_depth_and_from_the_404_page(project):
    site = _build(project).site_dir

    def logo_link(page: str) -> str:
        html = (site / page).read_text(encoding="utf-8")
        return re.search(r'<header[^>]*>.*?<a href="([^"]*)"', html, re.S).group(1)  # the logo, the header's first link

    assert logo_link("index.html") == "./"
    assert logo_link("cases/QH20260302-7KQ2M.html") == "../"
    assert logo_link("cases/month/2026-03/index.html") == "../../../"
    assert logo_link("404.html") == "/"  # served at any depth: from the site's own path


def test_a_case_row_is_the_same_on_every_list_and_links_from_each_depth(project, monkeypatch):
    from generator.site import spec

    monkeypatch.setattr(spec.paginate, "__defaults__", (1, "", None))  # a case a page: page 2 is a folder deeper than 1
    site = _build(project).site_dir
    rows: dict[str, dict[str, str]] = {}  # case → list page → its row there
    for path in (site / "cases").rglob("index.html"):
        for row in re.findall(r"<tr>.*?</tr>", path.read_text(encoding="utf-8"), re.S):
            if found := re.search(r'class="hy-id">(QH[0-9]{8}-[0-9A-Z]{5})<', row):
                rows.setdefault(found.group(1), {})[path.relative_to(site).as_posix()] = row
    case, pages = next((c, p) for c, p in sorted(rows.items()) if len({page.count("/") for page in p}) > 1)
    assert len(pages) >= 4  # its month, unit, category and status, one of them on a page 2 or later
    for page, row in pages.items():
        assert f'href="{"../" * page.count("/")}cases/{case}.html"' in row, page
    assert len({row.replace("../", "") for row in pages.values()}) == 1


def test_lists_by_unit_category_and_status_show_the_newest_cases_and_months_show_all(tmp_path, monkeypatch):
    from generator.site import pages_cases

    from .opendata_support import make_project

    monkeypatch.setattr(pages_cases, "SHORT_LIST", 1)
    site = _build(make_project(tmp_path)).site_dir

    def listed(folder: str) -> dict[str, tuple[int, list[str]]]:
        """list → (its count of public cases, the ids on its pages, newest first)"""
        out = {}
        for first in sorted((site / "cases" / folder).glob("*/index.html")):
            pages = [first, *sorted(first.parent.glob("page/*/index.html"))]
            html = "".join(p.read_text(encoding="utf-8") for p in pages)
            total = int(re.search(r"共 ([0-9,]+) 件公开诉求", html).group(1).replace(",", ""))
            out[first.parent.name] = (total, re.findall(r'class="hy-id">(QH[0-9]{8}-[0-9A-Z]{5})<', html))
        return out

    months = listed("month")
    public = sorted(cid for _, ids in months.values() for cid in ids)
    assert sum(total for total, _ in months.values()) == len(public) == len(set(public))  # every case, once
    shortened = 0
    for folder in ("unit", "category", "status"):
        lists = listed(folder)
        shortened += sum(total > 1 for total, _ in lists.values())
        for key, (total, ids) in lists.items():
            assert len(ids) == min(total, 1), (folder, key)
            note = "这里列出最近受理的 1 件" in (site / "cases" / folder / key / "index.html").read_text(encoding="utf-8")
            assert note == (total > 1), (folder, key)
    assert shortened  # the fixture has lists of more than one case


def test_restricted_case_has_no_page_but_is_counted(project):
    site = _build(project).site_dir
    assert not list(site.glob("cases/QH20261012-ZX9QW*"))
    html = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "QH20261012-ZX9QW" not in html and "涉诉纠纷" not in html
    stats = (site / "stats/index.html").read_text(encoding="utf-8")
    assert "依规不公开的 1 件" in re.sub(r"<[^>]+>", "", stats)


def test_record_text_is_escaped_and_sanitised(hostile):
    site = _build(hostile).site_dir
    html = (site / "cases/QH20260302-7KQ2M.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in re.sub(r"\d{2,}", "", html.split("{{ 7*7 }}")[0][-5:])
    assert "onerror" not in html and "javascript:" not in html
    assert '<a href="https://www.example.gov.cn/" rel="nofollow noopener noreferrer">官网</a>' in html
    assert "<strong>已落实</strong>" in html
    assert "{{ config }}" in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and "&lt;/title&gt;" in title
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert description.startswith("&#34;&gt;&lt;script&gt;alert(4)&lt;/script&gt;&lt;hy-root&gt;西东村")
    assert "<script>alert(4)" not in html and "&lt;hy-root&gt;西东村离镇上八公里" in html  # the link marker stays text
    board = (site / "replies/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in board and "onerror" not in board


def test_no_personal_data_and_nothing_external(project):
    site = _build(project, search=True).site_dir
    for path in site.rglob("*"):
        if path.suffix in {".html", ".xml", ".json"} and path.is_file():
            assert "hy-root" not in path.read_text(encoding="utf-8"), f"{path}: a link marker left unresolved"
        if path.suffix not in {".html", ".json", ".xml", ".csv", ".txt", ".js"} or not path.is_file():
            continue
        if path.relative_to(site).parts[:2] == ("admin", "vendor"):  # third-party code and the license notices
            continue                                                  # that name its authors, as published on npm
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            assert not EXTERNAL.search(text), f"{path}: loads something from another host"
            assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        if path.suffix != ".js":
            assert not pii.find_pii(text), f"{path}: {pii.find_pii(text)[:1]}"
            # pages may show a masked name; data files may not (the editor's field help shows the form 张** as an example)
            assert "张**" not in text or path.suffix == ".html" or path.relative_to(site).parts[0] == "admin"


def test_sitemap_lists_every_public_page_when_the_address_is_known(project, monkeypatch):
    site = _build(project).site_dir
    assert not (site / "sitemap.xml").exists()  # no address: no sitemap of relative links
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\nDisallow: /admin/\n"
    monkeypatch.setenv("HUIYIN_SITE_URL", "https://example.org/qh")
    site = _build(project).site_dir
    listed = re.findall(r"<loc>https://example\.org/qh/([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    pages = sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html")
                   if p.name != "404.html" and not p.relative_to(site).as_posix().startswith("admin/"))  # staff only
    assert sorted(listed) == pages and "cases/QH20260302-7KQ2M.html" in listed and "" in listed
    assert not any("ZX9QW" in p for p in listed)  # the restricted case has no page
    assert "Sitemap: https://example.org/qh/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    case = (site / "cases/QH20260302-7KQ2M.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/qh/cases/QH20260302-7KQ2M.html">' in case
    assert '<meta property="og:url" content="https://example.org/qh/cases/QH20260302-7KQ2M.html">' in case
    assert '<meta property="og:title" content="西东村何时能通公交（QH20260302-7KQ2M）">' in case


def test_a_large_sitemap_becomes_an_index_of_files():
    from generator.site.sitemap import sitemap_files

    files = sitemap_files("https://example.org/", [f"cases/{n}.html" for n in range(5)])
    assert sorted(files) == ["sitemap.xml", "sitemap.xml.gz"] and files["sitemap.xml"].count(b"<url>") == 5
    import generator.site.sitemap as sitemap

    sitemap.PER_FILE, old = 2, sitemap.PER_FILE
    try:
        files = sitemap_files("https://example.org/", [f"cases/{n}.html" for n in range(5)])
    finally:
        sitemap.PER_FILE = old
    assert sorted(files) == ["sitemap.xml", "sitemap.xml.gz", "sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml",
                             "sitemaps/sitemap-3.xml"]
    assert files["sitemap.xml"].count(b"<sitemap>") == 3 and b"https://example.org/sitemaps/sitemap-3.xml" in files["sitemap.xml"]


def test_failed_build_leaves_previous_site(project):
    first = _build(project).site_dir
    marker = first / "index.html"
    before = marker.read_bytes()
    bad = project / "records" / CASE
    bad.write_text(bad.read_text(encoding="utf-8").replace("channel: reception-day", "channel: fax"), encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        _build(project)
    assert exc.value.report is not None and not exc.value.report.ok
    assert marker.read_bytes() == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-new")]


def test_search_index_is_written_into_the_site(project):
    site = _build(project, search=True).site_dir
    meta = json.loads((site / "search-index/meta.json").read_text(encoding="utf-8"))
    public = len([p for p in (site / "cases").glob("*.html") if p.name != "index.html"])
    assert meta["docs"] == public + len([p for p in (site / "matters").glob("*/index.html") if p.parent.name.count("-") == 2])
    assert [k[0] for k in meta["kinds"]] == ["case", "matter"] and meta["kinds"][0][2] == public
    assert (site / "assets/search.js").is_file() and (site / "assets/search-ui.js").is_file()
    assert not (site / "pagefind").exists()


def test_a_search_helper_that_dies_fails_the_build_and_leaves_the_old_site(project, monkeypatch):
    import shutil
    import subprocess

    from generator.site import search

    site = _build(project).site_dir
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    monkeypatch.setattr(search, "python_helper",  # a helper that exits at once, with 1
                        lambda module, *args, **popen: subprocess.Popen([shutil.which("false")], **popen))
    with pytest.raises(BuildError, match="搜索索引未能生成：建索引的进程意外退出（退出码 1）"):
        _build(project, search=True)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".")] == []  # no half-made site or index


def test_the_search_helper_names_what_went_wrong(tmp_path):
    import pickle
    import subprocess
    import sys

    from generator.site.search_index import Doc, Filters

    taken = tmp_path / "taken"
    taken.write_text("a file where the index should go", encoding="utf-8")
    doc = Doc("cases/QH20260302-7KQ2M.html", "西东村何时能通公交", "西东村路灯不亮", "case", "received", False,
              "2026-03-02", "county-transport", "urban-construction", "西东村路灯不亮")
    plan = ([doc], Filters({"case": {"received": "已受理"}}, {}, {}), str(taken / "search-index"))
    done = subprocess.run([sys.executable, "-c", "from generator.site.search_indexer import main; raise SystemExit(main())"],
                          input=pickle.dumps(plan), capture_output=True, timeout=60)
    assert done.returncode == 1
    assert "taken/search-index" in json.loads(done.stdout)["error"]


def test_render_workers_one_per_core_at_most_four_and_one_for_a_large_site(monkeypatch):
    from generator.site.plugin import render_workers

    monkeypatch.delenv("HUIYIN_WORKERS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert render_workers(420) == 2 and render_workers(100_000) == 1
    monkeypatch.setattr("os.cpu_count", lambda: 16)
    assert render_workers(420) == 4
    monkeypatch.setenv("HUIYIN_WORKERS", "3")
    assert render_workers(1) == 3


def _wait_gone(paths: list[Path], seconds: float = 20) -> bool:
    import time

    end = time.monotonic() + seconds
    while any(p.exists() for p in paths) and time.monotonic() < end:
        time.sleep(0.05)
    return not any(p.exists() for p in paths)


def test_folders_left_by_a_killed_build_are_removed_by_the_next(project):
    left = [project / ".site-new-k1ll3d", project / ".search-k1ll3d", project / ".site-old-123-456"]
    for folder in left:
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "index.html").write_text("x", encoding="utf-8")
    keep = project / ".searchlight"  # not a build's folder
    keep.mkdir()
    _build(project)
    assert _wait_gone(left)
    assert keep.is_dir()


def test_a_running_build_keeps_its_folders(project):
    import fcntl
    import os

    busy = [project / ".site-new-busy01", project / ".search-busy01"]
    for folder in busy:
        folder.mkdir()
    other_build = os.open(project, os.O_RDONLY)  # another build holds the lock (the site's folder), shared
    try:
        fcntl.flock(other_build, fcntl.LOCK_SH)
        _build(project)
    finally:
        os.close(other_build)
    assert all(folder.is_dir() for folder in busy)
    _build(project)  # with no other build running they are leftovers
    assert _wait_gone(busy)
