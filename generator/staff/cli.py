"""The staff commands: new case|matter, event, redact, check-change, codeowners (registered in generator/cli.py)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from .. import report_format
from ..cli_common import DATE, LabelledChoice, as_of_option, current_project
from ..schema_check import load_schema
from ..schema_labels import enum_labels, event_field_labels, event_type_labels

EVENT_TYPE = LabelledChoice({k: v for k, v in event_type_labels().items() if k != "received"}, "事件类型")
LEVEL = LabelledChoice(event_field_labels("assigned", "level"), "办理层级")
RESULT = LabelledChoice(event_field_labels("evaluated", "result"), "评价结果")
METHOD = LabelledChoice(event_field_labels("evaluated", "method"), "回访方式")
EVENT_TYPES, LEVELS, RESULTS, METHODS = (tuple(c.labels) for c in (EVENT_TYPE, LEVEL, RESULT, METHOD))
RESTRICTED = LabelledChoice(enum_labels(load_schema("case.schema.json")["properties"]["restricted_reason"]), "不公开理由")
dry_run_option = click.option("--dry-run", is_flag=True, help="只检查并显示结果，不写入文件。")


def _fail(exc: Exception) -> NoReturn:
    """Print a refusal (and its report) and exit 1: nothing was written."""
    report = getattr(exc, "report", None)
    if report is not None and report.issues:
        click.echo(report_format.human(report), err=True)
    click.echo(f"✗ {exc}", err=True)
    sys.exit(1)


def _records() -> Path:
    from .common import StaffError, records_root

    try:
        return records_root(current_project().records)
    except StaffError as exc:
        _fail(exc)


def _ask(label: str, value: Any, choices: dict[str, str] | None = None, interactive: bool = True) -> Any:
    """The given value, or one asked for (with the allowed ids and their Chinese names)."""
    if value not in (None, ""):
        if choices and value not in choices:  # a Chinese name (投诉) stands for its id; anything else the check names
            return {name: key for key, name in choices.items()}.get(value, value)
        return value
    if not interactive:
        raise click.UsageError(f"缺少{label}（--no-input 时必须用选项给出）")
    if choices:
        click.echo(f"{label}可选：" + "；".join(f"{k} {v}" for k, v in choices.items()))
        return click.prompt(label, type=click.Choice(list(choices)), show_choices=False)
    return click.prompt(label)


@click.group("new")
def new() -> None:
    """新建记录：诉求（case）或实事（matter）。"""


@new.command("case")
@click.option("--title", help="标题（简短概括诉求，公开显示）。")
@click.option("--content", help="诉求内容（经整理、不含个人信息）。")
@click.option("--content-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="从文件读取诉求内容。")
@click.option("--channel", help="受理渠道：编号或名称（见 records/settings.yaml）。")
@click.option("--type", "case_type", help="诉求类型：编号或名称（见 records/settings.yaml），如 complaint 或 投诉。")
@click.option("--category", help="问题类别：编号或名称（见 records/settings.yaml）。")
@click.option("--region", help="属地：问题所在镇街或村（社区）的单位编号。")
@click.option("--unit", help="立即交办的承办单位编号（单位经办人新建本单位受理的诉求时必填）。")
@click.option("--level", type=LEVEL, help=f"办理层级：{LEVEL.choices_text()}。")
@click.option("--petitioner", help="反映人（只能是遮盖后的姓名，如 张**）。")
@click.option("--restricted", type=RESTRICTED, help=f"不公开（只计入统计）及其理由：{RESTRICTED.choices_text()}。")
@click.option("--co-unit", "co_units", multiple=True, help="协办单位编号，可重复。")
@click.option("--related", multiple=True, help="相关诉求编号，可重复。")
@click.option("--duplicate-of", help="本件重复反映的诉求编号。")
@click.option("--date", "received", type=DATE, default=None, help="受理日期，默认今天。")
@click.option("--note", help="受理备注（公开）。")
@click.option("--no-input", is_flag=True, help="不提问：缺少必填项时直接报错。")
@as_of_option("检查时以哪一天为“今天”（YYYY-MM-DD），默认今天。")
@dry_run_option
def new_case(title, content, content_file, channel, case_type, category, region, unit, level, petitioner, restricted,
             co_units, related, duplicate_of, received, note, no_input, as_of, dry_run) -> None:
    """新建一件诉求：分配不会与他人冲突的编号，写入 records/cases/年/月/，含受理事件（可同时交办）。"""
    from .common import StaffError
    from .scaffold import NewCase, new_case as run, read_settings

    root = _records()
    try:
        settings = read_settings(root)
        if content_file:
            content = content_file.read_text(encoding="utf-8")
        interactive = not no_input
        asked = interactive and any(v in (None, "") for v in (title, content, channel, case_type, category, region))
        title = _ask("标题", title, interactive=interactive)
        content = _ask("诉求内容", content, interactive=interactive)
        channel = _ask("受理渠道", channel, {c.id: c.name for c in settings.channels.values()}, interactive)
        case_type = _ask("诉求类型", case_type, {t.id: t.name for t in settings.case_types.values()}, interactive)
        category = _ask("问题类别", category, {c.id: c.name for c in settings.categories.values()}, interactive)
        region = _ask("属地（问题所在镇街或村、社区的单位编号）", region, None, interactive)
        if asked and not unit:
            unit = click.prompt("立即交办给哪个单位（单位编号，直接回车表示暂不交办）", default="", show_default=False) or None
        case = NewCase(title=title, content=content, channel=channel, type=case_type, category=category, region=region,
                       received=received or date.today(), unit=unit, level=level, petitioner=petitioner,
                       visibility="restricted" if restricted else "public", restricted_reason=restricted,
                       co_units=list(co_units), related=list(related), duplicate_of=duplicate_of, note=note)
        written = run(root, case, as_of=as_of, cache_dir=current_project().cache, dry_run=dry_run)
    except StaffError as exc:
        _fail(exc)
    except click.Abort:
        _fail(StaffError("已取消，未写入任何文件"))
    click.echo(written.text if dry_run else f"{written.summary}\n文件：{written.path}")


@new.command("matter")
@click.option("--batch", required=True, help="批次编号，如 SS2026-1。")
@click.option("--number", type=click.IntRange(1, 999), help="序号，默认该批次下一个。")
@click.option("--title", required=True, help="实事名称。")
@click.option("--description", required=True, help="内容：要办成什么、惠及谁。")
@click.option("--category", required=True, help="问题类别编号。")
@click.option("--unit", required=True, help="责任单位编号。")
@click.option("--co-unit", "co_units", multiple=True, help="配合单位编号，可重复。")
@click.option("--responsible-name", required=True, help="具体责任人姓名（公职人员，公开）。")
@click.option("--responsible-post", required=True, help="具体责任人职务。")
@click.option("--deadline", required=True, type=DATE, help="承诺完成日期。")
@click.option("--source-case", "source_cases", multiple=True, help="来源诉求编号，可重复。")
@as_of_option("检查时以哪一天为“今天”（YYYY-MM-DD），默认今天。")
@dry_run_option
def new_matter(batch, number, title, description, category, unit, co_units, responsible_name, responsible_post,
               deadline, source_cases, as_of, dry_run) -> None:
    """新建一项实事：写入 records/matters/批次/，编号为 批次-序号。"""
    from .common import StaffError
    from .scaffold import NewMatter, new_matter as run

    root = _records()
    matter = NewMatter(batch=batch, number=number, title=title, description=description, category=category, unit=unit,
                       co_units=list(co_units), responsible_name=responsible_name, responsible_post=responsible_post,
                       deadline=deadline, source_cases=list(source_cases))
    try:
        written = run(root, matter, as_of=as_of, cache_dir=current_project().cache, dry_run=dry_run)
    except StaffError as exc:
        _fail(exc)
    click.echo(written.text if dry_run else f"{written.summary}\n文件：{written.path}")


@click.command("event", help=(
    "在诉求上登记一个事件，保留原文件的注释和排版：huiyin event 诉求编号 事件类型 [选项]。\n\n"
    f"事件类型可写编号或中文名称：{EVENT_TYPE.choices_text()}。"
    "例如 huiyin event QH20261116-84G7Z 答复 --text-file 答复.md。"))
@click.argument("case_id", metavar="诉求编号")
@click.argument("event_type", metavar="事件类型", type=EVENT_TYPE)
@click.option("--date", "day", type=DATE, default=None, help="事件日期，默认今天。")
@click.option("--unit", help="交办：承办单位；转办：新承办单位；答复：答复单位（默认当前承办单位）。填单位编号。")
@click.option("--level", type=LEVEL, help=f"交办：办理层级，{LEVEL.choices_text()}。")
@click.option("--reason", help="转办：转办理由；延期：延期理由。")
@click.option("--notice-no", help="督办：督办通知书编号。")
@click.option("--deadline", type=DATE, help="督办：督办时限。")
@click.option("--topic", help="集中会商：会商议题。")
@click.option("--new-deadline", type=DATE, help="延期：延期后的时限。")
@click.option("--approved-by", help="延期：批准延期的单位编号（不能是承办单位自己）。")
@click.option("--document-no", help="延期：批准延期的文件文号。")
@click.option("--text", help="答复：答复内容（可用 Markdown）。")
@click.option("--text-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="答复：从 Markdown 文件读取答复。")
@click.option("--result", type=RESULT, help=f"回访评价：评价结果，{RESULT.choices_text()}。")
@click.option("--comment", help="回访评价：群众意见（不含个人信息）。")
@click.option("--method", type=METHOD, help=f"回访评价：回访方式，{METHOD.choices_text()}。")
@click.option("--note", help="备注（公开）。")
@click.option("--correction", help="更正原因：事件日期落在已发布通报的月份内（补录）时必填，记入 corrections 并公开。")
@as_of_option("检查时以哪一天为“今天”（YYYY-MM-DD），默认今天。")
@dry_run_option
def event(case_id, event_type, day, unit, level, reason, notice_no, deadline, topic, new_deadline, approved_by,
          document_no, text, text_file, result, comment, method, note, correction, as_of, dry_run) -> None:
    from .common import StaffError
    from .events import add_event

    root = _records()
    if text and text_file:
        raise click.UsageError("--text 和 --text-file 只能选一个")
    if text_file:
        text = text_file.read_text(encoding="utf-8")
    fields = {"unit": unit, "level": level, "reason": reason, "notice_no": notice_no, "deadline": deadline,
              "topic": topic, "new_deadline": new_deadline, "approved_by": approved_by, "document_no": document_no,
              "text": text, "result": result, "comment": comment, "method": method}
    try:
        written = add_event(root, case_id, event_type, fields, day=day or date.today(), as_of=as_of,
                            note=note, correction=correction, cache_dir=current_project().cache, dry_run=dry_run)
    except StaffError as exc:
        _fail(exc)
    click.echo(written.text if dry_run else written.summary)


@click.command("redact")
@click.argument("paths", nargs=-1, required=True, metavar="路径…", type=click.Path(exists=True, path_type=Path))
@as_of_option("检查时以哪一天为“今天”（YYYY-MM-DD），默认今天。")
@dry_run_option
def redact(paths, as_of, dry_run) -> None:
    """删除记录中的个人信息（手机号码、身份证号等换成“[已删除…]”，姓名遮盖为 张**），保留注释和排版。"""
    from .common import StaffError
    from .redact import redact_paths

    try:
        result = redact_paths(list(paths), as_of=as_of, cache_dir=current_project().cache, dry_run=dry_run)
    except StaffError as exc:
        _fail(exc)
    for r in result.redactions:
        where = r.file + (f":{r.line}" if r.line else "")
        click.echo(f"{where} [{r.field}] {r.label} {r.shown} → {r.replacement}")
    files = len({r.file for r in result.redactions})
    verb = "将遮盖" if dry_run else "已遮盖"
    click.echo(f"{verb} {len(result.redactions)} 处个人信息（{files} 个文件）" if result.redactions else "没有发现需要遮盖的个人信息")
    if result.leftovers.issues:
        click.echo(report_format.human(result.leftovers), err=True)
        sys.exit(1)


class _RefFailure(click.ClickException):
    exit_code = 2


@click.command("check-change")
@click.option("--base", required=True, help="目标分支（合并到哪里），如 origin/main。")
@click.option("--head", default="HEAD", show_default=True, help="要检查的版本。")
@click.option("--actor", help="提交者在代码托管平台上的账号；CI 中必须给出（合并请求的作者）。")
@click.option("--actor-from", type=click.Choice(["gitlab"]),
              help="gitlab：向 GitLab 查询本合并请求的作者（GitLab 的预定义变量中没有作者），代替 --actor。")
@click.option("--format", "fmt", type=click.Choice(sorted(report_format.FORMATS)), default="human", help="输出格式。")
def check_change(base, head, actor, actor_from, fmt) -> None:
    """检查一次修改是否符合办理职责（records/rules.yaml）：谁可以登记什么、更正须写明原因、记录不得删除、通报不得改动。"""
    from .gitrefs import RefError
    from .hostactor import gitlab_merge_request_author
    from .permissions import check_change as run

    if actor and actor_from:
        raise click.UsageError("--actor 和 --actor-from 只能选一个")
    try:
        if actor_from == "gitlab":
            actor = gitlab_merge_request_author()
        result = run(current_project().root, base, head, actor)
    except RefError as exc:
        raise _RefFailure(str(exc)) from None
    if fmt == "human":
        role = result.rules.role_title(result.actor.role) if result.rules and result.actor else ""
        who = f"{result.actor.handle}（{role}）" if result.actor else (actor or "未知")
        click.echo(f"检查 {base}…{head} 修改的 {result.files} 个文件，提交者：{who}")
    click.echo(report_format.FORMATS[fmt](result.report))
    sys.exit(0 if result.report.ok else 1)


@click.command("codeowners")
@click.option("--check", is_flag=True, help="只检查 CODEOWNERS 是否与名单一致，不一致时失败。")
def codeowners(check) -> None:
    """根据 records/staff.yaml 和 records/rules.yaml 生成 .github/CODEOWNERS 和 .gitlab/CODEOWNERS。"""
    from .codeowners import TARGETS, load_roster, load_rules_for, render, stale_targets, write_codeowners
    from .common import StaffError

    project = current_project().root
    try:
        text = render(load_roster(project / "records"), load_rules_for(project / "records"))
    except StaffError as exc:
        _fail(exc)
    if check:
        stale = stale_targets(project, text)
        if stale:
            click.echo(f"✗ {'、'.join(stale)} 与 records/staff.yaml、records/rules.yaml 不一致，请运行 huiyin codeowners 重新生成",
                       err=True)
            sys.exit(1)
        click.echo(f"✓ {'、'.join(TARGETS)} 与工作人员名单、办理职责规则一致")
        return
    changed = write_codeowners(project, text)
    click.echo(f"已更新 {'、'.join(changed)}" if changed else "CODEOWNERS 已是最新，未改动")


COMMANDS = (new, event, redact, check_change, codeowners)
