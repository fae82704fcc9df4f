"""The staff commands: new case|matter, event, redact, check-change, codeowners (registered in generator/cli.py)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from .. import report_format

CACHE_DIR = Path(".huiyin-cache")
# Kept literal so `huiyin --help` reads no schema; tests/test_staff_cli.py checks them against schemas/case.schema.json.
EVENT_TYPES = ("assigned", "transferred", "supervised", "meeting", "extended", "replied", "closed", "evaluated")
LEVELS = ("first-contact", "unit-coordination", "supervised", "joint-meeting")
RESULTS = ("satisfied", "basically-satisfied", "unsatisfied")
METHODS = ("phone", "sms", "visit", "online")


class DateType(click.ParamType):
    """YYYY-MM-DD, with a Chinese message."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"日期格式应为 YYYY-MM-DD，如 2026-03-02：{value}", param, ctx)


DATE = DateType()
records_option = click.option("--records", "records_dir", type=click.Path(file_okay=False, path_type=Path),
                              default=Path("records"), show_default=True, help="记录目录。")
as_of_option = click.option("--as-of", "as_of", type=DATE, default=None,
                            help="检查时以哪一天为“今天”（YYYY-MM-DD），默认今天。")
dry_run_option = click.option("--dry-run", is_flag=True, help="只检查并显示结果，不写入文件。")


def _fail(exc: Exception) -> NoReturn:
    """Print a refusal (and its report) and exit 1: nothing was written."""
    report = getattr(exc, "report", None)
    if report is not None and report.issues:
        click.echo(report_format.human(report), err=True)
    click.echo(f"✗ {exc}", err=True)
    sys.exit(1)


def _records(records_dir: Path) -> Path:
    from .common import StaffError, records_root

    try:
        return records_root(records_dir)
    except StaffError as exc:
        _fail(exc)


def _project(path: Path) -> Path:
    """The project folder: the nearest folder (path or above) with records/settings.yaml, else path itself."""
    path = path.resolve()
    return next((p for p in (path, *path.parents) if (p / "records" / "settings.yaml").is_file()), path)


def _ask(label: str, value: Any, choices: dict[str, str] | None = None, interactive: bool = True) -> Any:
    """The given value, or one asked for (with the allowed ids and their Chinese names)."""
    if value not in (None, ""):
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
@click.option("--channel", help="受理渠道编号（见 records/settings.yaml）。")
@click.option("--type", "case_type",
              help="诉求类型编号：consultation 咨询、complaint 投诉、suggestion 建议、help 求助、report 举报、criticism 批评。")
@click.option("--category", help="问题类别编号（见 records/settings.yaml）。")
@click.option("--region", help="属地：问题所在镇街或村（社区）的单位编号。")
@click.option("--unit", help="立即交办的承办单位编号（单位经办人新建本单位受理的诉求时必填）。")
@click.option("--level", type=click.Choice(LEVELS), help="办理层级。")
@click.option("--petitioner", help="反映人（只能是遮盖后的姓名，如 张**）。")
@click.option("--restricted", type=click.Choice(["privacy", "litigation", "other"]), help="不公开（只计入统计）及其理由。")
@click.option("--co-unit", "co_units", multiple=True, help="协办单位编号，可重复。")
@click.option("--related", multiple=True, help="相关诉求编号，可重复。")
@click.option("--duplicate-of", help="本件重复反映的诉求编号。")
@click.option("--date", "received", type=DATE, default=None, help="受理日期，默认今天。")
@click.option("--note", help="受理备注（公开）。")
@click.option("--no-input", is_flag=True, help="不提问：缺少必填项时直接报错。")
@records_option
@as_of_option
@dry_run_option
def new_case(title, content, content_file, channel, case_type, category, region, unit, level, petitioner, restricted,
             co_units, related, duplicate_of, received, note, no_input, records_dir, as_of, dry_run) -> None:
    """新建一件诉求：分配不会与他人冲突的编号，写入 records/cases/年/月/，含受理事件（可同时交办）。"""
    from .common import StaffError
    from .scaffold import NewCase, new_case as run, read_settings

    root = _records(records_dir)
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
        written = run(root, case, as_of=as_of or date.today(), cache_dir=CACHE_DIR, dry_run=dry_run)
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
@records_option
@as_of_option
@dry_run_option
def new_matter(batch, number, title, description, category, unit, co_units, responsible_name, responsible_post,
               deadline, source_cases, records_dir, as_of, dry_run) -> None:
    """新建一项实事：写入 records/matters/批次/，编号为 批次-序号。"""
    from .common import StaffError
    from .scaffold import NewMatter, new_matter as run

    root = _records(records_dir)
    matter = NewMatter(batch=batch, number=number, title=title, description=description, category=category, unit=unit,
                       co_units=list(co_units), responsible_name=responsible_name, responsible_post=responsible_post,
                       deadline=deadline, source_cases=list(source_cases))
    try:
        written = run(root, matter, as_of=as_of or date.today(), cache_dir=CACHE_DIR, dry_run=dry_run)
    except StaffError as exc:
        _fail(exc)
    click.echo(written.text if dry_run else f"{written.summary}\n文件：{written.path}")


@click.command("event")
@click.argument("case_id")
@click.argument("event_type", metavar="TYPE", type=click.Choice(EVENT_TYPES))
@click.option("--date", "day", type=DATE, default=None, help="事件日期，默认今天。")
@click.option("--unit", help="assigned：承办单位；transferred：新承办单位；replied：答复单位（默认当前承办单位）。")
@click.option("--level", type=click.Choice(LEVELS), help="assigned：办理层级。")
@click.option("--reason", help="transferred：转办理由；extended：延期理由。")
@click.option("--notice-no", help="supervised：督办通知书编号。")
@click.option("--deadline", type=DATE, help="supervised：督办时限。")
@click.option("--topic", help="meeting：会商议题。")
@click.option("--new-deadline", type=DATE, help="extended：延期后的时限。")
@click.option("--approved-by", help="extended：批准延期的单位编号（不能是承办单位自己）。")
@click.option("--document-no", help="extended：批准延期的文件文号。")
@click.option("--text", help="replied：答复内容（可用 Markdown）。")
@click.option("--text-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="replied：从 Markdown 文件读取答复。")
@click.option("--result", type=click.Choice(RESULTS), help="evaluated：评价结果。")
@click.option("--comment", help="evaluated：群众意见（不含个人信息）。")
@click.option("--method", type=click.Choice(METHODS), help="evaluated：回访方式。")
@click.option("--note", help="备注（公开）。")
@click.option("--correction", help="更正原因：事件日期落在已发布通报的月份内（补录）时必填，记入 corrections 并公开。")
@records_option
@as_of_option
@dry_run_option
def event(case_id, event_type, day, unit, level, reason, notice_no, deadline, topic, new_deadline, approved_by,
          document_no, text, text_file, result, comment, method, note, correction, records_dir, as_of, dry_run) -> None:
    """在诉求 CASE_ID 上登记一个事件（交办、转办、督办、会商、延期、答复、办结、回访评价），保留原文件的注释和排版。"""
    from .common import StaffError
    from .events import add_event

    root = _records(records_dir)
    if text and text_file:
        raise click.UsageError("--text 和 --text-file 只能选一个")
    if text_file:
        text = text_file.read_text(encoding="utf-8")
    fields = {"unit": unit, "level": level, "reason": reason, "notice_no": notice_no, "deadline": deadline,
              "topic": topic, "new_deadline": new_deadline, "approved_by": approved_by, "document_no": document_no,
              "text": text, "result": result, "comment": comment, "method": method}
    try:
        written = add_event(root, case_id, event_type, fields, day=day or date.today(), as_of=as_of or date.today(),
                            note=note, correction=correction, cache_dir=CACHE_DIR, dry_run=dry_run)
    except StaffError as exc:
        _fail(exc)
    click.echo(written.text if dry_run else written.summary)


@click.command("redact")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@as_of_option
@dry_run_option
def redact(paths, as_of, dry_run) -> None:
    """删除记录中的个人信息（手机号码、身份证号等换成“[已删除…]”，姓名遮盖为 张**），保留注释和排版。"""
    from .common import StaffError
    from .redact import redact_paths

    try:
        result = redact_paths(list(paths), as_of=as_of or date.today(), cache_dir=CACHE_DIR, dry_run=dry_run)
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
@click.option("--project", type=click.Path(file_okay=False, exists=True, path_type=Path), default=Path("."),
              help="项目目录（含 records/），默认当前目录。")
def check_change(base, head, actor, actor_from, fmt, project) -> None:
    """检查一次修改是否符合办理职责（records/rules.yaml）：谁可以登记什么、更正须写明原因、记录不得删除、通报不得改动。"""
    from .gitrefs import RefError
    from .hostactor import gitlab_merge_request_author
    from .permissions import check_change as run

    if actor and actor_from:
        raise click.UsageError("--actor 和 --actor-from 只能选一个")
    try:
        if actor_from == "gitlab":
            actor = gitlab_merge_request_author()
        result = run(_project(project), base, head, actor)
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
@click.option("--project", type=click.Path(file_okay=False, exists=True, path_type=Path), default=Path("."),
              help="项目目录（含 records/，即版本库根目录），默认当前目录。")
def codeowners(check, project) -> None:
    """根据 records/staff.yaml 和 records/rules.yaml 生成 .github/CODEOWNERS 和 .gitlab/CODEOWNERS。"""
    from .codeowners import TARGETS, load_roster, load_rules_for, render, stale_targets, write_codeowners
    from .common import StaffError

    project = _project(project)
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
