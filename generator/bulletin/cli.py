"""`huiyin bulletin`: make, catch up, revise and verify the monthly bulletins (月度通报)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ..cli_common import as_of_option, current_project
from ..errors import E
from ..issues import Issue
from .snapshot import BulletinError, catch_up, generate, load_committed, month_label, revise
from .verify import VersionCheck, verify_changed, verify_month

def _line(i: Issue) -> str:
    where = i.file + (f":{i.line}" if i.line else "")
    field = f" [{i.field}]" if i.field else ""
    return f"{where}: {'错误' if i.severity == 'error' else '提醒'} {i.code}{field} {i.message}"


def _fail(issues: list[Issue], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({"ok": False, "issues": [_as_dict(i) for i in issues]}, ensure_ascii=False, indent=2))
    else:
        for i in issues:
            click.echo(_line(i), err=True)
    sys.exit(1)


def _as_dict(i: Issue) -> dict:
    return {"code": i.code, "severity": i.severity, "file": i.file, "line": i.line, "field": i.field, "message": i.message}


def real_today() -> date:
    """The machine's date (tests put another in its place)."""
    return date.today()


def _refuse_future(day: date, fmt: str, where: str) -> None:
    """A bulletin is made from what has happened: an --as-of later than today is refused."""
    today = real_today()
    if day > today:
        _fail([Issue(where, None, None, E.BULLETIN_AS_OF_FUTURE,
                     f"--as-of {day} 晚于今天（{today}）：通报只能依据今天以前已经发生的情况，不能提前生成；"
                     f"请去掉 --as-of，或给出今天以前的日期", "--as-of")], fmt)


def _report_checks(checks: list[VersionCheck], fmt: str) -> bool:
    ok = all(c.ok and not c.later for c in checks)
    if fmt == "json":
        click.echo(json.dumps({"ok": ok, "versions": [
            {"id": c.id, "file": c.file, "source_commit": c.commit, "ok": c.ok,
             "issues": [_as_dict(i) for i in c.issues], "current_differences": [_as_dict(i) for i in c.later]}
            for c in checks]}, ensure_ascii=False, indent=2))
        return ok
    for c in checks:
        for i in c.issues:
            click.echo(_line(i))
        verdict = "与通报一致" if c.ok else f"与通报不一致（{sum(i.severity == 'error' for i in c.issues)} 处）"
        click.echo(f"{'✓' if c.ok else '✗'} {c.id}：按依据的提交 {c.commit[:12]} 复算，{verdict}")
        if c.later:
            click.echo(f"✗ {c.id}：通报发布后记录有更正，按现在的记录计算有 {len(c.later)} 处不同（通报本身不变；更正及其原因见"
                       f"网站的“更正与变更”页；请运行 huiyin bulletin {c.id[:7]} --revise --reason \"原因\" 发布更正版本）：")
            for i in c.later:
                click.echo("  " + _line(i))
    return ok


@click.command("bulletin")
@click.argument("month", metavar="[月份]", required=False)
@click.option("--catch-up", "catch_up_", is_flag=True, help="补齐所有已结束、还没有通报的月份（可重复运行）。")
@click.option("--since", help="与 --catch-up 合用：从哪个月（YYYY-MM）开始，默认最早受理诉求的月份。")
@click.option("--revise", "revise_", is_flag=True, help="更正已发布的通报：另存更正版本，原通报保留。")
@click.option("--reason", help="更正原因（与 --revise 合用，公开显示）。")
@click.option("--verify", "verify_", is_flag=True,
              help="按通报记载的提交重新计算，逐项报告不同之处；与现在的记录算出的结果不同（发布后有更正）也算不一致。")
@click.option("--verify-changed", "verify_changed_", metavar="BASE",
              help="检查相对目标分支 BASE（如 origin/main）新增或改动的每个通报文件：按其记载的提交重新计算，必须完全一致。")
@click.option("--no-cache", is_flag=True, help="不使用解析缓存（CI 中用目标分支的程序检查时使用）。")
@as_of_option("以哪一天为“今天”（YYYY-MM-DD），默认今天；只能通报今天以前已结束的月份，不能晚于今天。")
@click.option("--allow-dirty", is_flag=True, help="允许记录有未提交的改动（仅供测试；通报会注明无法按提交复算）。")
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human", help="输出格式。")
def bulletin(month: str | None, catch_up_: bool, since: str | None, revise_: bool, reason: str | None, verify_: bool,
             verify_changed_: str | None, no_cache: bool, as_of: date, allow_dirty: bool, fmt: str) -> None:
    """生成月度通报（网民留言回复办结情况）并冻结为记录：huiyin bulletin 2026-03。

    通报依据已提交的记录按月末计算，写入 records/bulletins/，发布后不再改动。
    """
    project = current_project()
    records_dir = project.records
    _refuse_future(as_of, fmt, f"{records_dir.name}/bulletins/" + (f"{month}.yaml" if month else ""))
    today = as_of
    cache = None if no_cache else project.cache
    modes = sum([catch_up_, revise_, verify_, bool(verify_changed_)])
    if modes > 1:
        raise click.UsageError("--catch-up、--revise、--verify、--verify-changed 只能选一个")
    if verify_changed_:
        if month:
            raise click.UsageError("--verify-changed 不需要月份")
        try:
            checks = verify_changed(records_dir, verify_changed_, today=today, cache_dir=cache)
        except BulletinError as exc:
            _fail(exc.issues, fmt)
        if not checks and fmt == "human":
            click.echo(f"相对 {verify_changed_} 没有新增或改动的月度通报。")
        sys.exit(0 if _report_checks(checks, fmt) else 1)
    if catch_up_ == bool(month):
        raise click.UsageError("请给出月份（如 2026-03），或用 --catch-up 补齐所有缺少的月份")
    if reason and not revise_:
        raise click.UsageError("--reason 只与 --revise 合用")
    if since and not catch_up_:
        raise click.UsageError("--since 只与 --catch-up 合用")
    if not records_dir.is_dir():
        raise click.UsageError(f"找不到记录目录 {records_dir}")
    try:
        if verify_:
            try:  # only for the note on later edits; the verdict needs the recorded commit alone
                current = load_committed(records_dir, today=today, allow_dirty=True, cache_dir=cache)
            except BulletinError:
                current = None
            checks = verify_month(records_dir, month, today=today, current=current, cache_dir=cache)
            sys.exit(0 if _report_checks(checks, fmt) else 1)
        loaded = load_committed(records_dir, today=today, allow_dirty=allow_dirty, cache_dir=cache)
        if catch_up_:
            paths = catch_up(loaded, today=today, since=since)
        elif revise_:
            paths = [revise(loaded, month, reason or "", today=today)]
        else:
            paths = [generate(loaded, month, today=today)]
    except BulletinError as exc:
        _fail(exc.issues, fmt)
        return
    commit = loaded.source.commit[:12]
    if fmt == "json":
        click.echo(json.dumps({"ok": True, "written": [str(p) for p in paths], "source_commit": loaded.source.commit},
                              ensure_ascii=False, indent=2))
    elif not paths:
        click.echo("所有已结束的月份都已有通报，没有新生成。")
    else:
        for p in paths:
            click.echo(f"已生成 {month_label(p.stem[:7])}通报{'（更正版本）' if '-r' in p.stem else ''}：{p}（依据提交 {commit}）")
