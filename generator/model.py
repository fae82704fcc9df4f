"""The records as typed data: built from schema-valid YAML mappings, never holding derived facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


def to_date(value: Any) -> date:
    """A YYYY-MM-DD string (as the safe loader keeps it) or a date, as a date."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _opt_date(value: Any) -> date | None:
    return None if value is None else to_date(value)


def _corrections(d: dict) -> tuple[tuple[str, str], ...]:
    return tuple((str(c["date"]), c["reason"]) for c in d.get("corrections", ()))


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    name: str
    kind: str
    time_limits: dict = field(default_factory=dict)  # the channel's own limits (generator.obligations.time_limits)


@dataclass(frozen=True, slots=True)
class CaseType:
    id: str
    name: str
    reply_days: int
    close_days: int


@dataclass(frozen=True, slots=True)
class Settings:
    jurisdiction: str
    site_title: str
    publisher: str
    case_id_prefix: str
    categories: dict[str, Category]
    channels: dict[str, Channel]
    case_types: dict[str, CaseType]
    text_limits: dict[str, int]
    motto: str = ""
    min_cases_for_ranking: int = 5  # a rate over fewer cases is shown, marked, and not ranked
    matter_report_days: int | None = None  # an open practical matter reports progress at least this often
    hot_window_days: int = 30  # repeat complaints: same place and category, received at most this far apart
    hot_min_cases: int = 3  # a repeat group this large is a hot issue (热点)
    editor: dict = field(default_factory=dict)  # where the browser editor saves (settings.editor); not published
    commit_url: str = ""  # https://host/org/repo/commit/{commit}: history entries link to their commit

    @classmethod
    def from_dict(cls, d: dict) -> Settings:
        return cls(
            jurisdiction=d["jurisdiction"], site_title=d["site_title"], publisher=d["publisher"],
            case_id_prefix=d["case_id_prefix"], motto=d.get("motto", ""),
            categories={c["id"]: Category(c["id"], c["name"], c.get("description", "")) for c in d["categories"]},
            channels={c["id"]: Channel(c["id"], c["name"], c["kind"], dict(c.get("time_limits", {})))
                      for c in d["channels"]},
            case_types={t["id"]: CaseType(t["id"], t["name"], t["reply_days"], t["close_days"]) for t in d["case_types"]},
            text_limits=dict(d["text_limits"]), min_cases_for_ranking=d.get("min_cases_for_ranking", 5),
            matter_report_days=d.get("matter_report_days"), editor=dict(d.get("editor", {})), commit_url=d.get("commit_url", ""),
            hot_window_days=d.get("hot_issues", {}).get("window_days", 30),
            hot_min_cases=d.get("hot_issues", {}).get("min_cases", 3),
        )


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    name: str
    kind: str
    parent: str | None = None
    short_name: str = ""
    description: str = ""

    @classmethod
    def from_dict(cls, d: dict) -> Unit:
        return cls(d["id"], d["name"], d["kind"], d.get("parent"), d.get("short_name", ""), d.get("description", ""))

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class Event:
    """One dated step of a case; the fields a type does not use stay None."""

    date: date
    type: str
    note: str | None = None
    unit: str | None = None
    level: str | None = None
    reason: str | None = None
    notice_no: str | None = None
    deadline: date | None = None
    topic: str | None = None
    new_deadline: date | None = None
    text: str | None = None
    result: str | None = None
    comment: str | None = None
    method: str | None = None
    approved_by: str | None = None  # an extension's approving body (unit id)
    document_no: str | None = None  # and the number of its approval

    @classmethod
    def from_dict(cls, d: dict) -> Event:
        return cls(
            date=to_date(d["date"]), type=d["type"], note=d.get("note"), unit=d.get("unit"), level=d.get("level"),
            reason=d.get("reason"), notice_no=d.get("notice_no"), deadline=_opt_date(d.get("deadline")),
            topic=d.get("topic"), new_deadline=_opt_date(d.get("new_deadline")), text=d.get("text"),
            result=d.get("result"), comment=d.get("comment"), method=d.get("method"),
            approved_by=d.get("approved_by"), document_no=d.get("document_no"),
        )


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    title: str
    channel: str
    type: str
    category: str
    region: str
    content: str
    events: tuple[Event, ...]
    petitioner: str | None = None
    visibility: str = "public"
    restricted_reason: str | None = None
    co_units: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    duplicate_of: str | None = None
    reception: tuple[str, str] | None = None  # (leader id, 接访纪要 number) when received at a leader's reception
    package_leader: str | None = None  # the leader the case is packaged to (包案)
    path: str = ""  # the record file, relative to the project root
    corrections: tuple[tuple[str, str], ...] = ()  # (date, reason) of each correction note, in order
    # the first event's date, kept as a field: figures, lists and sorting read it millions of times at 100k cases
    # (as a property it took 8 of a build's 140 seconds)
    received: date = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "received", self.events[0].date)

    @classmethod
    def from_dict(cls, d: dict, path: str = "") -> Case:
        reception = d.get("reception")
        return cls(
            id=d["id"], title=d["title"], channel=d["channel"], type=d["type"], category=d["category"],
            region=d["region"], content=d["content"], events=tuple(Event.from_dict(e) for e in d["events"]),
            petitioner=d.get("petitioner"), visibility=d.get("visibility", "public"),
            restricted_reason=d.get("restricted_reason"), co_units=tuple(d.get("co_units", ())),
            related=tuple(d.get("related", ())), duplicate_of=d.get("duplicate_of"),
            reception=(reception["leader"], reception["minutes_no"]) if reception else None,
            package_leader=d.get("package_leader"), path=path, corrections=_corrections(d),
        )

    @property
    def public(self) -> bool:
        return self.visibility == "public"



@dataclass(frozen=True, slots=True)
class Batch:
    id: str
    number: int
    year: int
    title: str
    document_no: str
    published: date
    description: str = ""
    path: str = ""
    count: int | None = None  # the number of matters the batch's document lists

    @classmethod
    def from_dict(cls, d: dict, path: str = "") -> Batch:
        return cls(d["id"], d["number"], d["year"], d["title"], d["document_no"], to_date(d["published"]),
                   d.get("description", ""), path, d.get("count"))


@dataclass(frozen=True, slots=True)
class Milestone:
    title: str
    due: date
    done: date | None = None


@dataclass(frozen=True, slots=True)
class Update:
    date: date
    text: str
    percent: int | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    title: str
    url: str
    date: date | None = None


@dataclass(frozen=True, slots=True)
class Extension:
    date: date
    new_deadline: date
    reason: str
    approved_by: str | None = None
    document_no: str | None = None


@dataclass(frozen=True, slots=True)
class Survey:
    satisfied: int
    basically_satisfied: int
    unsatisfied: int

    @property
    def total(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied


@dataclass(frozen=True, slots=True)
class Matter:
    id: str
    batch: str
    number: int
    title: str
    description: str
    category: str
    unit: str
    responsible_name: str
    responsible_post: str
    deadline: date
    co_units: tuple[str, ...] = ()
    extensions: tuple[Extension, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    updates: tuple[Update, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    completed: date | None = None
    survey: Survey | None = None
    source_cases: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # the towns or villages it is in (none: county-wide)
    path: str = ""
    corrections: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_dict(cls, d: dict, path: str = "") -> Matter:
        survey = d.get("survey")
        return cls(
            id=d["id"], batch=d["batch"], number=d["number"], title=d["title"], description=d["description"],
            category=d["category"], unit=d["unit"], responsible_name=d["responsible"]["name"],
            responsible_post=d["responsible"]["post"], deadline=to_date(d["deadline"]),
            co_units=tuple(d.get("co_units", ())),
            extensions=tuple(Extension(to_date(x["date"]), to_date(x["new_deadline"]), x["reason"], x.get("approved_by"),
                                       x.get("document_no"))
                             for x in d.get("extensions", ())),
            milestones=tuple(Milestone(m["title"], to_date(m["due"]), _opt_date(m.get("done")))
                             for m in d.get("milestones", ())),
            updates=tuple(Update(to_date(u["date"]), u["text"], u.get("percent")) for u in d.get("updates", ())),
            evidence=tuple(Evidence(e["title"], e["url"], _opt_date(e.get("date"))) for e in d.get("evidence", ())),
            completed=_opt_date(d.get("completed")),
            survey=Survey(survey["satisfied"], survey["basically_satisfied"], survey["unsatisfied"]) if survey else None,
            source_cases=tuple(d.get("source_cases", ())), regions=tuple(d.get("regions", ())), path=path,
            corrections=_corrections(d),
        )


@dataclass
class Records:
    """Every record of a portal, by kind and id."""

    settings: Settings
    units: dict[str, Unit] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    batches: dict[str, Batch] = field(default_factory=dict)
    matters: dict[str, Matter] = field(default_factory=dict)
    calendar_years: dict[int, dict] = field(default_factory=dict)
    bulletins: dict[str, dict] = field(default_factory=dict)  # frozen snapshots by id, as stored
    rules: dict | None = None  # records/rules.yaml as stored (who may record what), when present and valid
    staff: dict | None = None  # records/staff.yaml as stored (never published: the site shows units and roles)
    periodic: dict[str, dict] = field(default_factory=dict)  # frozen weekly and annual reports by id, as stored
    leaders: dict[str, Any] = field(default_factory=dict)  # model_activities.Leader by id
    receptions: dict[str, Any] = field(default_factory=dict)  # model_activities.ReceptionSchedule by month
    surveys: dict[str, Any] = field(default_factory=dict)  # model_activities.SurveyCampaign by id
    broadcasts: dict[str, Any] = field(default_factory=dict)  # model_activities.Broadcast by id
    meetings: dict[str, Any] = field(default_factory=dict)  # model_activities.Meeting by id
