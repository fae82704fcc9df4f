"""click's own words in Chinese: usage lines, errors, "Try … for help", the help option, type names.

click looks every message up through gettext as it prints it; install() points those look-ups (in the
modules that print) at this catalogue. A message click adds in a later release shows in English until it
is added here; tests/test_cli_zh.py runs the common paths and fails on any English word.
"""

from __future__ import annotations

import importlib

import click

MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本说明并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看说明。",
    "Aborted!": "已取消。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有命令 {name}。",
    "Invalid value: {message}": "取值不对：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值不对：{message}",
    "Option {name!r} does not take a value.": "选项 {name} 不带取值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项开头的字符不对（{option}）",
    "Value must be an iterable.": "取值应为列表。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value} is not in the range {range}.": "{value} 不在允许范围 {range} 内。",
    "{value!r} is not a valid {number_type}.": "{value} 不是{number_type}。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value} 不是是/否值，可用：{states}",
    "{value!r} is not a valid UUID.": "{value} 不是有效的 UUID。",
    "{name} {filename!r} does not exist.": "{name} {filename} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename} 是文件，应为目录。",
    "{name} {filename!r} is a directory.": "{name} {filename} 是目录，应为文件。",
    "{name} {filename!r} is not readable.": "{name} {filename} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename} 无法写入。",
    "{name} {filename!r} is not executable.": "{name} {filename} 不能执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename}：{message}",
    "unknown error": "未知错误",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "deprecated": "已停用",
    "Repeat for confirmation": "再输入一次确认",
    "Error: The two entered values do not match.": "错误：两次输入的不一致。",
    "Error: invalid input": "错误：输入不对",
    "Press any key to continue...": "按任意键继续……",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不提问，直接确认。",
}
PLURALS = {
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name} 需要一个取值。",
    "{value!r} is not {choice}.": "{value} 不是可选值；可选：{choice}。",
    "Did you mean {possibility}?": "是不是 {possibility}？",
    "{value!r} does not match the format {format}.": "{value} 不符合格式 {format}。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，给了 {len_value} 个。",
}
PLURALS_MANY = {
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 需要 {nargs} 个取值。",
    "{value!r} is not one of {choices}.": "{value} 不是可选值；可选：{choices}。",
    "(Did you mean one of: {possibilities}?)": "（是不是其中之一：{possibilities}？）",
    "{value!r} does not match the formats {formats}.": "{value} 不符合以下任何格式：{formats}。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，给了 {len_value} 个。",
}
# Type names click shows as metavars (TEXT, INTEGER …) and in "is not a valid …".
TYPE_NAMES = {click.STRING: "文字", click.INT: "整数", click.FLOAT: "数字", click.BOOL: "是或否"}
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular) if n == 1 else PLURALS_MANY.get(plural, plural)


def install() -> None:
    """Make click speak Chinese in this process (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    for param_type, name in TYPE_NAMES.items():
        param_type.name = name
    click.types.IntRange.name = "整数"
    click.types.FloatRange.name = "数字"
    click.core.Argument.param_type_name = "参数"
    click.core.Option.param_type_name = "选项"


def localise(command: click.Command) -> None:
    """Chinese usage lines for a command and everything under it: 用法：huiyin event [选项] …"""
    command.options_metavar = "[选项]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "命令 [参数]…"
        for sub in command.commands.values():
            localise(sub)
