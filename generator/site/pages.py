"""Every page of the portal: landing pages (in the mkdocs nav) and generated record/list pages."""

from __future__ import annotations

from itertools import chain
from typing import Iterator

from ..derive import Portal
from . import pages_cases, pages_matters, pages_units, pages_stats
from . import pages_activities
from .pages_corrections import corrections_page, rules_page
from .pages_downloads import downloads_page
from . import pages_bulletins
from .spec import PageSpec
from . import glossary
from ..comparisons import UNIT_GROUPS
from ..matter_measures import MATTER_MEASURES
from ..measures import DEFINITIONS_VERSION, MEASURES


def home(portal: Portal, board_first_page: PageSpec) -> PageSpec:
    """The home page: this month's figures, latest replies, practical-matters progress."""
    month = portal.figures.current_month()
    latest = board_first_page.context["items"][:6]
    return PageSpec("", "portal/home.html", "首页", {
        "month": month,
        "month_figures": portal.figures.total(month),
        "overdue_now": portal.figures.total(portal.figures.all_time).overdue,
        "latest_replies": latest,
        "batches": pages_matters.batch_summaries(portal),
        "latest_bulletin": pages_bulletins.latest(portal),
    })


def static_landing() -> list[PageSpec]:
    return [PageSpec("lookup/", "portal/lookup.html", "诉求查询"), PageSpec("search/", "portal/search.html", "搜索")]


def explanations() -> list[PageSpec]:
    """统计口径 (every figure's definition, from the registry) and 名词解释 (the glossary)."""
    return [PageSpec("about/figures/", "portal/definitions.html", "统计口径", {
                "measures": MEASURES, "matter_measures": MATTER_MEASURES, "groups": UNIT_GROUPS,
                "activity_sections": pages_activities.definition_sections(),
                "version": DEFINITIONS_VERSION}),
            PageSpec("about/glossary/", "portal/glossary.html", "名词解释", {"terms": glossary.TERMS})]


def landing_pages(portal: Portal) -> list[PageSpec]:
    """Pages the nav points at: rendered by mkdocs itself, so the nav marks them active."""
    board = pages_cases.reply_board(portal)[0]
    return [home(portal, board), pages_cases.cases_index(portal), board,
            pages_matters.matters_index(portal), pages_units.units_index(portal), pages_stats.stats_page(portal),
            pages_bulletins.bulletins_index(portal), corrections_page(portal),
            downloads_page(portal), *static_landing(), *explanations(), rules_page(portal), pages_activities.hub(portal)]


def record_pages(portal: Portal) -> Iterator[PageSpec]:
    """Everything else, generated lazily and rendered straight through the theme."""
    return chain(
        pages_cases.case_pages(portal),
        pages_cases.case_lists(portal),
        pages_cases.reply_board(portal)[1:],
        pages_matters.matter_pages(portal),
        pages_units.unit_pages(portal),
        pages_units.league_pages(portal),
        pages_bulletins.bulletin_pages(portal),
        pages_activities.activity_pages(portal),
    )


def landing_markdown(spec: PageSpec) -> tuple[str, str]:
    """(src_uri, Markdown source) of a landing page: front matter only, the template does the rest."""
    src = f"{spec.url}index.md"
    title = spec.title.replace('"', "'")
    return src, f'---\ntitle: "{title}"\ntemplate: {spec.template}\nhide: [navigation, toc]\n---\n'
