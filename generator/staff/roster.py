"""The staff list (records/staff.yaml): who is who, in which units, with which role."""

from __future__ import annotations

from dataclasses import dataclass

from ..issues import Issue
from ..load import check_file

STAFF_FILE = "staff.yaml"  # at the records root
ROLE_LABELS = {"clerk": "单位经办人", "dispatcher": "受理交办人员", "administrator": "管理员"}


@dataclass(frozen=True)
class Member:
    """One person: platform handle, role, units, and the Git author names they commit under."""

    handle: str
    role: str
    units: tuple[str, ...] = ()
    git_names: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.role == "administrator"

    @property
    def is_dispatcher(self) -> bool:
        return self.role == "dispatcher"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


@dataclass(frozen=True)
class Roster:
    members: tuple[Member, ...]

    def find(self, handle: str) -> Member | None:
        """The member with this handle (platform logins ignore letter case)."""
        folded = handle.lstrip("@").casefold()
        return next((m for m in self.members if m.handle.casefold() == folded), None)

    def by_git_name(self, name: str) -> list[Member]:
        return [m for m in self.members if name in m.git_names]

    @property
    def administrators(self) -> list[Member]:
        return [m for m in self.members if m.is_admin]

    @property
    def dispatchers(self) -> list[Member]:
        return [m for m in self.members if m.is_dispatcher]

    def clerks_of(self, unit: str) -> list[Member]:
        """Non-administrators who work for a unit."""
        return [m for m in self.members if unit in m.units and not m.is_admin]


def parse_roster(raw: bytes, file: str) -> tuple[Roster | None, list[Issue]]:
    """The roster from staff.yaml bytes, checked like any record (schema, privacy); None when unusable."""
    rf = check_file(raw, STAFF_FILE, file)
    errors = [i for i in rf.issues if i.severity == "error"]
    if errors or rf.data is None:
        return None, errors
    members = tuple(Member(m["handle"], m["role"], tuple(m.get("units", ())), tuple(m.get("git_names", ())))
                    for m in rf.data["staff"])
    return Roster(members), []
