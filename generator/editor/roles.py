"""Which forms of the browser editor each role gets: the editor's only permission rule, declared once, as data.

It mirrors what `huiyin check-change` allows (generator/staff/permissions.py) and the division of work in the
seeds: the handling unit replies, extends and closes in its own name and reports its matters' progress;
assignment, transfer, supervision, joint consultation and the follow-up evaluation belong to the dispatching
side (a unit never evaluates its own work). The editor only hides what a role may not do; the pull-request
check decides. When the project's public rules file of who may record what lands, ROLES is read from it.
"""

from __future__ import annotations

ROLES: dict[str, dict] = {
    "clerk": {
        "new_case": "own-unit",  # a case the unit took in itself: assigned to one of its units right away
        "case_events": ["extended", "replied", "closed"],
        "cases": "own-unit",  # only cases whose responsible unit is one of theirs
        "matter_forms": ["updates", "milestones", "extensions", "evidence", "completed"],
        "matters": "own-unit",
    },
    "dispatcher": {
        "new_case": "any",
        "case_events": ["assigned", "transferred", "supervised", "meeting", "extended", "replied", "closed", "evaluated"],
        "cases": "any",
        "matter_forms": [],
        "matters": "none",
    },
    "administrator": {
        "new_case": "any",
        "case_events": ["assigned", "transferred", "supervised", "meeting", "extended", "replied", "closed", "evaluated"],
        "cases": "any",
        "matter_forms": ["updates", "milestones", "extensions", "evidence", "completed", "survey"],
        "matters": "any",
    },
}
