"""The huiyin command line: one function per command; formatting and exit status live here only."""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path

import click

from . import cli_zh, report_format
from .cli_common import PROJECT_ENV, Project, as_of_option, current_project, project_from


def _records_root(path: Path) -> Path:
    """The records folder a path lies in: the nearest folder (itself or above) holding settings.yaml."""
    path = path.resolve()
    for candidate in [path, *path.parents] if path.is_dir() else list(path.parents):
        if (candidate / "settings.yaml").is_file():
            return candidate
    raise click.UsageError(f"{path} 不在记录目录中（找不到 settings.yaml）")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), envvar=PROJECT_ENV,
              help="项目目录（含 records/ 的版本库目录），对所有命令有效；也可用环境变量 HUIYIN_PROJECT 指定。"
                   "默认是当前目录或其上级中含 records/settings.yaml 的目录。")
@click.option("-v", "--verbose", is_flag=True, help="显示处理过程。")
@click.pass_context
def main(ctx: click.Context, project_dir: Path | None, verbose: bool) -> None:
    """回音：群众诉求办理公开平台。"""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
    ctx.obj = project_from(project_dir)


@main.command()
@click.argument("paths", nargs=-1, metavar="[路径]…", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(report_format.FORMATS)), default="human", help="输出格式。")
@as_of_option()
@click.option("--no-cache", is_flag=True, help="不使用解析缓存。")
def validate(paths: tuple[Path, ...], fmt: str, as_of: date, no_cache: bool) -> None:
    """检查记录：YAML 安全、字段格式、记录之间的引用、办理流程和个人信息。

    路径可以是记录目录或其中的文件；给出文件时仍检查整个目录，只报告这些文件的问题。
    """
    from .validate import validate as run_validate

    project = current_project()
    targets = paths or (project.records,)
    roots = {_records_root(p) for p in targets}
    if len(roots) != 1:
        raise click.UsageError("一次只能检查一个记录目录")
    root = roots.pop()
    result = run_validate(root, as_of=as_of, cache_dir=None if no_cache else project.cache, report_only=True)
    report = result.report
    wanted = [p.resolve().relative_to(root.parent).as_posix() for p in targets if p.resolve() != root]
    if wanted:  # report only on the given files and folders; the rules still see every record
        report.issues = [i for i in report.issues if any(i.file == w or i.file.startswith(w + "/") for w in wanted)]
    click.echo(report_format.FORMATS[fmt](report))
    sys.exit(0 if report.ok else 1)


@main.command()
@click.argument("out_dir", metavar="输出目录", type=click.Path(file_okay=False, path_type=Path))
@click.option("--cases", type=click.IntRange(min=1), default=1000, show_default=True, help="诉求件数。")
@click.option("--matters", type=click.IntRange(min=1), default=None, help="实事件数（默认按诉求件数推算）。")
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子：同一种子生成相同的记录。")
@as_of_option("生成到哪一天为止（YYYY-MM-DD），默认今天。")
def sample(out_dir: Path, cases: int, matters: int | None, seed: int, as_of: date) -> None:
    """生成一套虚构但合规的记录（用于演示、测试和性能测试）。"""
    from .sample import write_sample

    if out_dir.exists() and any(out_dir.iterdir()):
        raise click.UsageError(f"{out_dir} 不是空目录；请指定一个新目录")
    counts = write_sample(out_dir, cases=cases, seed=seed, as_of=as_of, matters=matters)
    click.echo("已生成：" + "，".join(f"{k} {v}" for k, v in counts.items()))


def _do_build(project: Project, as_of: date, site_dir: Path | None, search: bool) -> None:
    from .build import STAGE_LABELS, BuildError, build

    try:
        result = build(project.root, as_of=as_of, site_dir=site_dir, search=search, cache_dir=project.cache)
    except BuildError as exc:
        if exc.report is not None:
            click.echo(report_format.human(exc.report), err=True)
        raise click.ClickException(f"{exc}（原来的网站未改动）") from None
    timings = "，".join(f"{STAGE_LABELS.get(k, k)} {v:.1f} 秒" for k, v in result.timings.items())
    click.echo(f"已生成 {result.pages} 个页面到 {result.site_dir}，{result.changed} 个文件有变化（{timings}）")


@main.command()
@as_of_option("以哪一天为“今天”（YYYY-MM-DD），默认今天；固定它可使生成结果可复现。")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="输出目录，默认 site/。")
@click.option("--no-search", is_flag=True, help="不生成搜索索引（更快，用于预览）。")
def build(as_of: date, site_dir: Path | None, no_search: bool) -> None:
    """检查记录并生成公开网站（site/）。有错误时不生成，原网站不变。"""
    _do_build(current_project(), as_of, site_dir, not no_search)


@main.command()
@as_of_option()
@click.option("--port", type=int, default=8000, show_default=True, help="端口。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
def serve(as_of: date, port: int, host: str) -> None:
    """生成网站并在本机预览：保存的诉求记录立即显示在它的页面上，列表、统计和搜索随后更新；模板或配置改动后整站重新生成。"""
    from .serve import serve_forever

    project = current_project()
    serve_forever(project.root, as_of=as_of, cache_dir=project.cache, host=host, port=port)


@main.command()
@click.argument("dest", metavar="目标")
@click.option("--with", "tool", type=click.Choice(["rsync", "rclone"]), default="rsync", show_default=True,
              help="用哪个工具发布：rsync（网站服务器的目录，本机或 用户@主机:/路径）或 rclone（对象存储，"
                   "如 oss:桶/路径，在 rclone config 中配置）。")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="网站目录，默认 site/。")
@click.option("--full", is_flag=True, help="不信任已发布的清单，逐个文件比较后同步（首次发布到已有文件的位置时用）。")
@click.option("--dry-run", is_flag=True, help="只列出要上传和删除的文件数，不发布。")
def publish(dest: str, tool: str, site_dir: Path | None, full: bool, dry_run: bool) -> None:
    """把生成好的网站发布到网站服务器目录或对象存储，只上传有变化的文件。

    按网站的 manifest.json（每个文件的 MD5）与目标处上次发布的清单比较：上传新的和改变的文件，删除不再有的文件，
    最后上传新清单。详见 docs/publishing.md。
    """
    from .publish import PublishError, publish as run_publish, target

    site = site_dir or current_project().root / "site"
    try:
        done = run_publish(site, target(dest, tool), full=full, dry_run=dry_run)
    except PublishError as exc:
        raise click.ClickException(str(exc)) from None
    where = f"{dest}（{tool}）"
    commit = f"，提交 {done.commit[:12]}" if done.commit else ""
    if dry_run:
        click.echo(f"试运行，未发布：发布到 {where} 需{done.summary()}{commit}")
    elif full:
        click.echo(f"已完整同步到 {where}{commit}")
    else:
        click.echo(f"已发布到 {where}：{done.summary()}{commit}")


from .staff.cli import check_change, codeowners, event, new, redact  # noqa: E402  (staff editing, issue #7)

main.add_command(new)
main.add_command(event)
main.add_command(redact)
main.add_command(check_change)
main.add_command(codeowners)

from .staff.matter_cli import matter  # noqa: E402  (practical matters' progress, issue #21)

main.add_command(matter)

from .opendata.cli import report  # noqa: E402  (open data, issue #6)

main.add_command(report)

from .bulletin.cli import bulletin  # noqa: E402  (monthly bulletins, issue #5)

main.add_command(bulletin)

from .periodic.cli import periodic  # noqa: E402  (weekly and annual reports, issue #22)

main.add_command(periodic)

cli_zh.localise(main)

if __name__ == "__main__":
    main()
