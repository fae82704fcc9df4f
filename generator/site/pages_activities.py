"""The 群众工作 section: a hub page in the nav, and every page of the public activities (places, hot issues,
leaders' receptions, surveys, broadcasts and meetings, weekly and annual reports)."""

from __future__ import annotations

from itertools import chain
from typing import Iterator

from ..activity_measures import ACTIVITY_BY_ID, SECTIONS
from ..derive import Portal
from . import pages_hot, pages_meetings, pages_periodic, pages_places, pages_reception, pages_surveys
from .spec import PageSpec


def hub(portal: Portal) -> PageSpec:
    """The landing page of the section: what each mechanism is, with its latest figures."""
    return PageSpec("work/", "portal/work.html", "群众工作", {
        "places": pages_places.places_index(portal).context,
        "hot": pages_hot.summary(portal),
        "reception": pages_reception.summary(portal),
        "surveys": pages_surveys.summary(portal),
        "meetings": pages_meetings.summary(portal),
        "reports": pages_periodic.summary(portal),
    })


def activity_pages(portal: Portal) -> Iterator[PageSpec]:
    return chain(
        [pages_places.places_index(portal)], pages_places.place_pages(portal),
        pages_hot.hot_pages(portal),
        pages_reception.reception_pages(portal),
        pages_surveys.survey_pages(portal),
        pages_meetings.meeting_pages(portal),
        pages_periodic.periodic_pages(portal),
    )


def definition_sections() -> list[tuple[str, list]]:
    """The activity registry as the 统计口径 page shows it: (section title, measures)."""
    return [(title, [ACTIVITY_BY_ID[mid] for mid in ids]) for title, ids in SECTIONS]
