"""Batches of practical matters (百件实事) and their matters, in every state on the as-of day."""

from __future__ import annotations

import bisect
import calendar as _cal
import random
from datetime import date, timedelta
from pathlib import Path

from . import emit
from .timeline import Days
from .corpus import Corpus, Scenario, render, slots_in

CN_NUM = "一二三四五六七八九十"
PAST_PLANS = ("on_time", "late", "overdue", "ext_done", "ext_open")
# Planned once at the start of a batch (first, middle, last) so that every matter state occurs.
FORCED = {"first": PAST_PLANS, "middle": ("early", "open"), "last": ("not_started", "open")}


def _month_end(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    y, m = d.year + y, m + 1
    return date(y, m, _cal.monthrange(y, m)[1])


class MatterWriter:
    def __init__(self, corpus: Corpus, days: Days, as_of: date, rng: random.Random, case_index: list[tuple]):
        self.c, self.days, self.as_of, self.rng = corpus, days, as_of, rng
        self.ideas = []
        for i, m in enumerate(corpus["matters"]):
            sc = Scenario(id=f"matter-{i}", category=m["category"], types=[], unit=m["unit"], title=m["title"],
                          content=[m["description"]], replies=list(m["milestones"]), co_units=m.get("co_units", []),
                          place=m.get("place"))
            sc.slots = frozenset(set().union(*(slots_in(t) for t in (sc.title, *sc.content))))
            self.ideas.append((sc, m))
        sc_index = {s.id: s.index for s in corpus.scenarios}
        self.sc_index = sc_index
        self.topics: dict[str, list[str]] = {}  # matter id -> the scenarios its idea answers
        public = self.public = [e for e in case_index if not e[6]]
        self.by_scenario: dict[int, list[tuple]] = {}
        self.by_category: dict[str, list[tuple]] = {}
        for e in public:  # case_index is in date order, so these lists are too
            self.by_scenario.setdefault(e[3], []).append(e)
            self.by_category.setdefault(e[2], []).append(e)

    # ---- dates
    def workday_on_or_before(self, d: date) -> date:
        days = self.days.days
        i = bisect.bisect_right(days, d) - 1
        return days[max(i, 0)]

    def _between(self, a: date, b: date) -> date:
        """A working day in [a, b] (a if the span is empty)."""
        if b <= a:
            return self.workday_on_or_before(a)
        return self.workday_on_or_before(a + timedelta(days=self.rng.randint(0, (b - a).days)))

    # ---- batches
    def batches(self, total: int) -> list[dict]:
        rng, as_of = self.rng, self.as_of
        n = max(3, -(-total // 150))
        first, last = as_of - timedelta(days=300), as_of - timedelta(days=40)
        out, per_year, docno = [], {}, {}
        weights = [1.0 + 0.3 * rng.random() for _ in range(n)]
        weights[0] += 0.4
        sizes = [max(1, int(total * w / sum(weights))) for w in weights]
        sizes[-1] += total - sum(sizes)
        for k in range(n):
            pub = self.workday_on_or_before(first + (last - first) * k / max(1, n - 1))
            y = pub.year
            per_year[y] = per_year.get(y, 0) + 1
            docno[y] = docno.get(y, rng.randint(1, 4)) + rng.randint(3, 12)
            num = per_year[y]
            title = f"{y}年第{CN_NUM[num - 1] if num <= 10 else num}批为民办实事项目"
            desc = rng.choice(self.c["batch_descriptions"]).format(count=sizes[k])
            out.append({"id": f"SS{y}-{num}", "number": num, "year": y, "title": title,
                        "document_no": f"青政办发〔{y}〕{docno[y]}号", "published": pub, "description": desc,
                        "size": sizes[k]})
        return out

    # ---- matters
    def matter(self, batch: dict, number: int, titles: set, force: str | None = None) -> dict:
        rng, c, as_of = self.rng, self.c, self.as_of
        for _ in range(12):
            sc, idea = rng.choice(self.ideas)
            region, fill = c.fill_for(sc, rng)
            fill["unit"] = ""
            title = render(sc.title, fill, rng)
            if title not in titles:
                break
        else:
            base, k = title, 2
            while title in titles:
                title = f"{base}（{CN_NUM[k - 1] if k <= 10 else k}期）"
                k += 1
        titles.add(title)
        unit = c.resolve_unit(idea["unit"], region)
        officials = c.officials.get(unit) or c.officials.get(c.town_of(unit), [])
        resp = rng.choice(officials) if officials else c.officials["county-office"][0]
        pub = batch["published"]
        latest = pub >= as_of - timedelta(days=60)
        deadline = _month_end(pub, rng.choice((2, 4, 6, 8)) if latest else rng.choice((3, 4, 5, 6, 8, 10)))
        if force in PAST_PLANS:  # a plan that needs the deadline well before as_of
            deadline = _month_end(pub, 3)
        m = {"id": f"{batch['id']}-{number:03d}", "batch": batch["id"], "number": number, "title": title,
             "description": render(sc.content[0], fill, rng).strip(), "category": idea["category"], "unit": unit,
             "responsible": {"name": resp["name"], "post": resp["post"]}, "deadline": deadline}
        co = [u for u in dict.fromkeys(c.resolve_unit(u, region) for u in idea.get("co_units", [])) if u != unit]
        if co:
            m["co_units"] = co
        self._progress(m, idea["milestones"], pub, deadline, latest, force)
        self.topics[m["id"]] = list(idea.get("scenarios", []))
        src = self._sources(idea, region, pub)
        if src:
            m["source_cases"] = src
        return m

    def _progress(self, m: dict, milestones: list[str], pub: date, deadline: date, latest: bool,
                  force: str | None) -> None:
        rng, as_of, c = self.rng, self.as_of, self.c
        start = self.workday_on_or_before(pub + timedelta(days=rng.randint(6, 25)))
        r = rng.random()
        final = deadline  # the deadline that counts after extensions
        completed = None
        if deadline < as_of:
            plan = ("on_time" if r < 0.68 else "late" if r < 0.80 else "overdue" if r < 0.88
                    else "ext_done" if r < 0.95 else "ext_open")
        elif start > as_of or (latest and r < 0.45):
            plan = "not_started"
        else:
            plan = "early" if r < 0.2 else "ext_open" if r > 0.94 else "open"
        if force:
            plan = force
        if plan.startswith("ext"):
            ext_date = self._between(max(start, deadline - timedelta(days=30)), min(deadline, as_of))
            final = _month_end(deadline, rng.randint(1, 3))
            if plan == "ext_open" and final < as_of:
                final = _month_end(as_of, rng.randint(1, 2))
            m["extensions"] = [{"date": ext_date, "new_deadline": final, "reason": rng.choice(c["matter_texts"]["extension_reasons"])}]
            if plan == "ext_done" and final >= as_of:
                plan = "ext_open"
        if plan in ("on_time", "early", "ext_done"):
            hi = min(final, as_of)
            completed = self._between(min(hi, max(start + timedelta(days=20), final - timedelta(days=70))), hi)
        elif plan == "late":
            completed = self.workday_on_or_before(min(as_of, deadline + timedelta(days=rng.randint(5, 45))))
            if completed <= deadline:
                completed = None  # too close to the as-of day: still overdue
        k = len(milestones)
        span = (deadline - start).days
        dues = [start + timedelta(days=span * (j + 1) // k) for j in range(k)]
        dues[-1] = deadline
        t = c["matter_texts"]
        ms, updates, evidence = [], [], []
        if plan != "not_started":
            updates.append({"date": start, "text": rng.choice(t["start"]).format(m=milestones[0]),
                            "percent": rng.randint(3, 10)})
        last = start
        for j, (title, due) in enumerate(zip(milestones, dues)):
            item = {"title": title, "due": due}
            if plan != "not_started":
                if completed:
                    done = completed if j == k - 1 else min(completed, self._between(due - timedelta(days=12), due + timedelta(days=6)))
                else:
                    done = self._between(due - timedelta(days=12), due + timedelta(days=8))
                    if done >= as_of or (j == k - 1) or (plan == "overdue" and j >= k - 2):
                        done = None
                if done is not None:
                    done = max(done, last)
                    item["done"] = last = done
                    pct = 100 if (completed and j == k - 1) else min(95, max(updates[-1]["percent"] + 1, 100 * (j + 1) // k - rng.randint(0, 8)))
                    nxt = milestones[j + 1] if j + 1 < k else ""
                    tpl = rng.choice(t["final"]) if pct == 100 else rng.choice(t["progress"])
                    updates.append({"date": done, "text": tpl.format(m=title, next=nxt), "percent": pct})
                    if rng.random() < 0.45 or pct == 100:
                        evidence.append((rng.choice(t["evidence"]).format(m=title), done))
            ms.append(item)
        m["milestones"] = ms
        pending = [s["title"] for s in ms if not s.get("done")]
        if plan in ("overdue", "ext_open") and updates and pending:  # a late progress report
            day = self._between(max(last, as_of - timedelta(days=40)), as_of)
            if day > updates[-1]["date"]:
                updates.append({"date": day, "text": rng.choice(t["delayed"]).format(m=pending[0]),
                                "percent": min(95, updates[-1]["percent"] + rng.randint(2, 8))})
        if updates:
            m["updates"] = updates
        if completed:
            m["completed"] = last if last >= completed else completed
            evidence.append((rng.choice(t["acceptance"]), m["completed"]))
            total = rng.randint(80, 600)
            unsat = rng.randint(0, max(1, total // 90))
            basic = rng.randint(total // 40, total // 10)
            m["survey"] = {"satisfied": total - basic - unsat, "basically_satisfied": basic, "unsatisfied": unsat}
        if evidence:
            site = c["site"]
            b, num = m["batch"], m["number"]
            m["evidence"] = [{"title": title, "url": f"{site}/ssxm/{b}/{num:03d}/{'photo' if '照片' in title else 'doc'}-{i + 1}.html",
                              "date": day} for i, (title, day) in enumerate(evidence)]

    def _sources(self, idea: dict, region: str, pub: date) -> list[str]:
        rng = self.rng
        pools = []
        for sid in idea.get("scenarios", []):
            pools.append(self.by_scenario.get(self.sc_index[sid], []))
        pools.append(self.by_category.get(idea["category"], []))
        pools.append(self.public)
        for pool in pools:
            n = self._count_before(pool, pub)
            if n == 0:
                continue
            cand = pool[:n]
            local = [e for e in cand[-400:] if e[4] == region]
            picks = local or cand[-200:]
            k = min(len(picks), rng.randint(1, 4))
            return sorted({e[0] for e in rng.sample(picks, k)})
        return []

    @staticmethod
    def _count_before(pool: list[tuple], pub: date) -> int:
        lo, hi = 0, len(pool)
        while lo < hi:
            mid = (lo + hi) // 2
            if pool[mid][1] < pub:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def write_all(self, out: Path, total: int) -> tuple[int, int]:
        batches = self.batches(total)
        titles: set[str] = set()
        (out / "batches").mkdir(parents=True, exist_ok=True)
        count = 0
        for k, b in enumerate(batches):
            forced = FORCED["first" if k == 0 else "last" if k == len(batches) - 1 else "middle"]
            emit.write(out / "batches" / f"{b['id']}.yaml", emit.batch_text(b))
            folder = out / "matters" / b["id"]
            folder.mkdir(parents=True, exist_ok=True)
            for number in range(1, b["size"] + 1):
                m = self.matter(b, number, titles, forced[number - 1] if number <= len(forced) else None)
                emit.write(folder / f"{m['id']}.yaml", emit.matter_text(m))
                count += 1
        return len(batches), count
