"""Record kinds: where each kind lives under records/ and which schema checks it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Kind:
    """One kind of record file."""

    name: str
    label: str  # Chinese name, for messages
    folder_pattern: re.Pattern[str]  # matches the path relative to records/, without the file name

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"


KINDS: tuple[Kind, ...] = (
    Kind("settings", "门户设置", re.compile(r"^$")),
    Kind("unit", "单位", re.compile(r"^units$")),
    Kind("case", "诉求", re.compile(r"^cases/(\d{4})/(\d{2})$")),
    Kind("batch", "实事批次", re.compile(r"^batches$")),
    Kind("matter", "实事", re.compile(r"^matters/([^/]+)$")),
    Kind("calendar", "工作日安排", re.compile(r"^calendar$")),
    Kind("bulletin", "月度通报", re.compile(r"^bulletins$")),
    Kind("staff", "工作人员名单", re.compile(r"^$")),
    Kind("rules", "办理职责规则", re.compile(r"^$")),
    Kind("leader", "县级领导", re.compile(r"^leaders$")),
    Kind("reception", "领导接访安排", re.compile(r"^receptions$")),
    Kind("survey", "满意度调查", re.compile(r"^surveys$")),
    Kind("broadcast", "热线直播", re.compile(r"^broadcasts$")),
    Kind("meeting", "会议", re.compile(r"^meetings$")),
    Kind("periodic", "周报和年度报告", re.compile(r"^periodic$")),
)
ROOT_FILES = ("settings.yaml", "staff.yaml", "rules.yaml")  # one file each at the records root
KIND_BY_NAME = {k.name: k for k in KINDS}


def kind_for_path(relpath: str) -> Kind | None:
    """The kind of a record file from its path relative to records/, or None."""
    if not relpath.endswith(".yaml"):
        return None
    folder, _, name = relpath.rpartition("/")
    if folder == "":
        return KIND_BY_NAME[name[:-5]] if name in ROOT_FILES else None
    for kind in KINDS:
        if kind.folder_pattern.pattern != "^$" and kind.folder_pattern.match(folder):
            return kind
    return None


def schema_header(kind: Kind, relpath: str) -> str:
    """The first line a record must carry so editors find its schema."""
    depth = len(PurePosixPath(relpath).parts)  # records/<...>/file.yaml -> up to the project root
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind.schema_file}"
