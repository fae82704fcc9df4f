"""A scripted Git history of a small portal, for the history tests: create, assign, reply, correct …"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "minimal" / "records"
CASE = "records/cases/2026/03/QH20260302-7KQ2M.yaml"
MATTER = "records/matters/SS2026-1/SS2026-1-001.yaml"
CASE_HEADER = "# yaml-language-server: $schema=../../../../schemas/case.schema.json\n"
REPLY_1 = "经与客运公司沟通，县交通运输局拟提前收回原线路经营权，计划于6月底前开通县城至西东村的城乡公交。"
REPLY_2 = "经与客运公司协商，县交通运输局将收回原线路经营权，7月底前开通县城至西东村的城乡公交。"


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


def project(tmp: Path) -> Path:
    """A project folder with the minimal records and the site's templates, mkdocs.yml and schemas."""
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE, tmp / "records")
    for name in ("site_templates", "schemas"):
        shutil.copytree(ROOT / name, tmp / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    (tmp / ".gitignore").write_text("site/\n.huiyin-cache/\n.cache/\n", encoding="utf-8")
    return tmp


def commit(repo: Path, message: str, author: str, when: str, files: dict[str, str | None]) -> str:
    """Write (or delete, for None) files and commit them with the given author and date; returns the sha."""
    for rel, text in files.items():
        path = repo / rel
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    stamp = f"{when}T10:00:00+08:00"
    git(repo, "-c", f"user.name={author}", "-c", "user.email=staff@example.gov", "commit", "-q", "-m", message,
        env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
    return git(repo, "rev-parse", "HEAD").strip()


def case_text(events: list[dict], extra: str = "") -> str:
    lines = [CASE_HEADER.rstrip("\n"), "id: QH20260302-7KQ2M", "title: 西东村何时能通公交", "channel: reception-day",
             "type: report", "category: urban-construction", "region: xidong-village", "petitioner: 张**",
             "content: |", "  西东村离镇上八公里，村里老人看病、孩子上学都要走到国道边拦车，",
             "  希望县里尽早开通到村里的公交线路。"]
    if extra:
        lines.append(extra.rstrip("\n"))
    lines.append("events:")
    for e in events:
        lines.append(f"  - date: {e['date']}")
        lines.append(f"    type: {e['type']}")
        for k, v in e.items():
            if k in ("date", "type"):
                continue
            if k == "text":
                lines += ["    text: |", f"      {v}"]
            else:
                lines.append(f"    {k}: {v}")
    return "\n".join(lines) + "\n"


def unit_text(uid: str, name: str, kind: str = "department", parent: str | None = "county-government") -> str:
    text = f"# yaml-language-server: $schema=../../schemas/unit.schema.json\nid: {uid}\nname: {name}\nkind: {kind}\n"
    return text + (f"parent: {parent}\n" if parent else "")


def matter_text(deadline: str = "2026-06-30", responsible: str = "李建国", unit: str = "county-transport",
                extensions: str = "") -> str:
    return f"""# yaml-language-server: $schema=../../../schemas/matter.schema.json
id: SS2026-1-001
batch: SS2026-1
number: 1
title: 开通县城至西东村城乡公交
description: 新开通县城至禾丰镇西东村城乡公交线路，每天往返 8 班。
category: urban-construction
unit: {unit}
co_units: [hefeng-town]
responsible:
  name: {responsible}
  post: 县交通运输局局长
deadline: {deadline}
{extensions}milestones:
  - title: 完成线路勘察
    due: 2026-04-15
    done: 2026-04-10
updates:
  - date: 2026-04-10
    text: 完成线路勘察和站点选址。
    percent: 40
source_cases: [QH20260302-7KQ2M]
"""


STAFF = """\
# yaml-language-server: $schema=../schemas/staff.schema.json
id: staff
staff:
  - {handle: qh-wang, role: dispatcher, units: [county-government], git_names: [王小明]}
  - {handle: qh-li, role: clerk, units: [county-transport], git_names: [李娜]}
  - {handle: qh-zhao, role: clerk, units: [county-transport], git_names: [赵强]}
  - {handle: qh-zhou, role: administrator, units: [county-government], git_names: [周敏]}
"""
DISPATCHER, CLERK, ADMIN = "青禾县人民政府 · 受理交办人员", "县交通运输局 · 单位经办人", "青禾县人民政府 · 管理员"
RECEIVED = {"date": "2026-03-02", "type": "received"}
ASSIGNED = {"date": "2026-03-02", "type": "assigned", "unit": "county-transport", "level": "unit-coordination"}


def scripted_history(tmp: Path) -> dict[str, str]:
    """Create the project and its history; returns the commit ids by step name."""
    repo = project(tmp)
    git(repo, "init", "-q", "-b", "main")
    shas = {}
    events = [dict(RECEIVED)]
    shas["create"] = commit(repo, "受理：西东村何时能通公交", "王小明", "2026-03-02", {
        CASE: case_text(events), MATTER: matter_text(), "records/staff.yaml": STAFF,
        "records/units/county-housing.yaml": unit_text("county-housing", "县住建局")})
    events.append(dict(ASSIGNED))
    shas["assign"] = commit(repo, "交办县交通运输局", "王小明", "2026-03-03", {CASE: case_text(events)})
    events.append({"date": "2026-03-09", "type": "replied", "text": REPLY_1})
    shas["reply"] = commit(repo, "答复 QH20260302-7KQ2M，联系人 13812345678", "李娜", "2026-03-09",
                           {CASE: case_text(events)})
    events[2]["text"] = REPLY_2
    shas["edit_reply"] = commit(repo, "修改答复措辞", "李娜", "2026-04-02", {CASE: case_text(events)})
    events[1]["unit"] = "county-housing"
    shas["move_unit"] = commit(repo, "承办单位改为县住建局", "赵强", "2026-04-03", {CASE: case_text(events)})
    events.append({"date": "2026-04-07", "type": "extended", "reason": "需与客运公司协商线路", "new_deadline": "2026-05-29"})
    shas["extend"] = commit(repo, "延期办理", "赵强", "2026-04-07", {CASE: case_text(events)})
    events[3]["new_deadline"] = "2026-06-30"
    shas["move_deadline"] = commit(repo, "调整延期时限", "赵强", "2026-04-10", {CASE: case_text(events)})
    events[1]["unit"] = "county-construction"
    shas["rename_unit"] = commit(repo, "县住建局更名为县住房和城乡建设局", "周敏", "2026-04-12", {
        "records/units/county-housing.yaml": None,
        "records/units/county-construction.yaml": unit_text("county-construction", "县住房和城乡建设局"),
        CASE: case_text(events)})
    shas["matter_deadline"] = commit(repo, "调整实事办理时限和责任人", "周敏", "2026-04-15", {
        MATTER: matter_text(deadline="2026-07-31", responsible="王建华")})
    extension = ("extensions:\n  - date: 2026-04-20\n    new_deadline: 2026-08-31\n"
                 "    reason: 新增站点需重新勘察\n")
    shas["matter_extend"] = commit(repo, "实事延期", "周敏", "2026-04-20", {
        MATTER: matter_text(deadline="2026-07-31", responsible="王建华", extensions=extension)})
    old = "records/cases/2026/10/QH20261009-AB3CD.yaml"
    text = (repo / old).read_text(encoding="utf-8").replace("QH20261009-AB3CD", "QH20261008-AB3CD")
    shas["fix_received"] = commit(repo, "更正受理日期", "王小明", "2026-10-20", {
        old: None, "records/cases/2026/10/QH20261008-AB3CD.yaml": text.replace("2026-10-09", "2026-10-08")})
    return shas
