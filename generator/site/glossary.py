"""名词解释: the site's terms, each explained once; pages link to them with m.term("办结销号").

A term's link carries no explanation of its own (a case page links four or five terms, about 750 bytes of
explanations, written 100,000 times): the glossary's script (assets/terms.js, cached once) gives every term
link its explanation as a tooltip before the theme turns titles into tooltips."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    name: str  # also the anchor on the glossary page: about/glossary/#办结销号
    explanation: str
    source: str = ""  # where the term comes from (a seed document, a regulation)


TERMS: tuple[Term, ...] = (
    Term("受理", "平台收到群众诉求并登记编号的那一步；从受理日起计算答复和办结时限。"),
    Term("交办", "把诉求交给负责办理的单位（承办单位）。交办、转办、督办、会商和回访评价由热线受理交办机构、群工办等调度方登记，不由承办单位自己登记。"),
    Term("转办", "诉求不属于原单位职责时，转交另一个单位办理，并写明理由。"),
    Term("承办单位", "负责办理诉求、以自己名义答复的单位；页面和统计按统计日的承办单位归属。"),
    Term("协办单位", "配合承办单位办理的单位，不单独计入统计。"),
    Term("办理层级", "诉求办理的四个层级：首联负责、单位协办、转交督办、集中会商，逐级提高。"),
    Term("首联负责", "第一个接到诉求的单位或干部负责到底，能当场解决的当场解决。"),
    Term("单位协办", "首联单位解决不了时，由相关单位协同办理。"),
    Term("转交督办", "单位协办仍解决不了，或超过时限未办结的，转交督办机构，下发督办通知书限期办结。"),
    Term("督办通知书", "督办机构下发的通知，写明文号和限期。下发后以督办限期为准判断是否超期，原答复、办结时限是否按期照实显示。"),
    Term("集中会商", "多个单位、多方共同研究解决疑难诉求的会议。"),
    Term("工作日", "除周末和法定节假日以外的日子；调休上班的周末算工作日。时限按国务院每年公布的放假安排计算，没有公布安排的年份不作推算。"),
    Term("调休", "因法定节假日调整而在周末上班（或平日放假）的安排，例如 2026 年 10 月 10 日（星期六）上班。"),
    Term("答复时限", "受理后应作出首次答复的日期，按诉求类型的工作日数计算（有的渠道另有规定，如有奖批评会 15 天内答复）；时限届满前批准的延期计入。"),
    Term("办结时限", "受理后应办结的日期，按诉求类型的工作日数计算；时限届满前批准的延期计入。"),
    Term("延期", "承办单位确需更多时间时，在时限届满前申请并经批准延长时限，须写明理由和新的时限；已超期的不能再延期。"),
    Term("答复", "承办单位对群众的正式书面回复，在诉求页面公开。"),
    Term("办结销号", "诉求办理完毕、在台账上注销（销号）。整改不满意不得销号：群众不满意时须重新办理。"),
    Term("回访评价", "办结后由调度方（不是承办单位）询问群众是否满意：满意、基本满意或不满意。"),
    Term("重办", "群众评价不满意后退回承办单位重新办理，重新计算答复和办结时限。"),
    Term("超期", "过了时限还没有答复或办结。超期完成：过了时限才完成；超期未办：到统计日仍未完成。"),
    Term("当前超期", "到统计日仍超过时限未答复或未办结的诉求件数，不论何时受理。"),
    Term("件", "统计单位：一件诉求计一次，不论它经过几次答复或评价。"),
    Term("件次", "统计单位：按发生的次数计，一件诉求重办后再评价，计两次评价。"),
    Term("依规不公开", "涉及个人隐私或涉法涉诉的诉求，只计入各项统计的件数，不公开内容和页面。"),
    Term("属地", "诉求发生地所在的镇街、村或社区。"),
    Term("重复反映", "同一问题再次反映的诉求，与原诉求相关联；反映集中的问题提交协调会研究。"),
    Term("点名通报", "月度通报中逐件列出月末仍超期未办的公开诉求的编号、标题和承办单位。"),
    Term("月度通报", "每月初按上月末的记录计算并公布的通报，发布后不再修改；更正另发更正版本并说明原因。"),
    Term("统计口径", "每个数字怎样计算：数什么、分母是什么、按哪一天归入哪个月。见“统计口径”页面。"),
    Term("比较组", "只在同类单位之间比较排名：镇街、县直部门、公共服务企业、村（社区）各自排名。"),
    Term("件数少", "比率的分母少于设置中的最少件数（本平台为 {min_cases} 件）：照常显示，但不参与排名，图中画成空心点。"),
    Term("95%区间", "按威尔逊方法计算的区间：件数越少，区间越宽，说明这个比率越可能只是偶然。"),
    Term("月份进行中", "统计的月份还没有结束，许多诉求尚未到期，比率还会变化。"),
    Term("有奖批评", "营山县城南镇每半年组织的群众批评会：批评意见要求责任人 15 天内回复，一个月后回访评价，整改不满意不得销号。", "种子材料 002"),
    Term("为民办实事", "政府从群众反映集中的问题中选出、以文件分批公布的承诺事项（百件实事），每件明确责任单位、办理时限和具体责任人。"),
    Term("原定时限", "为民办实事在批次文件中公布的完成日期。按期指在原定时限内完成；批准延期后完成的计为延期后完成，不算按期。"),
    Term("延期后完成", "超过原定时限、在批准延期后的时限内完成的为民办实事。"),
    Term("未按时报送进展", "尚未完成的为民办实事超过规定间隔（本平台为 {report_days} 天）没有报送进展。"),
    Term("回头看", "走访前先看过去反映过的问题，特别是同一地方集中反映的问题，按已解决（已办结）、正在解决（未办结、在时限内）、"
         "未解决（未办结、已超过时限）分门别类理清，向群众解释清楚。", "种子材料 004"),
    Term("热点问题", "同一属地、同一类别、相隔不超过 {hot_window} 天反复反映的问题（另加注明重复反映的诉求），达到 {hot_min} 件的；"
         "应及时召集责任单位召开协调会，分析原因，制定措施，明确时限。", "种子材料 001"),
    Term("每月一题", "每个月群众反映最集中的一个热点问题：按当月受理的件数排在第一的热点问题。", "种子材料 002"),
    Term("协调会", "针对重复投诉和热点问题，召集责任单位分析原因、制定措施、明确时限的会议。", "种子材料 001"),
    Term("联席会议", "群众反映强烈、镇街和部门难以自行解决的重大综合事项，由群工办梳理后提交联席会议集中会商解决。", "种子材料 001"),
    Term("领导公开接访", "县级领导按事先公布的安排到群众服务中心接待来访群众，每个工作日至少一位领导，每位领导每月至少一次。", "种子材料 000"),
    Term("接访纪要", "接访领导对来访群众反映问题的处理意见形成的纪要，由信访局交相关部门限期办理并跟踪督办，办理情况报告接访领导。",
         "种子材料 000"),
    Term("包案", "涉法涉诉等信访积案由一位县级领导包案，负责协调相关单位解决；涉法涉诉的诉求依规不公开，只计件数。", "种子材料 000"),
    Term("政风行风热线", "各部门、镇街负责人按时到电台、电视台直播间值守，现场接听群众电话和网民留言；当场不能答复的登记为诉求限时办结。",
         "种子材料 000"),
    Term("满意度调查", "由组织单位（不是被评价的单位）向群众询问是否满意，如每季度一次的电话随机访问；按户计，与按件次计的回访评价不同。",
         "种子材料 001、004"),
    Term("整改率", "有奖批评会上提出的批评意见中已整改办结的比例；整改不满意不得销号。", "种子材料 002"),
    Term("周报", "每周一期，按上周日结束时的记录计算并冻结，发布后不再修改。", "种子材料 000"),
    Term("年度报告", "每年一份，按 12 月 31 日结束时的记录计算并冻结，与上年同期比较。"),
)
BY_NAME = {t.name: t for t in TERMS}


def explain(term: Term, settings) -> str:
    """The explanation with the jurisdiction's own numbers filled in."""
    return term.explanation.format(min_cases=settings.min_cases_for_ranking,
                                   report_days=settings.matter_report_days or "—",
                                   hot_window=settings.hot_window_days, hot_min=settings.hot_min_cases)


TOOLTIPS_SCRIPT = "assets/terms.js"  # in the site; main.html loads it before the theme's script


def tooltips_script(settings) -> str:
    """The script that gives every term link (a.hy-term to about/glossary/#name) its explanation as a tooltip."""
    explanations = json.dumps({t.name: explain(t, settings) for t in TERMS}, ensure_ascii=False, sort_keys=True)
    return ("/* 名词解释：给每个名词链接加上解释（提示框）。由 huiyin build 从 generator/site/glossary.py 生成。 */\n"
            f"(function () {{\n  var terms = {explanations};\n"
            "  document.querySelectorAll(\"a.hy-term:not([title])\").forEach(function (a) {\n"
            "    var text = terms[decodeURIComponent(a.hash.slice(1))];\n"
            "    if (text) a.title = text;\n  });\n})();\n")
