"""Links inside the site, written once for every page at any folder depth.

Templates write `{{ 'cases/' | url }}`. Instead of mkdocs' filter, which works each link out against
the page being rendered, `url` puts a root marker in front of the path, and the marker becomes the
page's way back to the root ("../../") when the page is written. So a piece of HTML rendered once
(the theme's header and navigation, a macro) serves every page at that depth, and templates need no
page context to make links. Record text can never contain the marker: it is escaped (`<` becomes
`&lt;`) or sanitised before it reaches a page.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from markupsafe import Markup, escape

ROOT = "<hy-root>"
ROOT_IN_JSON = "\\u003chy-root\\u003e"  # the same marker after Jinja's tojson (the theme's app config)


@lru_cache(maxsize=8192)
def url(value: object) -> Markup:
    """The `url` filter: a site path made relative to the page it ends up on; other URLs unchanged."""
    path = str(value)
    split = urlsplit(path)
    if split.scheme or split.netloc or path.startswith(("/", "#")):
        return Markup(escape(path))
    return Markup(ROOT) + (path if path not in ("", ".") else "./")


HOME = ROOT + "./"  # what url gives for the home page


def case_path(case_id: str) -> str:
    """Where a case's page is, from the site root: a file, not a folder, as there are tens of thousands."""
    return f"cases/{case_id}.html"


# Where each kind of record's page is, from the site root: the one place these paths are written (page specs,
# templates through SiteData, feeds, open data and the search index all use them).
def unit_path(unit_id: str) -> str:
    return f"units/{unit_id}/"


def matter_path(matter_or_batch_id: str) -> str:
    """A practical matter's page, or its batch's (matters/SS2026-1/)."""
    return f"matters/{matter_or_batch_id}/"


def place_path(unit_id: str) -> str:
    return f"places/{unit_id}/"


def leader_path(leader_id: str) -> str:
    return f"reception/leaders/{leader_id}/"


def meeting_path(meeting_id: str) -> str:
    return f"meetings/{meeting_id}/"


def broadcast_path(broadcast_id: str) -> str:
    return f"broadcasts/{broadcast_id}/"


def survey_path(survey_id: str) -> str:
    return f"surveys/{survey_id}/"


def hot_month_path(month: str) -> str:
    return f"hot/{month}/"


def root_of(page_url: str) -> str:
    """The relative way from a page ("units/x/" or "cases/QH….html") back to the site root."""
    return "../" * page_url.count("/")


def resolve(html: str, root: str) -> str:
    """Turn every root marker in a rendered page into the page's way back to the root."""
    if ROOT not in html and ROOT_IN_JSON not in html:
        return html
    home = root or "./"  # the home page itself: "../../" from below, "/" on the 404 page, "./" at the root
    return html.replace(HOME, home).replace(ROOT, root).replace(ROOT_IN_JSON, root)
