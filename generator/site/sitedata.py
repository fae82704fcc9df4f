"""What every template may ask of the portal: names, labels and URLs (the `hy` global)."""

from __future__ import annotations

from ..derive import Portal
from ..lifecycle import CASE_STATUS_LABELS, EVALUATION_LABELS, LEVEL_LABELS, MATTER_STATUS_LABELS
from ..comparisons import GROUP_NAMES
from ..activities import (MEASURE_OUTCOME_LABELS, MEDIUM_LABELS, MEETING_KIND_LABELS, SURVEY_METHOD_LABELS,
                          measure_outcome, results_counts)
from ..activity_measures import ACTIVITY_BY_ID
from ..matter_measures import MATTER_BY_ID
from ..measures import BY_ID
from ..model import Case, Unit
from . import glossary
from .links import (broadcast_path, case_path, hot_month_path, leader_path, matter_path, meeting_path, place_path,
                    survey_path, unit_path)

EVENT_LABELS = {"received": "受理", "assigned": "交办", "transferred": "转办", "supervised": "督办",
                "meeting": "集中会商", "extended": "延期", "replied": "答复", "closed": "办结", "evaluated": "回访评价"}
UNIT_KIND_LABELS = {"office": "县政府", "department": "县直部门", "town": "镇街", "village": "村",
                    "community": "社区", "company": "公共服务企业"}
RESTRICTED_LABELS = {"privacy": "涉及个人隐私", "litigation": "涉法涉诉", "other": "依规不公开"}
METHOD_LABELS = {"phone": "电话回访", "sms": "短信回访", "visit": "上门回访", "online": "网上评价"}


class SiteData:
    """Read-only view over a derived Portal for templates."""

    status_labels = CASE_STATUS_LABELS
    matter_status_labels = MATTER_STATUS_LABELS
    level_labels = LEVEL_LABELS
    evaluation_labels = EVALUATION_LABELS
    event_labels = EVENT_LABELS
    unit_kind_labels = UNIT_KIND_LABELS
    restricted_labels = RESTRICTED_LABELS
    method_labels = METHOD_LABELS

    meeting_kind_labels = MEETING_KIND_LABELS
    survey_method_labels = SURVEY_METHOD_LABELS
    medium_labels = MEDIUM_LABELS
    measure_outcome_labels = MEASURE_OUTCOME_LABELS

    measures = BY_ID
    matter_measures = MATTER_BY_ID
    group_names = GROUP_NAMES

    def __init__(self, portal: Portal):
        self.portal = portal
        self.settings = portal.records.settings
        self.as_of = portal.as_of
        self.min_cases = self.settings.min_cases_for_ranking
        self.group_notes: dict = {}  # group id -> the line its cases' pages show, rendered once (act.case_section)
        self._activity_cases: set[str] | None = None

    # figures and terms
    def measure(self, measure_id: str):
        return BY_ID.get(measure_id) or MATTER_BY_ID.get(measure_id) or ACTIVITY_BY_ID[measure_id]

    @staticmethod
    def definition_url(measure_id: str) -> str:
        return f"about/figures/#{measure_id}"

    def term_text(self, name: str) -> str:
        """A glossary term's explanation (KeyError for a term that is not in the glossary)."""
        return glossary.explain(glossary.BY_NAME[name], self.settings)

    @staticmethod
    def term_url(name: str) -> str:
        """Where a glossary term is explained (KeyError for a term that is not in the glossary); the link gets its
        explanation as a tooltip from the glossary's script (glossary.tooltips_script), not on every page."""
        return f"about/glossary/#{glossary.BY_NAME[name].name}"

    # names
    def unit(self, unit_id: str | None) -> Unit | None:
        return self.portal.records.units.get(unit_id) if unit_id else None

    def unit_name(self, unit_id: str | None) -> str:
        u = self.unit(unit_id)
        return u.name if u else (unit_id or "待交办")

    def region_path(self, unit_id: str) -> list[Unit]:
        """The region from the county down: 青禾县 › 禾丰镇 › 西东村 (without the county government itself)."""
        out, cur = [], self.unit(unit_id)
        while cur is not None and cur.parent:
            out.append(cur)
            cur = self.unit(cur.parent)
        return out[::-1]

    def category_name(self, cid: str) -> str:
        c = self.settings.categories.get(cid)
        return c.name if c else cid

    def channel_name(self, cid: str) -> str:
        c = self.settings.channels.get(cid)
        return c.name if c else cid

    def type_name(self, tid: str) -> str:
        t = self.settings.case_types.get(tid)
        return t.name if t else tid

    def state(self, case: Case):
        return self.portal.case_states[case.id]

    def matter_state(self, matter_id: str):
        return self.portal.matter_states[matter_id]

    def case(self, case_id: str) -> Case | None:
        return self.portal.cases.get(case_id)

    def is_public_case(self, case_id: str) -> bool:
        c = self.portal.cases.get(case_id)
        return bool(c and c.public)

    # urls (site-relative; templates pass them through the `url` filter)
    case_url = staticmethod(case_path)
    unit_url = staticmethod(unit_path)
    matter_url = staticmethod(matter_path)
    batch_url = staticmethod(matter_path)

    @staticmethod
    def month_url(month: str) -> str:
        return f"cases/month/{month}/"

    @staticmethod
    def category_url(cid: str) -> str:
        return f"cases/category/{cid}/"

    @staticmethod
    def status_url(status: str) -> str:
        return f"cases/status/{status}/"

    # the public activities (places, hot issues, surveys, broadcasts, meetings, leaders)
    def place_url(self, unit_id: str) -> str | None:
        """The place page of a town or village; None for a unit that is not a place."""
        return place_path(unit_id) if unit_id in self.portal.places else None
    leader_url = staticmethod(leader_path)

    def measure_outcome(self, measure) -> str:
        """A meeting measure's outcome on the as-of day: met, late, missed or pending."""
        return measure_outcome(measure, self.as_of)

    @staticmethod
    def results_counts(results):
        return results_counts(results)

    def leader(self, leader_id: str | None):
        return self.portal.records.leaders.get(leader_id) if leader_id else None
    meeting_url = staticmethod(meeting_path)
    broadcast_url = staticmethod(broadcast_path)
    survey_url = staticmethod(survey_path)
    hot_month_url = staticmethod(hot_month_path)

    def group_of(self, case_id: str):
        """The repeat group a case belongs to, or None."""
        return self.portal.group_of(case_id)

    @property
    def activity_cases(self) -> set[str]:
        """Cases that a broadcast, a meeting or a repeat group names (their page has a section on it)."""
        if self._activity_cases is None:
            p = self.portal
            self._activity_cases = ({c.id for g in p.repeat_groups for c in g.cases} | set(p.meetings_by_case)
                                    | set(p.broadcasts_by_case))
        return self._activity_cases

    def remember_group_note(self, group_id: str, html):
        self.group_notes[group_id] = html
        return html

    def published_surveys(self) -> list:
        """(survey, its counts) of every survey published by the as-of day, newest first."""
        from ..opendata.tables_activities import published_surveys
        from ..activities import survey_counts
        return [(sv, survey_counts([sv])) for sv in published_surveys(self.portal)[::-1]]

    def unit_survey_results(self, unit_id: str) -> list:
        """(survey, 'unit' or 'town', results, counts) for the surveys that rate this unit or town."""
        from .pages_surveys import unit_results
        return unit_results(self.portal, unit_id)
