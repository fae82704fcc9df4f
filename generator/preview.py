"""`huiyin serve`'s quick path: a saved record file checked on its own and, for a public case, its page rendered at
once from what the last build left (build.Preview), while the full build catches up with lists, figures and search.

The page is made by the build's own plugin and templates from the build's portal with the saved case put in its
place (its state worked out again), so it is the page the next build writes, as long as the edit leaves what the
build derives across cases alone (the case's place, category and received date for repeat groups and place pages,
its duplicate link); otherwise the next build's page replaces it a little later.
"""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import BUILDERS
from .build import Preview
from .history.gitlog import GitUnavailable, Repo
from .issues import Issue
from .lifecycle import case_state
from .load import check_file
from .model import Case
from .obligations import time_limits
from .site.pages_cases import case_page
from .site.plugin import page_file
from .validate import check_case_alone

log = logging.getLogger(__name__)


@dataclass
class Saved:
    """What one saved record file gives at once."""

    file: str  # as messages name it: records/…
    issues: list[Issue] = field(default_factory=list)  # its errors and warnings; with an error nothing is shown
    page: str | None = None  # the site path of its page, when one was rendered
    html: bytes | None = None  # that page, as the build writes it
    note: str = ""  # why no page was rendered, for the log (restricted case, not yet received …)

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


def ids_of(preview: Preview) -> dict[str, set[str]]:
    """Every record id by kind in the build's records (the rules look references up in them)."""
    records = preview.portal.records
    return {kind: set(getattr(records, attr)) for kind, (attr, _build) in BUILDERS.items()}


class QuickPages:
    """Checks saved record files and renders a saved case's page from the last build's Preview."""

    def __init__(self, project_dir: Path, preview: Preview):
        self.records_dir = (project_dir / "records").resolve()
        self.preview = preview
        self.ids = ids_of(preview)
        try:
            self.repo: Repo | None = Repo.find(self.records_dir)
        except GitUnavailable:
            self.repo = None

    def saved(self, path: Path, render: bool = True) -> Saved:
        """Check the record file at path (under records/) and, for a public case and with render, make its page."""
        rel = path.resolve().relative_to(self.records_dir).as_posix()
        file = f"{self.records_dir.name}/{rel}"
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return Saved(file, note="文件已删除")
        checked = check_file(raw, rel, file)
        if not checked.valid or checked.kind != "case":
            return Saved(file, checked.issues)
        assert checked.data is not None
        portal = self.preview.portal
        case = Case.from_dict(checked.data, file)
        issues = checked.issues + check_case_alone(checked, case, portal.records, portal.calendar, portal.as_of,
                                                   self.ids, self.records_dir)
        if any(i.severity == "error" for i in issues):
            return Saved(file, issues)
        if not render:
            return Saved(file, issues, note="模板或配置改动后的整站生成完成前，不单独生成页面")
        self._put(case, path)
        if case.id not in portal.cases or not case.public:
            return Saved(file, issues, note="不公开或尚未受理的诉求没有页面")
        spec = case_page(case)
        html = self.preview.plugin.render_page(self.preview.config, spec)
        return Saved(file, issues, page_file(spec), html)

    def _put(self, case: Case, path: Path) -> None:
        """The saved case in place of the build's, in the portal the preview renders from."""
        portal = self.preview.portal
        records = portal.records
        records.cases[case.id] = case
        self.ids["case"].add(case.id)
        if case.received <= portal.as_of:
            portal.case_states[case.id] = case_state(case, time_limits(records.settings, case), portal.calendar,
                                                     portal.as_of)
            portal.cases[case.id] = case
        else:
            portal.cases.pop(case.id, None)
            portal.case_states.pop(case.id, None)
        group = portal.group_of(case.id)
        if group is not None:
            group.cases[:] = [case if c.id == case.id else c for c in group.cases]
        self.preview.plugin.site_data.group_notes.clear()  # a group's note names its cases' meetings
        history = portal.history
        if history is not None and history.available:
            history.saved("case", case.id, self._uncommitted(path))
        self.preview.patched = True

    def _uncommitted(self, path: Path) -> bool:
        """Whether the file differs from the checked-out commit (the page says so in its history section)."""
        if self.repo is None:
            return True
        try:
            top = path.resolve().relative_to(self.repo.toplevel).as_posix()
            return bool(self.repo.dirty_paths([top]))
        except (ValueError, OSError, subprocess.CalledProcessError, GitUnavailable):
            return True

