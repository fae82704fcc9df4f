"""Case outcomes as timelines in working-day offsets from the day a case was received.

A timeline is a list of steps (offset, event type, info), planned to the end of the case's life; the
writer turns offsets into dates and drops every step after the as-of day, so a case received recently
is naturally still open. Offsets are calendar-free: with the received day a working day at index i of
the working-day list, "n working days after received" is index i + n (WorkCalendar.add_workdays).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date, timedelta

# Relative weights of the planned outcomes (the seeds report ~98% satisfaction, few overdue cases).
OUTCOMES = (
    ("ok", 805), ("reply_late", 15), ("close_late", 18), ("extended", 34), ("transferred", 34),
    ("supervised", 16), ("meeting", 8), ("reopened", 14), ("reopened_open", 3), ("stalled", 16),
)
# Planned once each at the start, so that every state occurs even in a small sample.
FORCED = [name for name, _ in OUTCOMES] + ["received_only", "stalled", "reopened_open"]


def _round(rng: random.Random, start: int, R: int, C: int, same_day: bool) -> tuple[int, int]:
    """An on-time reply and close counted from start: reply within R, close within C working days."""
    lo = start if same_day else start + 1
    r = min(start + R, lo + int((start + R - lo + 1) * rng.random() ** 1.7))
    c = r if rng.random() < 0.45 else min(start + C, r + rng.randint(1, 6))
    return r, c


def _evaluate(st: list, rng: random.Random, c: int, result: str | None = None, skip: float = 0.05) -> int | None:
    if result is None:
        if rng.random() < skip:
            return None
        result = "satisfied" if rng.random() < 0.86 else "basically-satisfied"
    e = c + rng.randint(1, 5)
    st.append((e, "evaluated", {"result": result}))
    return e


def plan(outcome: str, R: int, C: int, rng: random.Random, first_contact: bool) -> tuple[list, dict]:
    """Steps of one case and the facts needed to place it in time (offsets of key steps)."""
    st: list = [(0, "received", None)]
    a = 0 if (outcome == "transferred" or rng.random() < 0.75) else 1
    if outcome == "received_only":
        a = 1
    level = "first-contact" if first_contact else ("unit-coordination" if rng.random() < 0.85 else None)
    assigned = {"level": level}
    st.append((a, "assigned", assigned))
    base = a
    keys: dict = {}
    if outcome == "transferred":
        assigned["wrong"] = True
        base = rng.randint(1, 2)
        st.append((base, "transferred", None))

    def reply(off: int, rnd: int = 0) -> None:
        st.append((off, "replied", {"round": rnd}))

    if outcome in ("ok", "transferred", "received_only"):
        r, c = _round(rng, 0, R, C, first_contact)
        r = max(r, base)
        reply(r)
        st.append((max(c, r), "closed", None))
        _evaluate(st, rng, max(c, r))
    elif outcome == "reply_late":
        r = R + rng.randint(1, max(3, R))
        c = r if rng.random() < 0.5 else r + rng.randint(1, 6)
        reply(r)
        st.append((c, "closed", None))
        _evaluate(st, rng, c)
    elif outcome == "close_late":
        r, _ = _round(rng, 0, R, C, first_contact)
        r = max(r, base)
        c = C + rng.randint(1, 12)
        reply(r)
        st.append((c, "closed", None))
        _evaluate(st, rng, c)
    elif outcome == "extended":
        new = C + rng.randint(5, 20)
        if rng.random() < 0.5:  # before the reply: both deadlines move
            x = rng.randint(max(base, 1), R)
            st.append((x, "extended", {"new": new}))
            r = rng.randint(x + 1, new - 2)
            reply(r)
        else:  # replied on time, more work needed before closing
            r, _ = _round(rng, 0, R, C, first_contact)
            r = max(r, base)
            reply(r)
            x = rng.randint(max(r, 1), C)
            st.append((x, "extended", {"new": new}))
        c = rng.randint(max(r, x, C - 2), new)
        if rng.random() < 0.1:
            c = new + rng.randint(1, 5)
        st.append((max(c, r), "closed", None))
        _evaluate(st, rng, max(c, r))
    elif outcome == "supervised":
        if rng.random() < 0.5:  # overdue, then a supervision notice
            s = R + rng.randint(0, 3)
            dl = s + rng.randint(3, 8)
            st.append((s, "supervised", {"deadline": dl}))
            r = rng.randint(s, dl)
            c = r if rng.random() < 0.5 else rng.randint(r, dl)
        else:  # the masses office hands it straight down with a notice
            assigned["level"] = "supervised"
            dl = rng.randint(R, C)
            st.append((a, "supervised", {"deadline": dl}))
            r = rng.randint(a + 1, R)
            c = rng.randint(r, dl)
        reply(r)
        st.append((c, "closed", None))
        _evaluate(st, rng, c)
    elif outcome == "meeting":
        m = rng.randint(max(1, base), R)
        new = C + rng.randint(10, 25)
        st.append((m, "meeting", None))
        st.append((m + rng.randint(0, 1) if m < R else m, "extended", {"new": new}))
        r = rng.randint(m + 2, new - 3)
        c = rng.randint(r, new)
        reply(r)
        st.append((c, "closed", None))
        _evaluate(st, rng, c)
    elif outcome in ("reopened", "reopened_open"):
        r, c = _round(rng, 0, R, C, first_contact)
        r, c = max(r, base), max(c, r, base)
        reply(r)
        st.append((c, "closed", None))
        e1 = _evaluate(st, rng, c, "unsatisfied")
        r2 = e1 + rng.randint(2, R + 1)
        c2 = min(e1 + C, r2 + rng.randint(0, 5))
        c2 = max(c2, r2)
        reply(r2, 1)
        st.append((c2, "closed", None))
        keys.update(e1=e1, c2=c2)
        if outcome == "reopened" and rng.random() < 0.15:  # unsatisfied again: escalated to a joint meeting
            e2 = _evaluate(st, rng, c2, "unsatisfied")
            m = e2 + rng.randint(1, 3)
            st.append((m, "meeting", None))
            r3 = m + rng.randint(1, R)
            c3 = r3 + rng.randint(0, 3)
            reply(r3, 2)
            st.append((c3, "closed", None))
            _evaluate(st, rng, c3, "basically-satisfied" if rng.random() < 0.6 else "satisfied")
        else:
            _evaluate(st, rng, c2, "satisfied" if rng.random() < 0.6 else "basically-satisfied", skip=0.0)
    elif outcome == "stalled":
        if rng.random() < 0.6:  # no reply yet
            r = R + rng.randint(20, 60)
            c = r + rng.randint(0, 5)
            keys.update(lo=R + 1, hi=min(r - 1, R + 30))
        else:  # replied, but the work drags on
            r, _ = _round(rng, 0, R, C, first_contact)
            r = max(r, base)
            c = C + rng.randint(20, 60)
            keys.update(lo=max(C + 1, r), hi=min(c - 1, C + 25))
        if rng.random() < 0.3:
            s = R + rng.randint(1, 4)
            st.append((s, "supervised", {"deadline": s + rng.randint(5, 10)}))
        reply(r)
        st.append((c, "closed", None))
        _evaluate(st, rng, c)
    else:
        raise ValueError(outcome)
    st.sort(key=lambda s: s[0])  # stable: same-day steps keep their logical order
    return st, keys


def place(outcome: str, keys: dict, asof_idx: int, rng: random.Random) -> int | None:
    """Index of the received day for outcomes that must be caught mid-way on the as-of day; else None."""
    if outcome == "received_only":
        return asof_idx
    if outcome == "stalled":
        return asof_idx - rng.randint(keys["lo"], max(keys["lo"], keys["hi"]))
    if outcome == "reopened_open":
        return asof_idx - rng.randint(keys["e1"], max(keys["e1"], keys["c2"] - 1))
    return None


def needed_index(idx: int, steps: list, C: int, asof_idx: int) -> int:
    """Highest working-day index a validator needs to derive this case's deadlines on the as-of day."""
    need = idx + C
    for off, kind, info in steps:
        if kind == "evaluated" and info["result"] == "unsatisfied" and idx + off <= asof_idx:
            need = max(need, idx + off + C)
    return need


class Days:
    """The working days from the start of the window to the end of the last covered year."""

    def __init__(self, days: list[date], as_of: date) -> None:
        self.days = days
        self.asof_idx = max(i for i, d in enumerate(days) if d <= as_of)

    def __getitem__(self, i: int) -> date:
        days = self.days
        if i < len(days):
            return days[i]
        d = days[-1]  # beyond the covered years: weekdays only, used for stored future dates only
        k = i - len(days) + 1
        while k:
            d += timedelta(days=1)
            if d.weekday() < 5:
                k -= 1
        return d


def weighted(rng: random.Random, items, cum_weights: list) -> object:
    """One item, chosen with the given cumulative weights."""
    return items[bisect_right(cum_weights, rng.random() * cum_weights[-1])]
