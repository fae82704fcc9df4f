"""The built portal in a real browser (Debian's chromium through Playwright): search, lookup, phones, axe-core."""

from __future__ import annotations

import functools
import json
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from generator.build import build

from .conftest import AS_OF, ROOT, in_ci

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
pytestmark = pytest.mark.xdist_group("browser")


def _require(condition: bool, what: str) -> None:
    if not condition:
        if in_ci():
            pytest.fail(f"{what} is required for browser tests (make setup-test installs it)")
        pytest.skip(f"{what} not installed")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    _require(CHROMIUM is not None, "chromium")
    project = tmp_path_factory.mktemp("browser-project")
    shutil.copytree(ROOT / "tests/fixtures/minimal/records", project / "records")
    for name in ("schemas", "site_templates"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    site = build(project, as_of=AS_OF, search=True).site_dir
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    _require(CHROMIUM is not None, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def _results(page) -> list[str]:
    page.wait_for_selector("#hy-search-results[aria-busy=false]", state="attached", timeout=15000)
    return page.locator(".hy-result__title").all_inner_texts()


@pytest.mark.parametrize("width", [375, 1280])
def test_search_in_chinese_with_filters_at_phone_and_desktop_width(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + "search/")
    page.fill("#hy-search-q", "公交")
    page.press("#hy-search-q", "Enter")
    titles = _results(page)
    assert titles and titles[0] == "西东村何时能通公交", titles
    assert "公司" not in "".join(titles)
    meta = page.locator(".hy-result__meta").first.inner_text()
    assert "诉求" in meta and "受理 2026年3月2日" in meta and "县交通运输局" in meta, meta
    # on a phone the filters wait behind a tap, so that the results come first; then every control has a
    # usable size at this width
    is_open = page.evaluate("() => document.getElementById('hy-search-filters').open")
    assert is_open == (width > 700)
    if not is_open:
        page.click("#hy-search-filters summary")
    sizes = page.evaluate("() => [...document.querySelectorAll('#hy-search select, #hy-search input')]"
                          ".map(e => [e.name, e.getBoundingClientRect().width])")
    assert all(w >= 12 for _, w in sizes), sizes
    assert page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth") <= 1
    page.check("input[name=kind][value=matter]")
    _results(page)
    assert page.locator(".hy-kind").all_inner_texts() in ([], ["实事"] * page.locator(".hy-kind").count())
    page.check("input[name=kind][value=case]")
    statuses = page.locator("select[name=status] option").all_inner_texts()
    assert statuses[0] == "全部状态" and len(statuses) > 1, statuses
    assert {s.split("（")[0] for s in statuses[1:]} <= {"已受理", "办理中", "已答复", "已办结", "已评价", "重办中"}, statuses
    # filters without a query: every overdue case, newest first
    page.fill("#hy-search-q", "")
    page.check("input[name=overdue]")
    titles = _results(page)
    assert titles and all(b.endswith("超期") for b in page.locator(".hy-result .hy-badge").all_inner_texts())
    assert "overdue=1" in page.url and "kind=case" in page.url
    context.close()


def test_search_with_no_result_suggests_something(desktop, site_url):
    desktop.goto(site_url + "search/?q=" + "火星基地")
    _results(desktop)
    assert "没有找到" in desktop.locator("#hy-search-status").inner_text()
    assert "全部诉求" in desktop.locator("#hy-search-suggest").inner_text()
    desktop.goto(site_url + "search/?q=qh20260302 7kq2m")
    assert _results(desktop) == ["西东村何时能通公交"]


def test_lookup_by_case_number_lands_on_case_page(phone, site_url):
    phone.goto(site_url)
    phone.fill("#hy-home-id", " qh20260302-7kq2m ")
    phone.click(".hy-hero button")
    phone.wait_for_url("**/cases/QH20260302-7KQ2M.html", timeout=10000)
    assert "西东村何时能通公交" in phone.locator("h1").inner_text()
    assert "县交通运输局" in phone.locator(".hy-facts").inner_text()
    assert phone.locator(".hy-reply").count() == 1


@pytest.mark.parametrize("typed", ["ＱＨ２０２６０３０２－７ＫＱ２Ｍ。", "qh 2026 0302 7kq2m", "20260302-7KQ2M",
                                   "QH2O26O3O2-7KQ2M"])
def test_lookup_forgives_how_people_type_a_number(phone, site_url, typed):
    phone.goto(site_url + "lookup/")
    phone.fill("#hy-lookup-id", typed)
    phone.click("#hy-lookup button")
    phone.wait_for_url("**/cases/QH20260302-7KQ2M.html", timeout=10000)


def test_lookup_of_a_restricted_case_says_it_is_handled_and_nothing_more(phone, site_url):
    phone.goto(site_url + "lookup/?id=qh20261012zx9qw")
    phone.wait_for_function("() => document.getElementById('hy-lookup-result').textContent.includes('已受理')",
                            timeout=10000)
    said = phone.locator("#hy-lookup-result").inner_text()
    assert "QH20261012-ZX9QW 已受理，正在按规定办理" in said and "依规不在网上公开" in said and "热线" in said
    assert "没有找到" not in said
    restricted = (ROOT / "tests/fixtures/minimal/records/cases/2026/10/QH20261012-ZX9QW.yaml").read_text(encoding="utf-8")
    title = next(line for line in restricted.splitlines() if line.startswith("title:")).split(":", 1)[1].strip(' "')
    assert title not in phone.content()
    listed = phone.evaluate("async () => await (await fetch('../search-index/restricted.json')).text()")
    assert "ZX9QW" not in listed and "20261012" not in listed  # digests only


def test_lookup_of_an_unknown_or_malformed_number_says_so(phone, site_url):
    phone.goto(site_url + "lookup/?id=QH20261012-ZX9QA")
    phone.wait_for_function("() => document.getElementById('hy-lookup-result').textContent.includes('没有找到')",
                            timeout=10000)
    assert "已受理" not in phone.locator("#hy-lookup-result").inner_text()
    phone.fill("#hy-lookup-id", "not-a-number")
    phone.evaluate("document.getElementById('hy-lookup').requestSubmit()")
    assert "格式不对" in phone.locator("#hy-lookup-result").inner_text()


PAGES = {"home": "", "search": "search/?q=公交", "lookup": "lookup/?id=QH20261012-ZX9QW", "case-list": "cases/month/2026-10/", "case": "cases/QH20260302-7KQ2M.html",
         "matters": "matters/SS2026-1/", "matter": "matters/SS2026-1-001/", "unit": "units/county-transport/",
         "units": "units/", "stats": "stats/", "replies": "replies/",
         "downloads": "downloads/", "staff-guide": "about/staff-guide/", "overdue": "cases/overdue/"}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_fit_a_phone_and_pass_axe(phone, site_url, name):
    _require(AXE.is_file(), "axe-core (npm ci)")
    missing = []
    phone.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    phone.goto(site_url + PAGES[name])
    phone.wait_for_load_state("networkidle")
    assert not missing, f"{name}: requests for missing files {missing}"
    overflow = phone.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name}: page is {overflow}px wider than the phone"
    shown_captions = phone.evaluate("() => [...document.querySelectorAll('caption.hy-visually-hidden')]"
                                    ".filter(c => c.getBoundingClientRect().width > 1).map(c => c.textContent)")
    assert not shown_captions, f"{name}: captions meant for screen readers are on screen: {shown_captions}"
    icons = phone.evaluate("() => [...document.querySelectorAll('details.hy-chart__data > summary')]"
                           ".map(s => getComputedStyle(s, '::before').content).filter(c => c !== 'none')")
    assert not icons, f"{name}: a chart's data table has Material's admonition icon: {icons}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
    phone.add_script_tag(path=str(AXE))
    result = phone.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name}: {serious}"


def test_keyboard_skip_link_and_visible_focus(desktop, site_url):
    _skip_link_leads_to_the_content(desktop, site_url + "search/")
    for _ in range(30):  # on to the search box, past whatever comes between
        desktop.keyboard.press("Tab")
        if desktop.evaluate("() => document.activeElement.id") == "hy-search-q":
            break
    outline = desktop.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                               "return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; }")
    assert desktop.evaluate("() => document.activeElement.id") == "hy-search-q"
    assert outline[0] != "none" and outline[1] >= 2, outline


SECTIONS = ["首页", "诉求", "留言板", "百件实事", "单位", "统计", "月度通报", "群众工作", "更正与变更", "开放数据", "查询", "搜索", "关于"]


def test_a_case_page_lists_the_sections_once_as_tabs_and_as_the_phone_drawer(desktop, phone, site_url):
    """A generated page carries the sections once (portal/nav.html): the tabs on a wide screen, the drawer on a phone."""
    case = site_url + "cases/QH20260302-7KQ2M.html"
    desktop.goto(case)
    nav = desktop.locator("nav.hy-nav")
    assert nav.locator("li a").all_inner_texts() == SECTIONS
    assert nav.locator("li a").first.is_visible() and desktop.locator("header label[for=__drawer]").is_hidden()
    assert desktop.locator(".md-sidebar").count() == 0  # no second copy of the list
    # the site's rules arrive through the one joined stylesheet (assets/pages.css)
    assert desktop.evaluate("getComputedStyle(document.querySelector('.hy-facts')).display") == "grid"
    phone.goto(case)
    first = phone.locator("nav.hy-nav li a").first
    assert not first.is_visible() or first.bounding_box()["x"] + first.bounding_box()["width"] <= 0  # off screen
    phone.click("header label[for=__drawer]")
    phone.wait_for_timeout(400)  # the drawer slides in
    box = first.bounding_box()
    assert box["x"] >= 0 and box["width"] > 100, box
    phone.click("nav.hy-nav li a >> text=留言板")
    phone.wait_for_url("**/replies/")


def test_a_case_page_on_a_phone_has_its_skip_link(phone, site_url):
    _skip_link_leads_to_the_content(phone, site_url + "cases/QH20260302-7KQ2M.html")


def _skip_link_leads_to_the_content(page, url: str) -> None:
    """The first Tab on the page reaches a visible 跳到正文 link, and Enter on it moves the focus to the content."""
    page.goto(url)
    page.keyboard.press("Tab")
    page.wait_for_timeout(500)  # the theme fades the skip link in
    skip = page.evaluate("() => { const e = document.activeElement, r = e.getBoundingClientRect(); "
                         "return [e.textContent.trim(), r.width, getComputedStyle(e).opacity]; }")
    assert skip[0] == "跳到正文" and skip[1] > 10 and float(skip[2]) > 0.9, skip
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "hy-main"


def test_the_keyboard_reaches_the_sections_on_a_narrow_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 600, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + "cases/QH20260302-7KQ2M.html")
    for _ in range(6):  # skip link, logo, then the sections
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('nav.hy-nav') !== null"):
            break
    page.wait_for_timeout(400)  # the drawer slides in (a .25 s transition)
    box = page.evaluate("() => document.activeElement.getBoundingClientRect().toJSON()")
    assert page.evaluate("() => document.activeElement.textContent") == "首页" and box["x"] >= 0, box
    context.close()


def test_term_links_get_their_explanation_as_a_tooltip(desktop, site_url):
    """The explanation comes from the glossary's script (assets/terms.js, cached), not from each page's markup."""
    desktop.goto(site_url + "cases/QH20260302-7KQ2M.html")
    term = desktop.locator("a.hy-term", has_text="办理层级").first
    assert term.get_attribute("href").endswith("about/glossary/#办理层级")
    term.hover()
    tooltip = desktop.locator(".md-tooltip2--active")  # the theme's tooltip, made from the title the script set
    tooltip.wait_for(timeout=5000)
    assert "首联负责、单位协办、转交督办、集中会商" in tooltip.inner_text()


def test_case_list_sorts_and_leads_to_the_filters(desktop, site_url):
    desktop.goto(site_url + "stats/")
    table = desktop.locator("table[data-sortable]").last  # by responsible unit
    received = lambda: [int(t) for t in table.locator("tbody tr > :nth-child(2)").all_inner_texts()]  # noqa: E731
    assert len(received()) >= 2
    table.locator("th:nth-child(2) button").click()
    assert received() == sorted(received())
    table.locator("th:nth-child(2) button").click()
    assert received() == sorted(received(), reverse=True)
    assert table.locator("th:nth-child(2)").get_attribute("aria-sort") == "descending"
    assert table.locator("th:nth-child(2) a.hy-term").count() == 1  # the heading still links to its definition
    desktop.goto(site_url + "cases/month/2026-10/")
    assert desktop.locator(".hy-download a").first.get_attribute("href").endswith("data/cases.csv")
    desktop.click("text=按状态、单位、类别、月份筛选这些诉求")
    desktop.wait_for_selector("#hy-search-results[aria-busy=false]", state="attached", timeout=15000)
    assert "month=2026-10" in desktop.url and desktop.locator("select[name=month]").input_value() == "2026-10"
    assert desktop.locator(".hy-result").count() >= 1


def test_pages_work_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(site_url + "cases/QH20260302-7KQ2M.html")
    assert "西东村何时能通公交" in page.locator("h1").inner_text()
    assert "经与客运公司沟通" in page.locator(".hy-reply").inner_text()
    page.goto(site_url + "stats/")
    assert page.locator("figure.hy-chart svg").count() >= 2
    context.close()


def test_desktop_screenshots(desktop, site_url):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("home", "case", "matters", "unit"):
        desktop.goto(site_url + PAGES[name])
        desktop.screenshot(path=str(ARTIFACTS / f"desktop-{name}.png"), full_page=True)
        assert desktop.title()
