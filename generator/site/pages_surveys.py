"""The 满意度调查 pages: every survey campaign with its method, sample and results, overall, per unit and per town."""

from __future__ import annotations

from typing import Iterator

from ..activities import results_counts, survey_counts
from ..derive import Portal
from ..opendata.tables_activities import published_surveys
from .links import survey_path
from .spec import PageSpec


def summary(portal: Portal) -> dict:
    surveys = published_surveys(portal)
    latest = surveys[-1] if surveys else None
    return {"latest": latest, "counts": survey_counts([latest]) if latest else None, "count": len(surveys)}


def unit_results(portal: Portal, unit_id: str) -> list[tuple]:
    """(survey, 'unit' or 'town', the unit's results, their counts) for every published survey naming the unit."""
    out = []
    for sv in published_surveys(portal)[::-1]:
        for scope, results in (("unit", sv.units), ("town", sv.towns)):
            for r in results:
                if r.unit == unit_id:
                    out.append((sv, scope, r, results_counts(r)))
    return out


def survey_pages(portal: Portal) -> Iterator[PageSpec]:
    surveys = published_surveys(portal)
    rows = [(sv, survey_counts([sv])) for sv in surveys[::-1]]
    yield PageSpec("surveys/", "portal/surveys_index.html", "群众满意度调查", {
        "rows": rows, "all": survey_counts(surveys),
    }, description="群众满意度调查的方法、抽取户数、有效回答和结果")
    for sv, counts in rows:
        yield PageSpec(survey_path(sv.id), "portal/survey.html", sv.title, {
            "survey": sv, "counts": counts,
            "units": sorted(((r, results_counts(r)) for r in sv.units), key=lambda rc: -(rc[1].rate("poll_satisfaction_rate").value or 0)),
            "towns": [(r, results_counts(r)) for r in sv.towns],
        }, description=f"{sv.title}：方法、抽取户数、有效回答和结果")
