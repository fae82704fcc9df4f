"""`huiyin report`: fill the Haiyang half-yearly tables for a period, as CSV and XLSX."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..cli_common import DATE, as_of_option, current_project


@click.command()
@click.option("--from", "start", required=True, type=DATE, help="统计期间第一天（YYYY-MM-DD）。")
@click.option("--to", "end", required=True, type=DATE, help="统计期间最后一天（YYYY-MM-DD）。")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出目录。")
@as_of_option("办理情况统计到哪一天（YYYY-MM-DD），默认今天。")
@click.option("--public", is_flag=True, help="公开版：反映人姓名也不填写（默认填写遮盖后的姓名，如 张**）。")
def report(start: date, end: date, out_dir: Path, as_of: date, public: bool) -> None:
    """填写半年报表（海办发〔2016〕9号附件2 问题分类统计表、附件5 89000民生热线、网上民声交办问题统计表）。

    只列公开的诉求；依规不公开的诉求只在表下注明件数。联系电话、住址一律不填写。
    """
    from .. import report_format
    from ..derive import derive
    from ..validate import validate
    from ..workdays import MissingYear
    from .bundle import write_files
    from .reports import Period, TABLES, report_files, report_rows

    first, last, day = start, end, as_of
    project = current_project()
    records_dir = project.records
    if first > last:
        raise click.UsageError(f"统计期间的第一天 {first} 晚于最后一天 {last}")
    if last > day:
        raise click.UsageError(f"统计期间的最后一天 {last} 晚于统计日 {day}：请用 --as-of 指定统计日，或等期间结束后再填报")
    if not (records_dir / "settings.yaml").is_file():
        raise click.UsageError(f"{records_dir} 不是记录目录（找不到 settings.yaml）")
    result = validate(records_dir, as_of=day, cache_dir=project.cache)
    if not result.report.ok or result.records is None:
        click.echo(report_format.human(result.report), err=True)
        raise click.ClickException("记录有错误，未生成报表")
    try:
        portal = derive(result.records, result.calendar, day)
    except MissingYear as exc:
        raise click.ClickException(str(exc)) from None
    period = Period(first, last)
    files = report_files(portal, period, public=public)
    write_files(files, out_dir)
    for table in TABLES:
        rows, restricted = report_rows(portal, table, period, public)
        click.echo(f"{table.attachment} {table.title}：{len(rows)} 件" + (f"（另有依规不公开 {restricted} 件只计数）" if restricted else ""))
    click.echo(f"已写入 {len(files)} 个文件到 {out_dir}：" + "、".join(sorted(files)))
