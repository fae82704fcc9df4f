"""What every command shares: the project folder, one date parser and --as-of, choices that accept Chinese names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click

from . import cli_zh

cli_zh.install()  # before any command is declared: click names some types (文件, 目录) when they are made
PROJECT_ENV = "HUIYIN_PROJECT"


@dataclass(frozen=True)
class Project:
    """The project folder every command works in: records/, the cache, site/."""

    root: Path

    @property
    def records(self) -> Path:
        return self.root / "records"

    @property
    def cache(self) -> Path:
        return self.root / ".huiyin-cache"


def find_project(start: Path) -> Path:
    """The nearest folder (start or above) with records/settings.yaml; start itself when there is none."""
    start = start.resolve()
    return next((p for p in (start, *start.parents) if (p / "records" / "settings.yaml").is_file()), start)


def project_from(value: Path | None) -> Project:
    """The project given by -C/--project (or HUIYIN_PROJECT), else found from the current folder."""
    if value is None:
        return Project(find_project(Path.cwd()))
    if not value.is_dir():
        raise click.BadParameter(f"找不到项目目录 {value}", param_hint="-C/--project")
    return Project(value.resolve())


def current_project() -> Project:
    """The project of the command being run (set by the main group)."""
    ctx = click.get_current_context()
    obj = ctx.find_object(Project)
    return obj if obj is not None else project_from(None)


class DateType(click.ParamType):
    """YYYY-MM-DD, with a Chinese message: the one date parser of the command line."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"日期格式应为 YYYY-MM-DD：{value}（应如 2026-03-02）", param, ctx)


DATE = DateType()


def as_of_option(help: str = "以哪一天为“今天”（YYYY-MM-DD），默认今天。"):
    """--as-of, parsed once for every command into a date (today when not given)."""
    return click.option("--as-of", "as_of", type=DATE, default=date.today, show_default=False, help=help)


class LabelledChoice(click.ParamType):
    """One of a fixed set of values, given by its id (replied) or its Chinese name (答复); yields the id."""

    def __init__(self, labels: dict[str, str], what: str):
        self.labels = dict(labels)
        self.what = what
        self.name = what
        self._by_name = {v: k for k, v in labels.items()}

    def get_metavar(self, param: Any, ctx: Any = None) -> str:  # click ≥ 8.2 passes ctx
        return f"{{{'|'.join(self.labels)}}}"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        text = str(value).strip()
        if text in self.labels:
            return text
        if text in self._by_name:
            return self._by_name[text]
        folded = {k.casefold(): k for k in self.labels}
        if text.casefold() in folded:
            return folded[text.casefold()]
        self.fail(f"没有这种{self.what}：{text}；可选：{self.choices_text()}", param, ctx)

    def choices_text(self) -> str:
        """"assigned 交办、replied 答复 …" for help texts and errors."""
        return "、".join(f"{k} {v}" if v != k else k for k, v in self.labels.items())

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> list:
        from click.shell_completion import CompletionItem

        return [CompletionItem(k, help=v) for k, v in self.labels.items() if k.startswith(incomplete)]
