"""Personal data written in words: a named speaker or petitioner (来电人王建华) and exact house addresses (东岭村12号).

A full name is looked for only where the text says whose it is: a context word for a member of the public (来电人,
反映人, 村民, 市民 …, or 姓名), then a surname from the list below and one or two given-name characters that end
the name (a sign, a space, the end, or a word such as 反映、称、来电 …). Masked and polite forms (王某、王某某、王**、
王先生、王女士、王师傅) are not names. Officials named by their post (经办人、负责人、责任人) are public by design and
have no context word here. A house address is a number after a village, group or lane (东岭村12号) or a building,
unit and room (3号楼2单元501), or a street number where someone lives (家住人民路18号); document numbers (〔2024〕1号), lines (3号线) and floors are not.
Both run on the folded text of pii.find_pii (ASCII digits), so offsets are offsets in the original.
"""

from __future__ import annotations

import re
from typing import Iterator

# The most common Chinese surnames (about 96% of the population), then compound surnames.
SINGLE_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安"
    "齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游"
    "辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟"
    "应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = ("欧阳 司马 上官 诸葛 东方 皇甫 令狐 慕容 司徒 夏侯 尉迟 长孙 宇文 轩辕 端木 公孙 南宫 西门 独孤 呼延 "
                     "申屠 万俟 闻人 澹台 公冶 宗政 濮阳 太史 仲孙 钟离 赫连 单于").split()
# Who a context word speaks of: members of the public, whose names are personal data.
CONTEXT = ("来电人 来电群众 来电市民 来电者 反映人 投诉人 举报人 求助人 咨询人 来信人 来访人 当事人 申请人 诉求人 留言人 建议人 "
           "村民 市民 居民 业主 网民 住户 户主 家属 租户 商户 患者 学生家长 家长 老人 姓名").split()
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# What may follow a name: a verb or particle that starts the next words.
_AFTER = ("反映 来电 来信 来访 称 说 表示 诉称 投诉 举报 咨询 求助 建议 询问 要求 希望 认为 家 等 的 于 在 向 因 对 "
          "与 和 及 夫妇 一家 家中 户 同志 本人 老人 父亲 母亲 之子 之女 所 一 今 近 多 年 反應 电话 手机 联系 住 到 从 "
          "报称 提出 提到 讲 问 想 也 都 已 曾 又 再 并 称其 自 就 被 把 让 给 诉 申请 拨打 致电 通过 系").split()
# Given-name characters that show the name is masked or a form of address, not a name.
_NOT_A_NAME = frozenset("某*＊×xX")
# Characters given names practically never have, and that follow a context word often: 居民向社区反映, 村民们.
_NOT_GIVEN = frozenset("区村镇乡县市省局委办部厅所站院司处科队社街楼们等里及和与也都说反映的了在是有没不这那些已曾被把让给对")
_TITLES = ("先生 女士 师傅 阿姨 大爷 大妈 大娘 大叔 大哥 大姐 老师 同学 老人 奶奶 爷爷 婆婆 阿婆 老伯 小姐 总 姐 哥 叔 "
           "伯 婶 嫂 某").split()

_CONTEXT = re.compile("|".join(CONTEXT))  # literals: the regex engine skips to their first characters fast
_NAME = re.compile(
    r"(?:[:：是为叫名]|\s)*"
    "(?P<name>(?:" + "|".join(COMPOUND_SURNAMES) + f")[{_HAN}]{{1,2}}|[{SINGLE_SURNAMES}][{_HAN}]{{1,2}})"
)
_ADDRESS_HINT = re.compile(r"[0-9](?:号|单元|栋|幢|座)")  # digits first: a fast scan, and most texts have none
_ADDRESS = re.compile(
    r"(?<=[村屯组庄巷弄里坊])(?P<no>\d{1,4})号(?![楼线院文令])"
    r"|(?<!\d)(?P<bld>\d{1,3})(?:号楼|栋|幢|座)(?:(?P<unit>\d{1,2})单元)?(?P<room>\d{3,4})(?:室|号|房)?"
    r"|(?<!\d)(?P<bld2>\d{1,3})(?:号楼|栋|幢|座)(?P<unit2>\d{1,2})单元"
    r"|(?<!\d)(?P<unit3>\d{1,2})单元(?P<room3>\d{3,4})(?:室|号|房)?"
    r"|(?<=[路街道巷弄])(?P<home>\d{1,4})号(?![楼线院文令])"
)
_HOME = re.compile(r"(?:家住|住在|住址|居住在|家庭住址)[^，。,;；\s]{0,12}$")  # before a street number: someone lives there


# Words that follow 村民、居民、业主 … and start like a surname: not names.
_WORDS = frozenset(("安置 安全 安全感 安居 代表 文化 文明 生活 公约 委员 会议 议事 服务 活动 健康 医保 养老 收入 出行 用水 用电 饮水 "
                    "满意 满意度 诉求 来电 反映 群众 住房 房屋 车辆 权益 利益 意见 需求 小组 自治 宗教 温饱 康养 宣传 金融 贷款 "
                    "保险 卫生 方便 时间 高龄 林地 和谐 马路 钱款 程序 程度 周边 周围 江边 石头 田地 田间 项目 全体 全部 全家 "
                    "家中 家门口 多次 多人 多年 多户 常年 常住 楼道 楼下 楼上 游客 于是 应当 应该 党员 宁静 谷物 车位 车库 "
                    "包括 关心 关于 关系 焦虑 向往 成员 白天 黄昏 黎明 夏天 冬天 秋天 春天 孔道 牛羊 曲目 华人").split())


def _name_end(text: str, start: int, end: int) -> bool:
    """The name may stop at end: the text ends, or a non-Han character or a following word starts there."""
    if end >= len(text) or not re.match(f"[{_HAN}]", text[end]):
        return True
    return text.startswith(tuple(_AFTER), end)


def find_names(norm: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, masked) of each full name after a context word in norm."""
    for context in _CONTEXT.finditer(norm):
        m = _NAME.match(norm, context.end())
        if m is None:
            continue
        start = m.start("name")
        name = m.group("name")
        surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]
        given_max = len(name) - len(surname)
        for given in range(given_max, 0, -1):  # 王建华 before 王建
            end = start + len(surname) + given
            rest = norm[start + len(surname):end]
            if any(c in _NOT_A_NAME for c in rest) or norm.startswith(tuple(_TITLES), start + len(surname)):
                break
            if any(c in _NOT_GIVEN for c in rest):
                continue
            if norm[start:end] in _WORDS or norm[start:start + 2] in _WORDS:
                break
            if _name_end(norm, start, end):
                yield start, end, surname + "**"
                break


def find_addresses(norm: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, masked) of each house number, building/unit/room in norm."""
    first = _ADDRESS_HINT.search(norm)
    if first is None:
        return
    for m in _ADDRESS.finditer(norm, max(0, first.start() - 4)):
        if m.group("home") and not _HOME.search(norm, max(0, m.start() - 16), m.start()):
            continue  # a street number not said to be someone's home (人民路1号 县政府)
        number = m.group("no") or m.group("home")
        if number:  # the village, lane or street stays, its house number goes
            yield m.start("no" if m.group("no") else "home"), m.end(), "*" * len(number) + "号"
        else:
            yield m.start(), m.end(), re.sub(r"\d", "*", m.group())
