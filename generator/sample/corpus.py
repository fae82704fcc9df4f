"""The hand-written material of the fictional 青禾县 (corpus.yaml) and how its templates are filled.

Templates use `{slot}` for places and case facts, `{n}` / `{n:3-8}` for small numbers and `[a|b|c]`
for alternative wordings (one is picked at random). Each template is parsed once into tokens.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

PLACE_SLOTS = ("estate", "community", "village", "school", "market", "clinic", "site", "square", "river", "road")
CASE_SLOTS = ("town", "where", "unit", "date", "due", "n")
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: the corpus is large
KNOWN_SLOTS = frozenset(PLACE_SLOTS + CASE_SLOTS + ("from", "to"))
_TOKEN = re.compile(r"\{([a-z]+)(?::(\d+)-(\d+))?\}")


def _parse(text: str) -> tuple:
    """Tokens of a template: str | ("alt", (tokens, ...)) | ("slot", name) | ("num", lo, hi)."""
    out: list = []
    i, n = 0, len(text)
    buf = ""
    while i < n:
        ch = text[i]
        if ch == "[":
            j = text.find("]", i)
            if j > 0 and "|" in text[i + 1:j]:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(("alt", tuple(_parse(opt) for opt in text[i + 1:j].split("|"))))
                i = j + 1
                continue
        elif ch == "{":
            m = _TOKEN.match(text, i)
            if m:
                if buf:
                    out.append(buf)
                    buf = ""
                name, lo, hi = m.groups()
                if name == "n":
                    out.append(("num", int(lo or 2), int(hi or 9)))
                else:
                    out.append(("slot", name))
                i = m.end()
                continue
        buf += ch
        i += 1
    if buf:
        out.append(buf)
    return tuple(out)


@lru_cache(maxsize=None)
def compiled(text: str) -> tuple:
    return _parse(text)


def slots_in(text: str) -> set[str]:
    return {m.group(1) for m in _TOKEN.finditer(text)}


def render(text: str, fill: dict, rng: random.Random) -> str:
    """Fill a template: alternatives picked with rng, slots from fill, numbers at random."""
    return _render(compiled(text), fill, rng)


def _render(tokens: tuple, fill: dict, rng: random.Random) -> str:
    parts = []
    for t in tokens:
        if t.__class__ is str:
            parts.append(t)
        elif t[0] == "slot":
            parts.append(fill[t[1]])
        elif t[0] == "alt":
            parts.append(_render(t[1][int(rng.random() * len(t[1]))], fill, rng))
        else:
            parts.append(str(rng.randint(t[1], t[2])))
    return "".join(parts)


@dataclass
class Scenario:
    id: str
    category: str
    types: list[str]
    unit: str  # unit id, "@town" (the region's town) or "@local" (the region itself)
    title: str
    content: list[str]  # alternative wordings of the request (a single string in corpus.yaml is one)
    replies: list[str]
    co_units: list[str] = field(default_factory=list)
    place: str | None = None
    followup: str | None = None
    reply2: str | None = None
    months: list[int] | None = None
    topic: str | None = None
    slots: frozenset = frozenset()
    index: int = 0

    @property
    def anchor(self) -> str | None:
        """The place kind that decides the region: `place`, else the first place slot used."""
        try:
            return self._anchor
        except AttributeError:
            self._anchor = self.place or next((p for p in PLACE_SLOTS if p in self.slots), None)
            return self._anchor


@dataclass
class Corpus:
    raw: dict
    units: list[dict]
    unit_by_id: dict[str, dict]
    scenarios: list[Scenario]
    by_category: dict[str, list[Scenario]]
    places: dict[str, list[tuple[str, str]]]  # slot -> [(name, unit id)]
    places_by_town: dict[str, dict[str, list[tuple[str, str]]]]
    regions: list[str]  # villages and communities
    towns: list[str]
    officials: dict[str, list[dict]]

    def __getitem__(self, key: str):
        return self.raw[key]

    def town_of(self, unit_id: str) -> str:
        u = self.unit_by_id[unit_id]
        while u["kind"] not in ("town",) and u.get("parent"):
            u = self.unit_by_id[u["parent"]]
        return u["id"]

    def name(self, unit_id: str) -> str:
        u = self.unit_by_id[unit_id]
        return u.get("short_name") or u["name"]

    def fill_for(self, s: Scenario, rng: random.Random) -> tuple[str, dict]:
        """Pick places for a scenario: (region unit id, slot values), all within one town where possible."""
        anchor = s.anchor
        fill: dict = {}
        if anchor in ("village", "community"):
            region = rng.choice([r for r in self.regions if self.unit_by_id[r]["kind"] == anchor])
        elif anchor:
            name, region = rng.choice(self.places[anchor])
            fill[anchor] = name
        else:
            region = rng.choice(self.regions) if rng.random() < 0.75 else rng.choice(self.towns)
        town = self.town_of(region)
        kind = self.unit_by_id[region]["kind"]
        fill["town"] = self.unit_by_id[town]["name"]
        fill["where"] = self.unit_by_id[region]["name"]
        for slot in s.slots:
            if slot in fill or slot not in PLACE_SLOTS:
                continue
            if slot == kind:
                fill[slot] = self.unit_by_id[region]["name"]
                continue
            pool = self.places_by_town[slot].get(town) or self.places[slot]
            fill[slot] = rng.choice(pool)[0]
        return region, fill

    def resolve_unit(self, token: str, region: str) -> str:
        if token == "@town":
            return self.town_of(region)
        if token == "@local":
            return region
        return token


def _read(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def settings_text() -> str:
    """The shipped settings.yaml, verbatim."""
    return _read("settings.yaml")


@lru_cache(maxsize=1)
def load() -> Corpus:
    raw = yaml.load(_read("corpus.yaml"), Loader=YAML_LOADER)
    units = raw["units"]
    unit_by_id = {u["id"]: u for u in units}
    scenarios = []
    for i, s in enumerate(raw["scenarios"]):
        sc = Scenario(**{k: v for k, v in s.items() if k in Scenario.__dataclass_fields__})
        if isinstance(sc.content, str):
            sc.content = [sc.content]
        texts = [sc.title, *sc.content, *sc.replies, sc.followup or "", sc.reply2 or "", sc.topic or ""]
        sc.slots = frozenset(set().union(*(slots_in(t) for t in texts)))
        sc.index = i
        scenarios.append(sc)
    by_category: dict[str, list[Scenario]] = {}
    for sc in scenarios:
        by_category.setdefault(sc.category, []).append(sc)
    corpus = Corpus(raw, units, unit_by_id, scenarios, by_category, {}, {}, [], [], {})
    corpus.regions = [u["id"] for u in units if u["kind"] in ("village", "community")]
    corpus.towns = [u["id"] for u in units if u["kind"] == "town"]
    for kind in ("village", "community"):
        corpus.places[kind] = [(unit_by_id[r]["name"], r) for r in corpus.regions if unit_by_id[r]["kind"] == kind]
    for slot, entries in raw["places"].items():
        corpus.places[slot] = [(e["name"], e["unit"]) for e in entries]
    for slot, entries in corpus.places.items():
        by_town: dict[str, list] = {}
        for entry in entries:
            by_town.setdefault(corpus.town_of(entry[1]), []).append(entry)
        corpus.places_by_town[slot] = by_town
    for o in raw["officials"]:
        corpus.officials.setdefault(o["unit"], []).append(o)
    return corpus
