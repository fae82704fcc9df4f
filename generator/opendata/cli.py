"""`huiyin report`: fill the Haiyang half-yearly tables for a half-year or any period, as CSV and XLSX."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..cli_common import DATE, current_project

HALF_HELP = "半年：如 2026-1（上半年，附件5 在 6 月 1 日前、附件2 在 6 月 10 日前报送）或 2026-2（下半年）；每张表按自己的报送日期确定统计期间。"


def _half(value: str) -> tuple[int, int]:
    year, _, half = value.partition("-")
    if not (year.isdigit() and len(year) == 4 and half in ("1", "2")):
        raise click.BadParameter(f"半年的写法是 年份-1 或 年份-2，如 2026-1：{value}", param_hint="--half")
    return int(year), int(half)


@click.command()
@click.option("--half", "half", help=HALF_HELP)
@click.option("--from", "start", type=DATE, help="统计期间第一天（YYYY-MM-DD），与 --to 合用：两张表用同一个统计期间。")
@click.option("--to", "end", type=DATE, help="统计期间最后一天（YYYY-MM-DD）。")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出目录。")
@click.option("--as-of", "as_of", type=DATE, default=None,
              help="办理情况统计到哪一天（YYYY-MM-DD），默认统计期间的最后一天；这一天以后的办理事件不计入。")
@click.option("--public", is_flag=True, help="公开版：反映人姓名也不填写（默认填写遮盖后的姓名，如 张**）。")
def report(half: str | None, start: date | None, end: date | None, out_dir: Path, as_of: date | None,
           public: bool) -> None:
    """填写半年报表（海办发〔2016〕9号附件2 问题分类统计表、附件5 89000民生热线、网上民声交办问题统计表）。

    只列公开的诉求；依规不公开的诉求只在表下注明件数。联系电话、住址一律不填写。办理情况为统计期间最后一天
    （或 --as-of 那天）的状态：以后的办理事件不计入，所以过后补做的报表与当时报送的一致。
    """
    from .. import report_format
    from ..derive import derive
    from ..validate import validate
    from ..workdays import MissingYear
    from .bundle import write_files
    from .reports import Period, TABLES, report_rows, table_files

    if bool(half) == bool(start or end):
        raise click.UsageError("请用 --half（如 2026-1）给出半年，或用 --from 和 --to 给出统计期间，二者选一")
    if half:
        year, which = _half(half)
        periods = {t.slug: t.half(year, which) for t in TABLES}
    else:
        if not (start and end):
            raise click.UsageError("--from 和 --to 要一起给出")
        if start > end:
            raise click.UsageError(f"统计期间的第一天 {start} 晚于最后一天 {end}")
        periods = {t.slug: Period(start, end) for t in TABLES}
    latest = max(p.end for p in periods.values())
    if as_of is not None and as_of < latest:
        raise click.UsageError(f"统计期间的最后一天 {latest} 晚于统计日 {as_of}：--as-of 不能早于统计期间结束")
    today = date.today()
    day = as_of or latest
    if day > today:
        raise click.UsageError(f"统计日 {day} 还没到（今天是 {today}）：统计期间结束后才能填报")
    project = current_project()
    records_dir = project.records
    if not (records_dir / "settings.yaml").is_file():
        raise click.UsageError(f"{records_dir} 不是记录目录（找不到 settings.yaml）")
    result = validate(records_dir, as_of=today, cache_dir=project.cache)  # the records as they are; the day only filters
    if not result.report.ok or result.records is None:
        click.echo(report_format.human(result.report), err=True)
        raise click.ClickException("记录有错误，未生成报表")
    try:
        portal = derive(result.records, result.calendar, day)
    except MissingYear as exc:
        raise click.ClickException(str(exc)) from None
    files: dict[str, bytes] = {}
    for table in TABLES:
        files.update(table_files(portal, table, periods[table.slug], public=public, as_of=as_of))
    write_files(files, out_dir)
    for table in TABLES:
        period = periods[table.slug]
        rows, restricted = report_rows(portal, table, period, public, as_of)
        click.echo(f"{table.attachment} {table.title}（{period.label}，办理情况截至 {as_of or period.end}）：{len(rows)} 件"
                   + (f"（另有依规不公开 {restricted} 件只计数）" if restricted else ""))
    click.echo(f"已写入 {len(files)} 个文件到 {out_dir}：" + "、".join(sorted(files)))
