"""`huiyin matter …`: the click layer over generator/staff/matters.py (registered in generator/cli.py)."""

from __future__ import annotations

from datetime import date

import click

from ..cli_common import DATE, as_of_option, current_project
from .cli import _fail, _records, dry_run_option

CHECK_AS_OF = "检查时以哪一天为“今天”（YYYY-MM-DD），默认今天。"
matter_id_argument = click.argument("matter_id", metavar="实事编号")


def _evidence(title: str | None, url: str | None):
    from .matters import Evidence

    if bool(title) != bool(url):
        raise click.UsageError("佐证材料须同时给出 --evidence-title 和 --evidence-url")
    return Evidence(title.strip(), url.strip()) if title and url else None


def _run(action, *args, **kwargs) -> None:
    from .common import StaffError

    try:
        written = action(_records(), *args, cache_dir=current_project().cache, **kwargs)
    except StaffError as exc:
        _fail(exc)
    click.echo(written.text if kwargs.get("dry_run") else written.summary)


evidence_options = [
    click.option("--evidence-title", help="佐证材料名称，如 通车仪式照片（与 --evidence-url 同时给出）。"),
    click.option("--evidence-url", help="佐证材料的公开链接（http 或 https）。"),
]


def _with(options):
    def wrap(f):
        for option in reversed(options):
            f = option(f)
        return f
    return wrap


@click.group("matter")
def matter() -> None:
    """登记为民办实事的进展、节点、延期、完成和满意度调查（写入前按全部规则检查，保留注释和排版）。"""


@matter.command("progress")
@matter_id_argument
@click.option("--text", required=True, help="进展说明（公开）。")
@click.option("--percent", type=click.IntRange(0, 100), help="完成进度，0–100 的整数，不能低于上次报告。")
@click.option("--date", "day", type=DATE, default=None, help="报告日期，默认今天。")
@_with(evidence_options)
@as_of_option(CHECK_AS_OF)
@dry_run_option
def progress(matter_id, text, percent, day, evidence_title, evidence_url, as_of, dry_run) -> None:
    """登记一次进展：huiyin matter progress SS2026-1-017 --percent 60 --text "完成路基施工"。"""
    from .matters import add_progress

    _run(add_progress, matter_id, day=day or date.today(), text=text, percent=percent,
         evidence=_evidence(evidence_title, evidence_url), as_of=as_of, dry_run=dry_run)


@matter.command("milestone")
@matter_id_argument
@click.argument("milestone", metavar="节点")
@click.option("--date", "day", type=DATE, default=None, help="节点完成日期，默认今天。")
@as_of_option(CHECK_AS_OF)
@dry_run_option
def milestone(matter_id, milestone, day, as_of, dry_run) -> None:
    """登记一个计划节点已完成：节点写名称或序号，如 huiyin matter milestone SS2026-1-017 完成线路勘察。"""
    from .matters import reach_milestone

    _run(reach_milestone, matter_id, milestone, day=day or date.today(), as_of=as_of, dry_run=dry_run)


@matter.command("extend")
@matter_id_argument
@click.option("--new-deadline", required=True, type=DATE, help="批准后的完成时限，须晚于现在的时限。")
@click.option("--reason", required=True, help="延期理由（公开，至少 4 个字）。")
@click.option("--approved", type=DATE, default=None, help="延期批准日期，默认今天。")
@click.option("--approved-by", required=True, help="批准延期的单位编号（如 county-government），不能是责任单位自己。")
@click.option("--document-no", required=True, help="批准延期的文件文号。")
@as_of_option(CHECK_AS_OF)
@dry_run_option
def extend_command(matter_id, new_deadline, reason, approved, approved_by, document_no, as_of, dry_run) -> None:
    """登记经批准的延期（管理员按批准文件登记；理由、批准机关和文号、新时限都公开；按期与否仍按原定时限）。"""
    from .matters import extend

    _run(extend, matter_id, approved=approved or date.today(), new_deadline=new_deadline, reason=reason,
         approved_by=approved_by, document_no=document_no, as_of=as_of, dry_run=dry_run)


@matter.command("complete")
@matter_id_argument
@click.option("--date", "day", type=DATE, default=None, help="完成日期，默认今天。")
@_with(evidence_options)
@as_of_option(CHECK_AS_OF)
@dry_run_option
def complete_command(matter_id, day, evidence_title, evidence_url, as_of, dry_run) -> None:
    """登记实事已完成（可附验收材料链接）。"""
    from .matters import complete

    _run(complete, matter_id, day=day or date.today(), evidence=_evidence(evidence_title, evidence_url), as_of=as_of,
         dry_run=dry_run)


@matter.command("survey")
@matter_id_argument
@click.option("--satisfied", required=True, type=click.IntRange(min=0), help="满意人数。")
@click.option("--basically-satisfied", required=True, type=click.IntRange(min=0), help="基本满意人数。")
@click.option("--unsatisfied", required=True, type=click.IntRange(min=0), help="不满意人数。")
@as_of_option(CHECK_AS_OF)
@dry_run_option
def survey(matter_id, satisfied, basically_satisfied, unsatisfied, as_of, dry_run) -> None:
    """登记完成后的群众满意度调查结果（各项人数）。"""
    from .matters import record_survey

    _run(record_survey, matter_id, satisfied=satisfied, basically_satisfied=basically_satisfied,
         unsatisfied=unsatisfied, as_of=as_of, dry_run=dry_run)
