"""`huiyin new case` and `huiyin new matter`: a new record file in the right folder, checked before it is written."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..kinds import KIND_BY_NAME, schema_header
from ..load import SAFE_ID, check_file
from ..model import Settings
from .common import StaffError, write_atomic
from .ids import allocate_case_id, case_folder
from .proposal import check_proposal
from .rtyaml import block_text, dump_text, house_yaml, to_tree


@dataclass(frozen=True)
class Written:
    """A record a command wrote (or would write): where, which id, and its text."""

    path: Path
    id: str
    text: str
    summary: str = ""


@dataclass
class NewCase:
    """What a clerk says about a new request; everything else is derived or allocated."""

    title: str
    content: str
    channel: str
    type: str
    category: str
    region: str
    received: date
    unit: str | None = None  # assign right away (交办) to this unit
    level: str | None = None
    petitioner: str | None = None
    visibility: str = "public"
    restricted_reason: str | None = None
    co_units: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    note: str | None = None


@dataclass
class NewMatter:
    """A practical matter as the published document lists it."""

    batch: str
    title: str
    description: str
    category: str
    unit: str
    responsible_name: str
    responsible_post: str
    deadline: date
    number: int | None = None  # default: the next free number in the batch
    co_units: list[str] = field(default_factory=list)
    source_cases: list[str] = field(default_factory=list)


def read_settings(records_dir: Path) -> Settings:
    """The portal settings, or a refusal naming what is wrong with settings.yaml."""
    path = records_dir / "settings.yaml"
    try:
        raw = path.read_bytes()
    except OSError:
        raise StaffError(f"找不到门户设置文件 {records_dir.name}/settings.yaml") from None
    rf = check_file(raw, "settings.yaml", f"{records_dir.name}/settings.yaml")
    if not rf.valid:
        raise StaffError("门户设置文件有错误，请先运行 huiyin validate 修正")
    return Settings.from_dict(rf.data)


def unit_ids(records_dir: Path) -> list[str]:
    """Ids of the unit records (file names), sorted."""
    return sorted(p.stem for p in (records_dir / "units").glob("*.yaml"))


def _record_text(kind: str, relpath: str, data: dict) -> str:
    header = schema_header(KIND_BY_NAME[kind], relpath)
    return header + "\n" + dump_text(house_yaml(), to_tree(data))


def _checked_write(records_dir: Path, relpath: str, text: str, as_of: date, cache_dir: Path | None,
                   what: str, dry_run: bool) -> None:
    """Refuse (writing nothing) unless the record set stays valid with this file; then write it."""
    target = records_dir / relpath
    if target.exists():
        raise StaffError(f"{records_dir.name}/{relpath} 已经存在，未写入")
    verdict = check_proposal(records_dir, {relpath: text.encode("utf-8")}, as_of=as_of, cache_dir=cache_dir)
    if not verdict.ok:
        raise StaffError(f"{what}未通过检查，未写入任何文件", verdict.report)
    if not dry_run:
        write_atomic(target, text)


def case_data(case_id: str, c: NewCase) -> dict:
    """The new case as a mapping in the house field order."""
    data: dict = {"id": case_id, "title": c.title.strip(), "channel": c.channel, "type": c.type,
                  "category": c.category, "region": c.region}
    if c.petitioner:
        data["petitioner"] = c.petitioner.strip()
    if c.visibility != "public":
        data["visibility"] = c.visibility
    if c.restricted_reason:
        data["restricted_reason"] = c.restricted_reason
    data["content"] = block_text(c.content)
    for key in ("co_units", "related"):
        if getattr(c, key):
            data[key] = list(getattr(c, key))
    if c.duplicate_of:
        data["duplicate_of"] = c.duplicate_of
    received: dict = {"date": c.received, "type": "received"}
    if c.note:
        received["note"] = c.note
    events = [received]
    if c.unit:
        assigned: dict = {"date": c.received, "type": "assigned", "unit": c.unit}
        if c.level:
            assigned["level"] = c.level
        events.append(assigned)
    data["events"] = events
    return data


def new_case(records_dir: Path, c: NewCase, *, as_of: date, cache_dir: Path | None = None,
             rng: random.Random | None = None, dry_run: bool = False) -> Written:
    """Allocate an id, write records/cases/YYYY/MM/<id>.yaml with the received event; refuse if invalid."""
    if c.level and not c.unit:
        raise StaffError("指定办理层级（--level）时必须同时指定承办单位（--unit）")
    settings = read_settings(records_dir)
    case_id = allocate_case_id(records_dir, settings.case_id_prefix, c.received, rng)
    relpath = f"{case_folder(c.received)}/{case_id}.yaml"
    text = _record_text("case", relpath, case_data(case_id, c))
    _checked_write(records_dir, relpath, text, as_of, cache_dir, f"诉求 {case_id} ", dry_run)
    how = f"，已交办 {c.unit}" if c.unit else "，尚未交办"
    return Written(records_dir / relpath, case_id, text, f"已新建诉求 {case_id}（受理于 {c.received}{how}）")


def _next_matter_number(records_dir: Path, batch: str) -> int:
    pattern = re.compile(rf"^{re.escape(batch)}-(\d{{3}})$")
    numbers = [int(m.group(1)) for p in (records_dir / "matters" / batch).glob("*.yaml")
               if (m := pattern.match(p.stem))]
    return max(numbers, default=0) + 1


def new_matter(records_dir: Path, m: NewMatter, *, as_of: date, cache_dir: Path | None = None,
               dry_run: bool = False) -> Written:
    """Write records/matters/<batch>/<batch>-NNN.yaml; refuse if the batch is unknown or the record invalid."""
    if not re.fullmatch(SAFE_ID, m.batch):
        raise StaffError(f"批次编号 {m.batch!r} 格式不对，应如 SS2026-1")
    if not (records_dir / "batches" / f"{m.batch}.yaml").is_file():
        known = "、".join(sorted(p.stem for p in (records_dir / "batches").glob("*.yaml"))) or "（无）"
        raise StaffError(f"批次 {m.batch} 不存在（批次记录在 records/batches/，现有：{known}）")
    number = m.number or _next_matter_number(records_dir, m.batch)
    if not 1 <= number <= 999:
        raise StaffError(f"序号 {number} 超出范围：实事序号为 1–999")
    matter_id = f"{m.batch}-{number:03d}"
    data: dict = {"id": matter_id, "batch": m.batch, "number": number, "title": m.title.strip(),
                  "description": block_text(m.description), "category": m.category, "unit": m.unit}
    if m.co_units:
        data["co_units"] = list(m.co_units)
    data["responsible"] = {"name": m.responsible_name.strip(), "post": m.responsible_post.strip()}
    data["deadline"] = m.deadline
    if m.source_cases:
        data["source_cases"] = list(m.source_cases)
    relpath = f"matters/{m.batch}/{matter_id}.yaml"
    text = _record_text("matter", relpath, data)
    _checked_write(records_dir, relpath, text, as_of, cache_dir, f"实事 {matter_id} ", dry_run)
    return Written(records_dir / relpath, matter_id, text, f"已新建实事 {matter_id}（责任单位 {m.unit}，时限 {m.deadline}）")
