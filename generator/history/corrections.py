"""Which changes correct a fact that was already published, and the note the page shows beside it.

A new event, a new extension entry or a new progress report adds facts; it corrects nothing, unless it is
dated into a month whose monthly bulletin was already out (a late entry, 补录: it changes published
figures). Changing what a committed version already said does: a reply's text, date or unit; any
event's date; the received date; the responsible unit without a transfer; a deadline moved later without
an extension; a closing or an evaluation; deleting an event; a matter's deadline, responsible official or
unit, completion date or survey figures. The same detection serves the pages (from the Git history) and
`huiyin check-change` (from the two versions of a pull request), which asks for a stated reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable

from ..pii import find_pii
from .diff import Change, diff, flatten
from .words import Describer

PRIVATE_MARK = re.compile(r"[【\[]\s*隐私\s*[】\]]")
HIDDEN = "［已隐去］"
_MONTH = re.compile(r"^(\d{4}-\d{2})-\d{2}$")
EventDate = Callable[[str, int], Any]  # (event type, n-th of that type) -> its date in the version after


@dataclass(frozen=True)
class Note:
    """A correction shown beside the fact it corrects (and flagged in the record's 修改记录)."""

    fact: str  # received · reply:N · replies · unit · deadline · closed · evaluation:N · evaluations · events ·
    #            late · responsible · completed · survey · milestones
    date: str  # when the correction was committed
    text: str  # the sentence the page shows
    sha: str = ""
    earlier: str | None = None  # the earlier wording, personal data removed; None when withheld
    before: str | None = None  # the fact before and after, in words (None: not shown, e.g. free text)
    after: str | None = None
    path: tuple = ()  # the changed field, as diff.py names it (events by type and n)
    months: frozenset[str] = frozenset()  # months whose published figures it can touch
    reason: str = ""  # the reason stated in the record's corrections (filled by the caller)


def is_private(message: str) -> bool:
    """A commit marked 【隐私】 removed personal data: its earlier wording is never shown."""
    return bool(PRIVATE_MARK.search(message))


def scrub(text: str) -> str:
    """Text with every phone number, ID number, e-mail address and the like replaced by ［已隐去］."""
    findings = find_pii(text)
    if not findings:
        return text
    parts, pos = [], 0
    for f in findings:
        parts += [text[pos:f.start], HIDDEN]
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


def months_of(*values: Any) -> frozenset[str]:
    """The YYYY-MM of every date among values."""
    return frozenset(m.group(1) for v in values if isinstance(v, str) and (m := _MONTH.match(v)))


def _later(old: Any, new: Any) -> bool:
    return isinstance(old, str) and isinstance(new, str) and new > old


def corrections(kind: str, changes: tuple[Change, ...], date: str, sha: str, message: str, words: Describer, *,
                published: dict[str, str] | None = None, event_date: EventDate | None = None) -> list[Note]:
    """The notes for one revision of a case or matter (empty for other kinds).

    published: month -> the day its bulletin was issued, for the months whose bulletin was out before this
    revision (late entries); event_date: dates of events in the new version, so that an edit of a reply's
    text knows the month it touches."""
    private = is_private(message)

    def earlier(text: Any) -> str | None:
        return None if private or not isinstance(text, str) else scrub(text)

    notes: list[Note] = []
    if kind == "case":
        notes += _case_notes(changes, date, words, earlier, event_date or (lambda t, n: None))
    elif kind == "matter":
        notes += _matter_notes(changes, date, words)
    notes += late_entries(kind, changes, date, words, published or {})
    if private:  # neither wording is shown: the change removed personal data
        notes = [replace(n, text=n.text + "（修改涉及个人信息，原文不予公开）", earlier=None,
                         before="（不予公开）" if n.fact.startswith("reply") else n.before) for n in notes]
    return [replace(n, sha=sha) for n in notes]


def late_entries(kind: str, changes: tuple[Change, ...], date: str, words: Describer,
                 published: dict[str, str]) -> list[Note]:
    """New events (a matter's completion) dated into a month whose bulletin was out (`published`)."""
    out = []
    for op, path, _old, new in changes:
        if op != "+":
            continue
        if kind == "case" and path[:1] == ("events",) and len(path) == 3 and isinstance(new, dict):
            day, what = new.get(("date",)), words.label("case", path)
        elif kind == "matter" and path == ("completed",):
            day, what = new, "完成日期"
        else:
            continue
        month = next(iter(months_of(day)), None)
        if month in published:
            out.append(Note("late", date, f"{date} 补录了{what}（{day}）：{month[:4]}年{int(month[5:])}月的通报已于 "
                                          f"{published[month]} 发布", before="（无）", after=f"{what} {day}", path=path,
                            months=frozenset({month})))
    return out


def late_creation(kind: str, received: Any, date: str, published: dict[str, str]) -> Note | None:
    """A record created after the bulletin of the month it was received in: the whole record is a late entry."""
    month = next(iter(months_of(received)), None)
    if kind != "case" or month not in published:
        return None
    return Note("late", date, f"{date} 补录了受理日期为 {received} 的诉求：{month[:4]}年{int(month[5:])}月的通报已于 "
                              f"{published[month]} 发布", before="（无）", after=f"受理 {received}", path=("id",),
                months=frozenset({month}))


def _case_notes(changes: tuple[Change, ...], date: str, words: Describer, earlier, event_date: EventDate) -> list[Note]:
    notes: list[Note] = []
    replies: dict[int, dict[str, tuple]] = {}
    for op, path, old, new in changes:
        head = path[:2]
        etype = path[1] if head[:1] == ("events",) and len(path) >= 3 else None
        when = months_of(old, new, event_date(etype, path[2]) if etype and isinstance(path[2], int) else None)
        if path == ("events", "received", 0, "date") and op == "~":
            notes.append(Note("received", date, f"受理日期于 {date} 修改，原为 {old}", before=old, after=new, path=path,
                              months=when))
        elif head == ("events", "replied") and len(path) == 4 and path[3] in ("text", "date", "unit"):
            replies.setdefault(path[2], {})[path[3]] = (old, new)
        elif head == ("events", "replied") and len(path) == 3 and op == "-":
            day = old.get(("date",), "")
            notes.append(Note("replies", date, f"{date} 删除了一条已公开的答复（原第 {path[2] + 1} 次答复，{day}）",
                              earlier=earlier(old.get(("text",))), before=f"答复 {day}", after="（已删除）", path=path,
                              months=months_of(day)))
        elif head in (("events", "assigned"), ("events", "transferred")) and path[3:] == ("unit",) and op == "~":
            if not words.renamed(old, new):
                notes.append(Note("unit", date, f"承办单位于 {date} 由 {words.unit(old)} 改为 {words.unit(new)}，未登记转办",
                                  before=words.unit(old), after=words.unit(new), path=path, months=when))
        elif head == ("events", "extended") and path[3:] == ("new_deadline",) and op == "~" and _later(old, new):
            notes.append(Note("deadline", date, f"已公开的延期时限于 {date} 由 {old} 推迟到 {new}，未另行登记延期",
                              before=old, after=new, path=path, months=when))
        elif head == ("events", "supervised") and path[3:] == ("deadline",) and op == "~" and _later(old, new):
            notes.append(Note("deadline", date, f"督办时限于 {date} 由 {old} 推迟到 {new}", before=old, after=new, path=path,
                              months=when))
        elif path == ("type",) and op == "~":
            before, after = words.case_type_days(old), words.case_type_days(new)
            if before is None or after is None or after[0] > before[0] or after[1] > before[1]:
                b, a = words.value("case", path, old), words.value("case", path, new)
                notes.append(Note("deadline", date, f"诉求类型于 {date} 由 {b} 改为 {a}，办理时限随之延后", before=b, after=a,
                                  path=path, months=months_of(event_date("received", 0))))
        elif head == ("events", "closed") and len(path) == 4 and path[3] == "date" and op == "~":
            notes.append(Note("closed", date, f"办结日期于 {date} 由 {old} 改为 {new}", before=old, after=new, path=path,
                              months=when))
        elif head == ("events", "closed") and len(path) == 3 and op == "-":
            day = old.get(("date",), "")
            notes.append(Note("closed", date, f"{date} 删除了已公开的办结记录（{day}）", before=f"办结 {day}",
                              after="（已删除）", path=path, months=months_of(day)))
        elif head == ("events", "evaluated") and len(path) == 4 and path[3] in ("result", "date") and op == "~":
            shown, now = words.value("case", path, old), words.value("case", path, new)
            notes.append(Note(f"evaluation:{path[2] + 1}", date, f"此评价于 {date} 修改，原为 {shown}", before=shown,
                              after=now, path=path, months=when))
        elif head == ("events", "evaluated") and len(path) == 4 and path[3] == "comment" and op != "+":
            notes.append(Note(f"evaluation:{path[2] + 1}", date, f"此评价的群众意见于 {date} 修改", path=path, months=when))
        elif head == ("events", "evaluated") and len(path) == 3 and op == "-":
            result = words.value("case", ("events", "evaluated", 0, "result"), old.get(("result",)))
            notes.append(Note("evaluations", date, f"{date} 删除了一条已公开的回访评价（{result}）", before=result,
                              after="（已删除）", path=path, months=months_of(old.get(("date",)))))
        elif etype and len(path) == 4 and path[3] == "date" and op == "~":  # any other event moved in time
            label = words.label("case", path[:3])
            notes.append(Note("events", date, f"{label}的日期于 {date} 由 {old} 改为 {new}", before=old, after=new,
                              path=path, months=when))
        elif etype and etype != "received" and len(path) == 3 and op == "-" and isinstance(old, dict):
            day = old.get(("date",), "")
            label = words.label("case", path)
            notes.append(Note("events", date, f"{date} 删除了已公开的{label}（{day}）", before=f"{label} {day}",
                              after="（已删除）", path=path, months=months_of(day)))
    for n, fields in sorted(replies.items()):
        details = []
        if "date" in fields:
            details.append(f"原答复日期 {fields['date'][0] or '（无）'}")
        if "unit" in fields:
            details.append(f"原答复单位 {words.unit(fields['unit'][0]) if fields['unit'][0] else '（无）'}")
        text = f"此答复于 {date} 修改" + (f"（{'，'.join(details)}）" if details else "")
        day = fields.get("date", (None, event_date("replied", n)))
        was = earlier(fields["text"][0]) if "text" in fields else None
        before = details + ([was or "（涉及个人信息，原文不予公开）"] if "text" in fields else [])
        after = [f"{'答复日期' if k == 'date' else '答复单位'} {words.unit(v[1]) if k == 'unit' else v[1]}"
                 for k, v in fields.items() if k != "text"]
        if "text" in fields:
            after.append(scrub(fields["text"][1]) if isinstance(fields["text"][1], str) else "（无）")
        field = next(iter(fields))
        notes.append(Note(f"reply:{n + 1}", date, text, earlier=was, before="；".join(before), after="；".join(after),
                          path=("events", "replied", n, field),
                          months=months_of(*day) if "date" in fields or "unit" in fields else frozenset()))
    return notes


def _matter_notes(changes: tuple[Change, ...], date: str, words: Describer) -> list[Note]:
    notes: list[Note] = []
    responsible: list[tuple[str, str, str]] = []
    survey: list[str] = []
    for op, path, old, new in changes:
        if path == ("deadline",) and op == "~":
            verb = "推迟" if _later(old, new) else "改"
            notes.append(Note("deadline", date, f"办理时限于 {date} 由 {old} {verb}到 {new}，未登记延期", before=old, after=new,
                              path=path, months=months_of(old, new)))
        elif path[:1] == ("responsible",) and len(path) == 2:
            responsible.append((words.label("matter", path), old or "（无）", new or "（无）"))
        elif path == ("unit",) and op == "~" and not words.renamed(old, new):
            notes.append(Note("unit", date, f"责任单位于 {date} 由 {words.unit(old)} 改为 {words.unit(new)}",
                              before=words.unit(old), after=words.unit(new), path=path))
        elif path[:1] == ("extensions",) and path[2:] == ("new_deadline",) and op == "~" and _later(old, new):
            notes.append(Note("deadline", date, f"已公开的延期时限于 {date} 由 {old} 推迟到 {new}，未另行登记延期",
                              before=old, after=new, path=path, months=months_of(old, new)))
        elif path == ("completed",) and op in "~-":
            what = f"由 {old} 改为 {new}" if op == "~" else f"被撤销（原为 {old}）"
            notes.append(Note("completed", date, f"完成日期于 {date} {what}", before=old, after=new or "（撤销）", path=path,
                              months=months_of(old, new)))
        elif path[:1] == ("survey",) and op != "+" or path == ("survey",) and op == "-":
            survey.append(words.describe("matter", (op, path, old, new)))
        elif path[:1] == ("milestones",) and path[2:] == ("due",) and op == "~" and _later(old, new):
            notes.append(Note("milestones", date, f"{words.label('matter', path[:2])}的计划日期于 {date} 由 {old} 推迟到 {new}",
                              before=old, after=new, path=path))
    if responsible:
        notes.append(Note("responsible", date, f"具体责任人于 {date} 修改：{'；'.join(f'{l} {o} → {n}' for l, o, n in responsible)}",
                          before="；".join(f"{l} {o}" for l, o, _ in responsible),
                          after="；".join(f"{l} {n}" for l, _, n in responsible), path=("responsible",)))
    if survey:
        notes.append(Note("survey", date, f"满意度调查数据于 {date} 修改：{'；'.join(survey)}", path=("survey",)))
    return notes


def between(kind: str, before: dict | None, after: dict | None, date: str, words: Describer,
            published: dict[str, str]) -> list[Note]:
    """The corrections one change makes, from its two versions (before None: the record is new)."""
    if after is None:
        return []
    if before is None:
        events = after.get("events") if kind == "case" else None
        first = events[0] if isinstance(events, list) and events and isinstance(events[0], dict) else {}
        note = late_creation(kind, first.get("date"), date, published)
        return [note] if note else []
    changes = diff(flatten(before, kind), flatten(after, kind))
    return corrections(kind, changes, date, "", "", words, published=published, event_date=dates_in(after))


def dates_in(record: dict) -> EventDate:
    """(type, n) -> the date of the n-th event of that type in a case's data."""
    def find(etype: str, n: int) -> Any:
        index = file_index(record, etype, n)
        return record["events"][index].get("date") if index is not None else None
    return find


def file_index(record: dict | None, etype: str, n: int) -> int | None:
    """The position in the events list of the n-th event of a type."""
    events = record.get("events") if isinstance(record, dict) else None
    seen = 0
    for i, e in enumerate(events if isinstance(events, list) else []):
        if isinstance(e, dict) and e.get("type") == etype:
            if seen == n:
                return i
            seen += 1
    return None


def file_path(record: dict | None, path: tuple) -> tuple:
    """A diff path (events by type and n) as a path into the file (events by position)."""
    if path[:1] == ("events",) and len(path) >= 3 and isinstance(path[2], int):
        index = file_index(record, path[1], path[2])
        return ("events",) + ((index,) + path[3:] if index is not None else ())
    return path
