"""`huiyin periodic`: make or verify a weekly (周报) or annual (年度报告) report."""

from __future__ import annotations

import sys
from datetime import date

import click

from ..bulletin.cli import _fail, _line
from ..bulletin.snapshot import BulletinError, load_committed
from ..cli_common import as_of_option, current_project


@click.command("periodic")
@click.argument("report_id", metavar="编号")
@click.option("--verify", "verify_", is_flag=True, help="按报告记载的提交重新计算，逐项报告不同之处。")
@as_of_option("以哪一天为“今天”（YYYY-MM-DD），默认今天，不能晚于今天；只能为这一天以前已结束的周或年生成报告。")
@click.option("--allow-dirty", is_flag=True, help="允许记录有未提交的改动（仅供测试；报告会注明无法按提交复算）。")
def periodic(report_id: str, verify_: bool, as_of: date, allow_dirty: bool) -> None:
    """生成周报或年度报告并冻结为记录：huiyin periodic 2026-W46（周报）、huiyin periodic 2025（年度报告）。

    报告依据已提交的记录，按周日或 12 月 31 日结束时计算，写入 records/periodic/，发布后不再改动；
    年度报告与上年同期比较，周报与上周比较。
    """
    from .document import parse_id
    from .store import generate, verify

    if as_of > date.today():
        raise click.BadParameter(f"{as_of} 晚于今天（{date.today()}）：报告只能依据已经发生的情况", param_hint="--as-of")
    try:
        parse_id(report_id)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="编号") from None
    project = current_project()
    if not project.records.is_dir():
        raise click.UsageError(f"找不到记录目录 {project.records}")
    try:
        if verify_:
            checked = verify(project.records, report_id, cache_dir=project.cache)
            for i in checked.issues:
                click.echo(_line(i))
            verdict = "与报告一致" if checked.ok else f"与报告不一致（{sum(i.severity == 'error' for i in checked.issues)} 处）"
            click.echo(f"{'✓' if checked.ok else '✗'} {report_id}：按依据的提交 {checked.commit[:12]} 复算，{verdict}")
            sys.exit(0 if checked.ok else 1)
        loaded = load_committed(project.records, today=as_of, allow_dirty=allow_dirty, cache_dir=project.cache)
        path = generate(loaded, report_id, today=as_of)
    except BulletinError as exc:
        _fail(exc.issues, "human")
        return
    click.echo(f"已生成 {report_id}：{path}（依据提交 {loaded.source.commit[:12]}）")
