"""The government's public activities as typed records: leaders and their reception schedules, satisfaction
surveys, hotline broadcasts and meetings (协调会、联席会议、有奖批评会). Built from schema-valid mappings; nothing
derived is stored here (a measure's outcome, a survey's rate, a session's cases are computed elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import to_date


def _opt_date(value) -> date | None:
    return None if value is None else to_date(value)


@dataclass(frozen=True, slots=True)
class Official:
    """A public official named on the portal (a broadcast's guest, a meeting's chair)."""

    name: str
    post: str


@dataclass(frozen=True, slots=True)
class Leader:
    id: str
    name: str
    post: str
    portfolio: str = ""
    categories: tuple[str, ...] = ()
    order: int = 0
    path: str = ""

    @classmethod
    def from_dict(cls, d: dict, path: str = "") -> Leader:
        return cls(d["id"], d["name"], d["post"], d.get("portfolio", ""), tuple(d.get("categories", ())),
                   d.get("order", 0), path)


@dataclass(frozen=True, slots=True)
class Session:
    """One scheduled reception: a leader at a place on a day."""

    date: date
    leader: str
    place: str
    focus: str = ""


@dataclass(frozen=True, slots=True)
class ReceptionSchedule:
    id: str  # the month, YYYY-MM
    published: date
    place: str
    sessions: tuple[Session, ...]
    document_no: str = ""
    hours: str = ""
    note: str = ""
    path: str = ""

    @classmethod
    def from_dict(cls, d: dict, path: str = "") -> ReceptionSchedule:
        sessions = tuple(Session(to_date(s["date"]), s["leader"], s.get("place") or d["place"], s.get("focus", ""))
                         for s in d["sessions"])
        return cls(d["id"], to_date(d["published"]), d["place"], sessions, d.get("document_no", ""),
                   d.get("hours", ""), d.get("note", ""), path)


@dataclass(frozen=True, slots=True)
class Results:
    """满意 / 基本满意 / 不满意 counts of one survey, overall or for one unit."""

    satisfied: int
    basically_satisfied: int
    unsatisfied: int
    unit: str = ""

    @classmethod
    def from_dict(cls, d: dict) -> Results:
        return cls(d["satisfied"], d["basically_satisfied"], d["unsatisfied"], d.get("unit", ""))

    @property
    def total(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied


@dataclass(frozen=True, slots=True)
class SurveyCampaign:
    id: str
    title: str
    method: str
    conducted_by: str
    start: date
    end: date
    published: date
    population: str
    sample_size: int
    responses: int
    results: Results
    units: tuple[Results, ...] = ()
    towns: tuple[Results, ...] = ()
    round: int | None = None
    agency: str = ""
    scope: str = ""
    findings: tuple[str, ...] = ()
    summary: str = ""
    path: str = ""

    @classmethod
    def from_dict(cls, d: dict, path: str = "") -> SurveyCampaign:
        return cls(
            id=d["id"], title=d["title"], method=d["method"], conducted_by=d["conducted_by"], start=to_date(d["start"]),
            end=to_date(d["end"]), published=to_date(d["published"]), population=d["population"],
            sample_size=d["sample_size"], responses=d["responses"], results=Results.from_dict(d["results"]),
            units=tuple(map(Results.from_dict, d.get("units", ()))), towns=tuple(map(Results.from_dict, d.get("towns", ()))),
            round=d.get("round"), agency=d.get("agency", ""), scope=d.get("scope", ""),
            findings=tuple(d.get("findings", ())), summary=d.get("summary", ""), path=path,
        )


@dataclass(frozen=True, slots=True)
class OnAir:
    unit: str
    people: tuple[Official, ...] = ()


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: str
    programme: str
    issue: int
    date: date
    medium: str
    station: str
    organiser: str
    on_air: tuple[OnAir, ...]
    calls: int
    answered: int
    messages: int = 0
    cases: tuple[str, ...] = ()
    theme: str = ""
    topics: tuple[str, ...] = ()
    summary: str = ""
    path: str = ""

    @classmethod
    def from_dict(cls, d: dict, path: str = "") -> Broadcast:
        on_air = tuple(OnAir(o["unit"], tuple(Official(p["name"], p["post"]) for p in o.get("people", ())))
                       for o in d["on_air"])
        return cls(d["id"], d["programme"], d["issue"], to_date(d["date"]), d["medium"], d["station"], d["organiser"],
                   on_air, d["calls"], d["answered"], d.get("messages", 0), tuple(d.get("cases", ())), d.get("theme", ""),
                   tuple(d.get("topics", ())), d.get("summary", ""), path)

    @property
    def contacts(self) -> int:
        """Calls and online messages: everything the programme took in."""
        return self.calls + self.messages


@dataclass(frozen=True, slots=True)
class MeetingMeasure:
    text: str
    unit: str
    deadline: date
    done: date | None = None


@dataclass(frozen=True, slots=True)
class Criticism:
    representatives: int
    judges: int
    items: int
    awards: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Meeting:
    id: str
    kind: str  # coordination | joint | criticism
    title: str
    date: date
    convener: str
    topic: str
    place: str = ""
    region: str | None = None
    chair: Official | None = None
    units: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    document_no: str = ""
    summary: str = ""
    measures: tuple[MeetingMeasure, ...] = ()
    criticism: Criticism | None = None
    path: str = ""

    @classmethod
    def from_dict(cls, d: dict, path: str = "") -> Meeting:
        chair, crit = d.get("chair"), d.get("criticism")
        return cls(
            id=d["id"], kind=d["kind"], title=d["title"], date=to_date(d["date"]), convener=d["convener"],
            topic=d["topic"], place=d.get("place", ""), region=d.get("region"),
            chair=Official(chair["name"], chair["post"]) if chair else None, units=tuple(d.get("units", ())),
            cases=tuple(d.get("cases", ())), document_no=d.get("document_no", ""), summary=d.get("summary", ""),
            measures=tuple(MeetingMeasure(m["text"], m["unit"], to_date(m["deadline"]), _opt_date(m.get("done")))
                           for m in d.get("measures", ())),
            criticism=Criticism(crit["representatives"], crit["judges"], crit["items"], tuple(crit.get("awards", ())))
            if crit else None,
            path=path,
        )
