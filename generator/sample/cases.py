"""Synthetic cases: plan an outcome and a received day per case, then write them in date order."""

from __future__ import annotations

import random
import re
from itertools import accumulate
from datetime import date
from pathlib import Path

from . import emit
from .corpus import Corpus, Scenario, render
from .timeline import FORCED, OUTCOMES, Days, weighted, needed_index, place, plan

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VISIT_KINDS = ("visit", "window")
_ASKS = re.compile("希望|请|盼|吗|？|能不能|能否|怎么|建议|谢谢")
_THANKS = re.compile("感谢|欢迎|监督|谢谢")


def _md(d: date) -> str:
    return f"{d.month}月{d.day}日"


def _due(d: date, rng: random.Random) -> str:
    m = d.month + rng.randint(1, 3)
    prefix = "明年" if m > 12 else ""
    return f"{prefix}{(m - 1) % 12 + 1}{rng.choice(('月底', '月底', '月中旬', '月上旬'))}"


class CaseWriter:
    """Plans and writes the cases; keeps a small index of them for matters and for links between cases."""

    def __init__(self, corpus: Corpus, settings: dict, days: Days, window_start: int, rng: random.Random):
        self.c, self.s, self.days, self.rng = corpus, settings, days, rng
        self.types = {t["id"]: t for t in settings["case_types"]}
        self.channels = [ch["id"] for ch in settings["channels"]]
        self.channel_kind = {ch["id"]: ch["kind"] for ch in settings["channels"]}
        self.categories = [cat["id"] for cat in settings["categories"]]
        cw = corpus["channel_weights"]
        self.channel_cw = list(accumulate(cw.get(ch, 1) for ch in self.channels))
        catw = corpus["category_weights"]
        self.category_cw = list(accumulate(catw.get(cat, 1) for cat in self.categories))
        self.window = range(window_start, days.asof_idx + 1)
        n = len(self.window)
        self.window_cw, acc = [], 0.0
        for k in range(n):  # slowly rising volume over the year
            acc += 0.85 + 0.3 * k / max(1, n - 1)
            self.window_cw.append(acc)
        self.depts_by_category: dict[str, list[str]] = {}
        for u in corpus.units:
            for cat in u.get("categories", ()):
                self.depts_by_category.setdefault(cat, []).append(u["id"])
        self._seasonal: dict[tuple, list[Scenario]] = {}
        self.index: list[tuple] = []  # (id, received, category, scenario index or -1, region, unit)
        self.counts: dict[str, int] = {}

    # ---- phase 1: what happens to each case, and when it was received
    def _scenario(self, category: str | None, month: int | None, ctype: str | None, hot: bool) -> Scenario:
        rng, c = self.rng, self.c
        if hot and category is None and ctype is None and rng.random() < 0.7:  # joint meetings: hot topics
            return rng.choice([s for s in c.scenarios if s.topic] or c.scenarios)
        if ctype is not None:
            pool = [s for s in c.scenarios if ctype in s.types] or c.scenarios
        else:
            if category is None:
                category = weighted(rng, self.categories, self.category_cw)
            pool = c.by_category.get(category) or c.scenarios
        if month is not None:
            key = (category, ctype, month)
            seasonal = self._seasonal.get(key)
            if seasonal is None:
                seasonal = self._seasonal[key] = [s for s in pool if not s.months or month in s.months] or pool
            pool = seasonal
        return rng.choice(pool)

    def plan_all(self, n: int) -> list[list]:
        rng, days = self.rng, self.days
        outcome_names = [o for o, _ in OUTCOMES]
        outcome_cw = list(accumulate(w for _, w in OUTCOMES))
        plans = []
        for i in range(n):
            outcome = FORCED[i] if i < len(FORCED) else weighted(rng, outcome_names, outcome_cw)
            restricted = i in (20, 21) or (i >= 22 and rng.random() < 0.015)
            channel = self.channels[i] if i < len(self.channels) else weighted(rng, self.channels, self.channel_cw)
            idx = weighted(rng, self.window, self.window_cw)
            if restricted:
                pool = self.c["restricted"]  # the first two: one of each main reason
                entry = pool[(0, len(pool) // 2)[i - 20]] if i < 22 else rng.choice(pool)
                scenario, ctype = entry, rng.choice(entry["types"])
            else:
                forced_cat = self.categories[i] if i < len(self.categories) else None
                forced_type = list(self.types)[i - 13] if 13 <= i < 13 + len(self.types) else None
                scenario = self._scenario(forced_cat, days[idx].month, forced_type, outcome == "meeting")
                ctype = forced_type or rng.choice(scenario.types)
            first_contact = (self.channel_kind[channel] in _VISIT_KINDS and not restricted
                             and (scenario.unit in ("@local", "@town") or ctype == "consultation")
                             and rng.random() < 0.6)
            timeline, idx = self._fit(outcome, ctype, scenario, first_contact, idx, restricted)
            plans.append([idx, i, outcome, channel, scenario, timeline, restricted, first_contact])
        plans.sort(key=lambda p: (p[0], p[1]))
        return plans

    def _fit(self, outcome, ctype, scenario, first_contact, idx, restricted):
        """Timeline and received index; shorter types are used where deadlines would need an unknown year."""
        rng, days = self.rng, self.days
        types = [ctype] + sorted((restricted and scenario["types"]) or scenario.types,
                                 key=lambda t: self.types[t]["close_days"])
        types += sorted(self.types, key=lambda t: self.types[t]["close_days"])
        for t in types:
            R, C = self.types[t]["reply_days"], self.types[t]["close_days"]
            steps, keys = plan(outcome, R, C, rng, first_contact)
            at = place(outcome, keys, days.asof_idx, rng)
            at = idx if at is None else max(self.window[0], at)
            if needed_index(at, steps, C, days.asof_idx) < len(days.days):
                return (steps, t), at
        at = len(days.days) - 1 - needed_index(0, steps, C, days.asof_idx)
        return (steps, t), min(at, idx)

    # ---- phase 2: texts, links, ids; written in date order
    def write_all(self, plans: list[list], out: Path, writer: emit.Writer) -> int:
        rng, c, days = self.rng, self.c, self.days
        ids: set[str] = set()
        by_scenario: dict[int, list[tuple]] = {}
        by_place: dict[tuple, list[str]] = {}
        notice_no: dict[int, int] = {}
        made_dirs: set[str] = set()
        case_root = str(out / "cases")
        prefix = self.s["case_id_prefix"]
        for idx, _, outcome, channel, scenario, (steps, ctype), restricted, first_contact in plans:
            received = days[idx]
            stem = f"{prefix}{received.year:04d}{received.month:02d}{received.day:02d}-"
            while True:
                r = int(rng.random() * 33554432)  # 32**5
                cid = stem + "".join(CROCKFORD[(r >> s) & 31] for s in (20, 15, 10, 5, 0))
                if cid not in ids:
                    ids.add(cid)
                    break
            rec: dict = {"id": cid, "channel": channel, "type": ctype}
            dup = None
            if restricted:
                category = scenario["category"]
                region = rng.choice(c.regions)
                unit = c.resolve_unit(scenario["unit"], region)
                fill = {"unit": c.name(unit)}
                rec.update(title=scenario["title"], visibility="restricted", restricted_reason=scenario["reason"])
                sc_index = -1
            else:
                category, sc_index = scenario.category, scenario.index
                earlier = [e for e in by_scenario.get(sc_index, [])[-8:] if e[3] >= idx - 60]
                if earlier and rng.random() < (0.6 if outcome == "meeting" else 0.035):
                    dup = rng.choice(earlier)
                    region, fill = dup[1], dict(dup[2])
                else:
                    region, fill = c.fill_for(scenario, rng)
                unit = c.resolve_unit(scenario.unit, region)
                if first_contact:
                    unit = region if scenario.unit == "@local" or rng.random() < 0.5 else c.town_of(region)
                fill["unit"] = c.name(unit)
                rec["title"] = render(scenario.title, fill, rng)
                if rng.random() < 0.65:
                    sur = rng.choice(c["surnames"])
                    rec["petitioner"] = sur + ("*" if len(sur) > 1 else "**")
            rec.update(category=category, region=region)
            rec["content"] = self._content(scenario, fill, channel, restricted)
            co = self._co_units(scenario, region, unit, restricted)
            if co:
                rec["co_units"] = co
            related = []
            if dup is not None:
                if outcome == "meeting":
                    related = [e[0] for e in by_scenario[sc_index][-3:] if e[0] != dup[0]]
                if outcome != "meeting" or rng.random() < 0.5:
                    rec["duplicate_of"] = dup[0]
                else:
                    related.append(dup[0])
            elif not restricted and rng.random() < 0.03:
                near = by_place.get((region, category))
                if near:
                    related = near[-2:] if rng.random() < 0.3 else near[-1:]
            if related:
                rec["related"] = list(dict.fromkeys(related))
            rec["events"] = self._events(idx, steps, scenario, fill, unit, region, category, channel,
                                         restricted, dup is not None, notice_no)
            month_dir = f"{case_root}/{received.year:04d}/{received.month:02d}"
            if month_dir not in made_dirs:
                Path(month_dir).mkdir(parents=True, exist_ok=True)
                made_dirs.add(month_dir)
            writer.write(f"{month_dir}/{cid}.yaml", emit.case_text(rec))
            self.index.append((cid, received, category, sc_index, region, unit, restricted))
            if not restricted:
                by_scenario.setdefault(sc_index, []).append((cid, region, fill, idx))
                by_place.setdefault((region, category), []).append(cid)
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
        return len(plans)

    def _content(self, scenario, fill, channel, restricted) -> str:
        rng = self.rng
        if restricted:
            return scenario["content"]
        openers = self.c["openers"].get(channel) or [""]
        body = render(rng.choice(scenario.content), fill, rng).strip()
        text = rng.choice(openers) + body
        closer = rng.choice(self.c["closers"])
        if closer and text.endswith("。") and not _ASKS.search(text[text.rfind("。", 0, -1) + 1:]):
            text += closer
        return text

    def _co_units(self, scenario, region, unit, restricted) -> list[str]:
        if restricted:
            return []
        rng, c = self.rng, self.c
        out = []
        if scenario.co_units and rng.random() < 0.3:
            out = [c.resolve_unit(u, region) for u in scenario.co_units]
        elif rng.random() < 0.05 and c.unit_by_id[unit]["kind"] in ("department", "company"):
            out = [c.town_of(region)]
        return [u for u in dict.fromkeys(out) if u != unit]

    def _wrong_unit(self, unit: str, region: str, category: str) -> str:
        rng, c = self.rng, self.c
        kind = c.unit_by_id[unit]["kind"]
        if kind in ("department", "company", "office") and rng.random() < 0.6:
            cand = [c.town_of(region)]
        else:
            cand = [u for u in self.depts_by_category.get(category, []) if u != unit]
            cand = cand or [u for u in self.depts_by_category["other"] if u != unit]
        return rng.choice(cand)

    def _reply(self, text: str, fill: dict, idx: int, off: int, channel: str, dup: bool, first: bool) -> str:
        rng, c, days = self.rng, self.c, self.days
        fill["date"] = _md(days[idx + (rng.randint(0, off) if off else 0)])
        fill["due"] = _due(days[idx + off], rng)
        kind = "online" if self.channel_kind[channel] == "online" else "default"
        parts = [rng.choice(c["reply_openers"][kind])]
        if dup and first:
            parts.append(rng.choice(c["duplicate_openers"]))
        body = render(text, fill, rng).strip()
        closer = rng.choice(c["reply_closers"])
        out = "".join(parts) + body
        last = out[out.rfind("。", 0, -1) + 1:]
        return out + closer if closer and out.endswith(("。", "！")) and not _THANKS.search(last) else out

    def _events(self, idx, steps, scenario, fill, unit, region, category, channel, restricted, dup, notice_no):
        rng, c, days = self.rng, self.c, self.days
        evs = []
        current = unit
        for off, kind, info in steps:
            i = idx + off
            if i > days.asof_idx:
                break
            e: dict = {"date": days[i], "type": kind}
            if kind == "assigned":
                current = self._wrong_unit(unit, region, category) if info.get("wrong") else unit
                e["unit"] = current
                if info.get("level"):
                    e["level"] = info["level"]
                if info.get("level") == "first-contact":
                    e["note"] = rng.choice(c["first_contact_notes"])
                elif info.get("level") != "supervised" and rng.random() < 0.12:
                    e["note"] = rng.choice(c["assigned_notes"])
            elif kind == "transferred":
                e["unit"] = unit
                e["reason"] = render(rng.choice(c["transfer_reasons"]),
                                     {"from": c.name(current), "to": c.name(unit)}, rng)
                current = unit
            elif kind == "supervised":
                year = days[i].year
                notice_no[year] = notice_no.get(year, 0) + 1
                e["notice_no"] = f"青群督〔{year}〕{notice_no[year]}号"
                e["deadline"] = days[idx + info["deadline"]]
                e["note"] = render(rng.choice(c["supervision_notes"]), {"unit": c.name(current)}, rng)
            elif kind == "meeting":
                topic = (not restricted and scenario.topic) or rng.choice(c["meeting_topics"][category])
                e["topic"] = render(topic, {**fill, "where": c.unit_by_id[region]["name"]}, rng)
            elif kind == "extended":
                meeting = any(s[1] == "meeting" and s[0] <= off for s in steps)
                e["reason"] = rng.choice(c["meeting_extension_reasons" if meeting else "extension_reasons"])
                e["new_deadline"] = days[idx + info["new"]]
            elif kind == "replied":
                rnd = info["round"]
                if restricted:
                    text = scenario["reply"]
                elif rnd == 0:
                    text = rng.choice(scenario.replies)
                elif rnd == 1 and scenario.reply2:
                    text = scenario.reply2
                else:
                    text = rng.choice(c["reopen_replies" if rnd == 1 else "meeting_replies"])
                e["text"] = text if restricted else self._reply(text, fill, idx, off, channel, dup, rnd == 0)
            elif kind == "closed":
                if rng.random() < 0.15:
                    e["note"] = rng.choice(c["closed_notes"])
            elif kind == "evaluated":
                e["result"] = res = info["result"]
                kind_ch = self.channel_kind[channel]
                r = rng.random()
                e["method"] = ("online" if kind_ch == "online" and r < 0.5 else "visit" if kind_ch == "visit" and
                               r < 0.5 else "phone" if r < 0.75 else "sms" if r < 0.92 else "visit")
                if res == "unsatisfied":
                    e["comment"] = (scenario.followup if not restricted and scenario.followup and rng.random() < 0.75
                                    else rng.choice(c["evaluations"][res]))
                elif rng.random() < (0.35 if res == "satisfied" else 0.6):
                    e["comment"] = rng.choice(c["evaluations"][res])
            evs.append(e)
        return evs
