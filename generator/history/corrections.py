"""Which changes correct a fact that was already published, and the note the page shows beside it.

A new event, a new extension entry or a new progress report adds facts; it corrects nothing. Changing
what a committed version already said does: a reply's text, date or unit; the received date; the
responsible unit without a transfer; a deadline moved later without an extension; a closing or an
evaluation; a matter's deadline, responsible official or unit, completion date or survey figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..pii import find_pii
from .diff import Change
from .words import Describer

PRIVATE_MARK = re.compile(r"[【\[]\s*隐私\s*[】\]]")
HIDDEN = "［已隐去］"


@dataclass(frozen=True)
class Note:
    """A correction shown beside the fact it corrects (and flagged in the record's 修改记录)."""

    fact: str  # received · reply:N · replies · unit · deadline · closed · evaluation:N · evaluations ·
    #            responsible · completed · survey · milestones
    date: str  # when the correction was committed
    text: str  # the sentence the page shows
    sha: str = ""
    earlier: str | None = None  # the earlier wording, personal data removed; None when withheld


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


def _later(old: Any, new: Any) -> bool:
    return isinstance(old, str) and isinstance(new, str) and new > old


def corrections(kind: str, changes: tuple[Change, ...], date: str, sha: str, message: str,
                words: Describer) -> list[Note]:
    """The notes for one revision of a case or matter (empty for other kinds)."""
    private = is_private(message)

    def earlier(text: Any) -> str | None:
        return None if private or not isinstance(text, str) else scrub(text)

    notes: list[Note] = []
    if kind == "case":
        notes += _case_notes(changes, date, words, earlier)
    elif kind == "matter":
        notes += _matter_notes(changes, date, words)
    if private:
        notes = [Note(n.fact, n.date, n.text + "（修改涉及个人信息，原文不予公开）", n.sha, None) for n in notes]
    return [Note(n.fact, n.date, n.text, sha, n.earlier) for n in notes]


def _case_notes(changes: tuple[Change, ...], date: str, words: Describer, earlier) -> list[Note]:
    notes: list[Note] = []
    replies: dict[int, dict[str, tuple]] = {}
    for op, path, old, new in changes:
        head = path[:2]
        if path == ("events", "received", 0, "date") and op == "~":
            notes.append(Note("received", date, f"受理日期于 {date} 修改，原为 {old}"))
        elif head == ("events", "replied") and len(path) == 4 and path[3] in ("text", "date", "unit"):
            replies.setdefault(path[2], {})[path[3]] = (old, new)
        elif head == ("events", "replied") and len(path) == 3 and op == "-":
            when = old.get(("date",), "")
            notes.append(Note("replies", date, f"{date} 删除了一条已公开的答复（原第 {path[2] + 1} 次答复，{when}）",
                              earlier=earlier(old.get(("text",)))))
        elif head in (("events", "assigned"), ("events", "transferred")) and path[3:] == ("unit",) and op == "~":
            if not words.renamed(old, new):
                notes.append(Note("unit", date, f"承办单位于 {date} 由 {words.unit(old)} 改为 {words.unit(new)}，未登记转办"))
        elif head == ("events", "extended") and path[3:] == ("new_deadline",) and op == "~" and _later(old, new):
            notes.append(Note("deadline", date, f"已公开的延期时限于 {date} 由 {old} 推迟到 {new}，未另行登记延期"))
        elif head == ("events", "supervised") and path[3:] == ("deadline",) and op == "~" and _later(old, new):
            notes.append(Note("deadline", date, f"督办时限于 {date} 由 {old} 推迟到 {new}"))
        elif path == ("type",) and op == "~":
            before, after = words.case_type_days(old), words.case_type_days(new)
            if before is None or after is None or after[0] > before[0] or after[1] > before[1]:
                notes.append(Note("deadline", date, f"诉求类型于 {date} 由 {words.value('case', path, old)} 改为 "
                                                    f"{words.value('case', path, new)}，办理时限随之延后"))
        elif head == ("events", "closed") and len(path) == 4 and path[3] == "date" and op == "~":
            notes.append(Note("closed", date, f"办结日期于 {date} 由 {old} 改为 {new}"))
        elif head == ("events", "closed") and len(path) == 3 and op == "-":
            notes.append(Note("closed", date, f"{date} 删除了已公开的办结记录（{old.get(('date',), '')}）"))
        elif head == ("events", "evaluated") and len(path) == 4 and path[3] in ("result", "date") and op == "~":
            shown = words.value("case", path, old)
            notes.append(Note(f"evaluation:{path[2] + 1}", date, f"此评价于 {date} 修改，原为 {shown}"))
        elif head == ("events", "evaluated") and len(path) == 4 and path[3] == "comment" and op != "+":
            notes.append(Note(f"evaluation:{path[2] + 1}", date, f"此评价的群众意见于 {date} 修改"))
        elif head == ("events", "evaluated") and len(path) == 3 and op == "-":
            result = words.value("case", ("events", "evaluated", 0, "result"), old.get(("result",)))
            notes.append(Note("evaluations", date, f"{date} 删除了一条已公开的回访评价（{result}）"))
    for n, fields in sorted(replies.items()):
        details = []
        if "date" in fields:
            details.append(f"原答复日期 {fields['date'][0] or '（无）'}")
        if "unit" in fields:
            details.append(f"原答复单位 {words.unit(fields['unit'][0]) if fields['unit'][0] else '（无）'}")
        text = f"此答复于 {date} 修改" + (f"（{'，'.join(details)}）" if details else "")
        notes.append(Note(f"reply:{n + 1}", date, text, earlier=earlier(fields["text"][0]) if "text" in fields else None))
    return notes


def _matter_notes(changes: tuple[Change, ...], date: str, words: Describer) -> list[Note]:
    notes: list[Note] = []
    responsible: list[str] = []
    survey: list[str] = []
    for op, path, old, new in changes:
        if path == ("deadline",) and op == "~":
            verb = "推迟" if _later(old, new) else "改"
            notes.append(Note("deadline", date, f"办理时限于 {date} 由 {old} {verb}到 {new}，未登记延期"))
        elif path[:1] == ("responsible",) and len(path) == 2:
            responsible.append(f"{words.label('matter', path)} {old or '（无）'} → {new or '（无）'}")
        elif path == ("unit",) and op == "~" and not words.renamed(old, new):
            notes.append(Note("unit", date, f"责任单位于 {date} 由 {words.unit(old)} 改为 {words.unit(new)}"))
        elif path[:1] == ("extensions",) and path[2:] == ("new_deadline",) and op == "~" and _later(old, new):
            notes.append(Note("deadline", date, f"已公开的延期时限于 {date} 由 {old} 推迟到 {new}，未另行登记延期"))
        elif path == ("completed",) and op in "~-":
            what = f"由 {old} 改为 {new}" if op == "~" else f"被撤销（原为 {old}）"
            notes.append(Note("completed", date, f"完成日期于 {date} {what}"))
        elif path[:1] == ("survey",) and op != "+" or path == ("survey",) and op == "-":
            survey.append(words.describe("matter", (op, path, old, new)))
        elif path[:1] == ("milestones",) and path[2:] == ("due",) and op == "~" and _later(old, new):
            notes.append(Note("milestones", date, f"{words.label('matter', path[:2])}的计划日期于 {date} 由 {old} 推迟到 {new}"))
    if responsible:
        notes.append(Note("responsible", date, f"具体责任人于 {date} 修改：{'；'.join(responsible)}"))
    if survey:
        notes.append(Note("survey", date, f"满意度调查数据于 {date} 修改：{'；'.join(survey)}"))
    return notes
