"""The 群众工作 pages of the activities scenario in a real browser: they fit a phone and pass axe-core."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from generator.build import build

from .activities_support import AS_OF, make_project
from .test_browser import AXE, CHROMIUM, CHROMIUM_ARGS, _QuietHandler, _require

PAGES = {"work": "work/", "places": "places/", "town": "places/hefeng-town/", "hot": "hot/", "hot-month": "hot/2026-11/",
         "reception": "reception/2026-11/", "leader": "reception/leaders/leader-b/", "survey": "surveys/2026-q3/",
         "meeting": "meetings/XT2026-01/", "criticism": "meetings/PP2026-1/", "broadcast": "broadcasts/ZF2026-040/",
         "reports": "reports/"}

pytestmark = pytest.mark.xdist_group("browser")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    _require(CHROMIUM is not None, "chromium")
    project = make_project(tmp_path_factory.mktemp("activities-browser"))
    site = build(project, as_of=AS_OF, search=False).site_dir
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def phone(site_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True,
                                      has_touch=True, locale="zh-CN")
        yield context.new_page()
        browser.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_activity_pages_fit_a_phone_and_pass_axe(phone, site_url, name):
    _require(AXE.is_file(), "axe-core (npm ci)")
    phone.goto(site_url + PAGES[name])
    overflow = phone.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name}: page is {overflow}px wider than the phone"
    icons = phone.evaluate("() => [...document.querySelectorAll('details.hy-pile > summary')]"
                           ".map(s => getComputedStyle(s, '::before').content).filter(c => c !== 'none')")
    assert not icons, f"{name}: a folded list has Material's admonition icon: {icons}"
    phone.add_script_tag(path=str(AXE))
    result = phone.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name}: {serious}"
