"""The families of the corpus: which base text, which members, and what each member did to it.

A base text (``families/gNN.txt``, ``news/rN.txt``) has one paragraph per line, the title first.
``{name|placeholder}`` marks a slot: the template member shows the placeholder, a member that
fills it shows its own value. Per member:

- ``fills``: slot name -> the member's text there (``""``: the member emptied the slot);
  ``Alt("xxxx")``: the member shows another placeholder spelling (not a fill); unlisted slots keep
  the template's placeholder.
- ``ops`` (on the base lines, before filling): ``("sub", old, new)`` rewords every occurrence,
  ``("drop", i)`` drops base line i, ``("order", [i, ...])`` reorders the kept lines,
  ``("ins", i, text)`` adds a new line after base line i.
- ``tf`` (on the filled text, before the site's own transforms): ``("cut", share)``,
  ``("s2t",)``, ``("wrap",)`` (PDF extraction), ``("lose", char, share)``, ``("caption", i, text)``,
  ``("promo", text)``, ``("noise",)``, ``("pinyin",)``, ``("spin", lo, hi)`` (synonym spinner,
  ``SPIN_TABLE``), ``("pyascii", lo, hi)`` (toneless pinyin in ASCII), ``("excerpt", para, skip, n)``.
- ``base``: a base text of the member's own (the partial overlaps G26-G29 share one passage).
- ``ctx``: chrome settings (``date``, ``deco``, ``cat``, ``source``, ``intro``, ``account``,
  ``school``).
- ``part``: the member is part N of a compilation page (``("C1", 1)``).

All texts, names, places, numbers and edits were written for the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Alt(str):
    """Another placeholder spelling shown by a member (not a fill)."""


@dataclass
class M:
    key: str
    site: str
    fills: dict[str, str] = field(default_factory=dict)
    ops: list[tuple[Any, ...]] = field(default_factory=list)
    tf: list[tuple[Any, ...]] = field(default_factory=list)
    ctx: dict[str, Any] = field(default_factory=dict)
    template: bool = False
    part: tuple[str, int] | None = None
    base: str = ""  # a base text of the member's own (partial overlaps); else the family's


@dataclass
class Fam:
    key: str
    base: str
    kind: str
    note: str
    members: list[M]


SPIN = [  # a spinner's synonym swaps (G03 A)
    ("sub", "我们欢聚一堂，共庆", "我们共聚一起，一起庆祝"),
    ("sub", "表示热烈的欢迎", "表示热情的欢迎"),
    ("sub", "翻天覆地的变化", "天翻地覆的变化"),
    ("sub", "写下了艰苦创业的壮丽篇章", "写下了艰苦创业的壮美篇章"),
    ("sub", "鼎力支持", "大力支持"),
    ("sub", "敞开大门、广交朋友", "打开大门、结交朋友"),
    ("sub", "共享发展机遇，共创美好未来", "共享发展机会，共同创造美好未来"),
]

# A synonym spinner's table (the spun families G22-G25): word -> what the spinner writes instead.
# Like real spinners it ignores context, so some swaps read oddly (认识 -> 熟悉, 会议 -> 集会).
SPIN_TABLE = [
    ("认真研究", "仔细讨论"),
    ("迅速行动", "快速举动"),
    ("具体部署", "详细安排"),
    ("完全同意", "十分赞同"),
    ("统一思想", "同一思维"),
    ("组织施工", "安排施工"),
    ("组织力量", "调集力量"),
    ("组织领导", "构造领导"),
    ("动员", "发动"),
    ("认识", "熟悉"),
    ("进行", "开展"),
    ("开展", "展开"),
    ("部署", "安排"),
    ("重要", "关键"),
    ("提高", "提升"),
    ("提升", "增进"),
    ("加强", "增强"),
    ("做好", "搞好"),
    ("群众", "大众"),
    ("问题", "难题"),
    ("困难", "艰难"),
    ("建设", "修建"),
    ("任务", "使命"),
    ("明显", "显著"),
    ("目前", "眼下"),
    ("当前", "眼前"),
    ("已经", "早已"),
    ("必须", "务必"),
    ("切实", "确实"),
    ("全面", "全方位"),
    ("积极", "主动"),
    ("主动", "自动"),
    ("及时", "适时"),
    ("确保", "保证"),
    ("推进", "推动"),
    ("落实", "执行"),
    ("完善", "健全"),
    ("坚持", "坚守"),
    ("加快", "加速"),
    ("扎实", "踏实"),
    ("深入", "深化"),
    ("重点", "要点"),
    ("主要", "首要"),
    ("充分", "足够"),
    ("广大", "宽广"),
    ("同时", "一起"),
    ("发挥", "施展"),
    ("作用", "效用"),
    ("措施", "办法"),
    ("情况", "状况"),
    ("基础", "根基"),
    ("保障", "保证"),
    ("责任", "义务"),
    ("要求", "请求"),
    ("严格", "严厉"),
    ("迅速", "飞速"),
    ("各级", "各层"),
    ("干部", "官员"),
    ("领导", "带领"),
    ("成效", "效果"),
    ("一定", "必定"),
    ("十分", "非常"),
    ("大力", "全力"),
    ("解决", "处理"),
    ("帮助", "协助"),
    ("支持", "支援"),
    ("认真", "仔细"),
    ("发展", "成长"),
    ("资金", "资本"),
    ("项目", "工程"),
    ("质量", "品质"),
    ("所有", "一切"),
    ("各类", "各种"),
    ("大家", "各位"),
    ("今天", "今日"),
    ("今年", "本年"),
    ("去年", "上年"),
    ("召开", "举行"),
    ("会议", "集会"),
    ("意见", "看法"),
    ("计划", "方案"),
    ("形成", "构成"),
    ("成立", "创建"),
    ("继续", "持续"),
    ("宣传", "宣扬"),
    ("参与", "参加"),
    ("抓好", "抓牢"),
    ("明确", "清楚"),
    ("具体", "详细"),
    ("存在", "具有"),
    ("影响", "波及"),
    ("提供", "供给"),
    ("完成", "达成"),
    ("开始", "着手"),
    ("结束", "终了"),
    ("依法", "按照法律"),
    ("严肃", "严峻"),
    ("通报", "传达"),
    ("准确", "精确"),
    ("掌握", "把握"),
    ("科学", "合理"),
    ("依据", "根据"),
    ("按照", "依照"),
    ("统一", "同一"),
    ("方案", "计划"),
    ("阶段", "时期"),
    ("人员", "职员"),
    ("单位", "机构"),
    ("基本", "根本"),
    ("部门", "机构"),
    ("乡镇", "镇乡"),
    ("能力", "才能"),
    ("灾害", "灾祸"),
    ("设施", "装备"),
    ("整治", "整理"),
    ("修复", "修缮"),
    ("需要", "需求"),
    ("定期", "按期"),
    ("推广", "推行"),
    ("鼓励", "激励"),
    ("收购", "收买"),
    ("达到", "抵达"),
    ("督查", "监督检查"),
    ("考核", "考察"),
    ("巡查", "巡视"),
    ("发现", "察觉"),
    ("造成", "形成"),
    ("追究", "追查"),
    ("多种", "多样"),
    ("形式", "方式"),
    ("贡献", "奉献"),
    ("改善", "改良"),
    ("空气", "氛围"),
    ("污染", "弄脏"),
    ("容易", "轻易"),
    ("引发", "激发"),
    ("交通", "交通运输"),
    ("深刻", "深切"),
    ("克服", "战胜"),
    ("思想", "思维"),
    ("根本", "根基"),
    ("区域", "地区"),
    ("安排", "布置"),
    ("专人", "专门人员"),
    ("渠道", "途径"),
    ("转变", "改变"),
    ("效能", "效率"),
    ("有力", "强力"),
    ("取得", "获得"),
    ("精神", "精力"),
    ("总体", "整体"),
    ("不少", "很多"),
    ("标准", "规范"),
    ("意识", "认识"),
    ("现象", "景象"),
    ("遇到", "碰到"),
    ("矛盾", "冲突"),
    ("发生", "产生"),
    ("形象", "抽象"),
    ("高度", "高程"),
    ("环节", "步骤"),
    ("效果", "成效"),
    ("着力", "用力"),
    ("效率", "功效"),
    ("推行", "实施"),
    ("制度", "制度规定"),
    ("减轻", "减缓"),
    ("负担", "包袱"),
    ("反映", "反应"),
    ("强烈", "猛烈"),
    ("对照", "比照"),
    ("制定", "拟定"),
    ("公开", "公然"),
    ("年度", "年份"),
    ("综合", "归纳"),
    ("直接", "径直"),
    ("永远", "始终"),
    ("契机", "机遇"),
    ("开创", "开辟"),
    ("局面", "场面"),
    ("实际", "实在"),
    ("行动", "举动"),
    ("调查", "查询"),
    ("全市", "整个市"),
    ("全县", "整个县"),
    ("掀起", "激起"),
    ("热潮", "高潮"),
    ("最", "最为"),
    ("近年来", "这些年来"),
    ("累计", "总计"),
    ("相当", "适当"),
    ("老化", "陈旧"),
    ("一些", "某些"),
    ("清醒", "清楚"),
    ("紧迫性", "急迫性"),
    ("决策", "决议"),
    ("面积", "范围"),
    ("列入", "纳入"),
    ("设计", "策划"),
    ("统筹", "统一筹划"),
    ("整合", "整编"),
    ("集中", "会合"),
    ("保证", "担保"),
    ("亲自", "亲身"),
    ("技术", "技能"),
    ("服务", "效劳"),
    ("实际困难", "实在艰难"),
    ("广泛", "普遍"),
    ("引导", "指引"),
    ("调动", "变更"),
    ("积极性", "主动性"),
    ("缓慢", "迟缓"),
    ("希望", "盼望"),
    ("进一步", "更进一步"),
    ("更加", "愈加"),
    ("作风", "风格"),
    ("坚实", "牢固"),
    ("首次", "初次"),
    ("同步", "同期"),
    ("相关", "有关"),
    ("指标", "目标"),
    ("相应", "对应"),
    ("负责", "担负"),
    ("牵头", "带头"),
    ("业务", "事务"),
    ("检查", "查看"),
    ("配合", "协同"),
    ("申报", "呈报"),
    ("处理", "处置"),
    ("艰巨", "繁重"),
    ("重大", "巨大"),
    ("圆满", "完满"),
    ("强调", "着重"),
    ("严重", "紧要"),
    ("巨大", "庞大"),
    ("分别", "各自"),
    ("准备", "筹备"),
]

G02_B = {
    "ldr": "习近平",
    "n1": "3",
    "n2": "11",
    "n3": "4.6",
    "n4": "1.8",
    "n5": "93",
    "n6": "420",
    "n7": "2600",
    "n8": "1",
    "n9": "35",
}
G02_C = {
    "ldr": "习近平",
    "n1": "4",
    "n2": "15",
    "n3": "2.9",
    "n4": "1.1",
    "n5": "88",
    "n6": "316",
    "n7": "1750",
    "n8": "2",
    "n9": "28",
}
G04_A = {
    "s": "城南",
    "m": "青石岭",
    "l1": "周文涛",
    "l2": "沈佳宁",
    "y1": "1921",
    "y2": "1949",
    "y3": "2023",
    "n": "137",
}
G09_A = {"sc": "柏川县实验", "reg": "柏川", "d": "3", "dd": "4", "date": "6月28日"}

G31_B = {
    "c": "梅岭",
    "y": "2022",
    "sp": "王振国",
    "y2": "2022",
    "md": "12月29日",
    "gz": "李向东",
    "g": "4.7",
    "rev": "7.2",
    "proj": "26",
}
G32_C = {"c": "澄溪", "y": "2023", "p": "何志刚", "g1": "8.6", "g2": "12.4", "n": "37"}

FAMILIES: list[Fam] = [
    Fam(
        "G01",
        "families/g01.txt",
        "template",
        "one template on three sites: 墨言文库 keeps “xx”, 云笺公文网 (精选6篇) fills 十一五 and 2010, "
        "千帆文秘网 empties the slot to “” and keeps 20xx",
        [
            M("T", "moyan", template=True, ctx={"date": "2019-03-08", "cat": "会议讲话"}),
            M(
                "A",
                "yunjian",
                fills={"p": "十一五", "y": "2010"},
                ops=[
                    (
                        "sub",
                        "几位乡镇和部门负责同志作了表态发言，讲得都很实在",
                        "几个乡镇和部门的负责同志作了表态发言，讲得很好",
                    )
                ],
                ctx={"date": "2021-11-02", "deco": "(精选6篇)", "cat": "领导讲话"},
            ),
            M("B", "qianfan", fills={"p": ""}, ctx={"date": "2023-06-15", "cat": "会议讲话"}),
        ],
    ),
    Fam(
        "G02",
        "families/g02.txt",
        "template",
        "numbers masked as X/XX and the leader's name as “X 总书记” (松涛范文网, with a folded-content "
        "line); one filled copy extracted from a PDF (hard-wrapped lines, page numbers), one on 千帆文秘网",
        [
            M("T", "songtao", template=True, ctx={"date": "2020-09-14"}),
            M("B", "plain", fills=G02_B, tf=[("wrap",)]),
            M("C", "qianfan", fills=G02_C, ops=[("sub", "真抓实干、久久为功", "实干苦干、持之以恒")]),
        ],
    ),
    Fam(
        "G03",
        "families/g03.txt",
        "template",
        "a toast with ××/× (the template maker also masked 秋 in 秋高气爽); a copy filled with 岚溪, 第77个, "
        "54万 and run through a synonym spinner; a Traditional copy (OpenCC) filled with 桐岭",
        [
            M("T", "moyan", template=True, ctx={"cat": "致辞发言"}),
            M(
                "A",
                "yunjian",
                fills={"c": "岚溪", "k": "77", "pop": "54", "q": "秋"},
                ops=list(SPIN),
                ctx={"cat": "致辞发言"},
            ),
            M("B", "twfan", fills={"c": "桐岭", "k": "65", "pop": "38", "q": "秋"}, ctx={"cat": "致辞发言"}),
        ],
    ),
    Fam(
        "G04",
        "families/g04.txt",
        "template",
        "清明 speech: the template site's year masker turned 1921 and 1949 into 1920xx; copies swap the "
        "school and the monument; the 桐岭二中 copy deletes the leaders' names; a 60% preview of the 城南 copy",
        [
            M("T", "moyan", template=True, ctx={"cat": "致辞发言"}),
            M("A", "school", fills=G04_A, ctx={"school": "城南中学", "date": "2023-04-03"}),
            M(
                "B",
                "weixin",
                fills={
                    "s": "桐岭县第二",
                    "m": "凤凰山",
                    "l1": "",
                    "l2": "",
                    "y1": "1921",
                    "y2": "1949",
                    "y3": "2024",
                    "n": "86",
                },
                ops=[
                    ("sub", "初一、高一年级", "初二、高二年级"),
                    ("sub", "其中不少校友投身国防和边疆建设", "其中有一百多位校友参军入伍"),
                ],
                ctx={"account": "桐岭县第二中学", "date": "2024-04-02"},
            ),
            M("C", "shisui", fills=G04_A, tf=[("cut", 0.6)]),
        ],
    ),
    Fam(
        "G05",
        "families/g05.txt",
        "template",
        "years masked as 20** on one template site and as xxxx (names XXX, rates X) on another; a filled "
        "copy on the 岚溪 government site; a filled copy with a paragraph dropped, two reordered and reworded",
        [
            M("T", "moyan", template=True, ctx={"cat": "会议讲话"}),
            M(
                "X",
                "yunjian",
                fills={
                    "y": Alt("xxxx"),
                    "y0": Alt("xxxx"),
                    "p1": Alt("XXX"),
                    "p2": Alt("XXX"),
                    "g1": Alt("X"),
                    "g2": Alt("X"),
                },
                ctx={"cat": "领导讲话", "date": "2021-12-27"},
            ),
            M(
                "A",
                "gov_lanxi",
                fills={"y": "2023", "y0": "2022", "p1": "刘明远", "p2": "陈思敏", "g1": "5.8", "g2": "7.2"},
                ctx={"date": "2023-02-10"},
            ),
            M(
                "B",
                "plain",
                fills={"y": "2022", "y0": "2021", "p1": "王峰", "p2": "赵立伟", "g1": "6.1", "g2": "8.4"},
                ops=[
                    ("drop", 5),
                    ("order", [0, 1, 2, 3, 4, 6, 7, 9, 8, 10, 11, 12, 13]),
                    ("sub", "二是在壮大实体经济上下功夫", "一是在壮大实体经济上下功夫"),
                    ("sub", "一是在扩大有效投资上下功夫", "二是在扩大有效投资上下功夫"),
                    ("sub", "稳住阵脚、迎难而上", "沉着应对、攻坚克难"),
                    ("sub", "是一家家企业的咬牙坚持", "是一家家企业的顽强坚守"),
                ],
            ),
        ],
    ),
    Fam(
        "G06",
        "news/r6.txt",
        "news-reprint",
        "a wire report of one congress session reprinted by a city portal (last paragraph cut) and a "
        "WeChat account (intro and photo caption added); the other congress reports share its formula only",
        [
            M("a", "tianheng", ctx={"date": "2024-03-05"}),
            M("b", "luzhou", ops=[("drop", 6)], ctx={"date": "2024-03-05", "source": "天衡日报"}),
            M(
                "c",
                "weixin",
                tf=[("caption", 1, "▲大会开幕现场。（资料图片）")],
                ctx={
                    "date": "2024-03-05",
                    "account": "岚溪发布",
                    "source": "天衡日报",
                    "intro": "今天上午，十四届全国人大二次会议开幕。一起来看大会现场——",
                },
            ),
        ],
    ),
    Fam(
        "G07",
        "families/g07.txt",
        "news-reprint",
        "a city news report: original, Traditional mirror with pinyin debris (澄泓資訊網), an aggregator "
        "copy with anti-scraping junk characters, a WeChat copy with a photo caption and a promo line inserted",
        [
            M("a", "luzhou", ctx={"date": "2023-06-13"}),
            M("b", "chengjiang", ctx={"date": "2023-06-14"}),
            M("c", "kuaibao", ctx={"date": "2023-06-14"}),
            M(
                "d",
                "weixin",
                tf=[
                    ("caption", 1, "（图为调度会现场。记者 林晓岚 摄）"),
                    ("promo", "【关注“鹭洲生活圈”，第一时间获取本地天气预警和出行提醒】"),
                ],
                ctx={"date": "2023-06-13", "account": "鹭洲生活圈", "source": "鹭洲新闻网"},
            ),
        ],
    ),
    Fam(
        "G08",
        "families/g08.txt",
        "essay-reprint",
        "a year-end speech republished unchanged: the original, a garbled copy that lost most 年, and a "
        "Traditional mirror with pinyin debris",
        [
            M("a", "tingzhou", ctx={"date": "2023-12-28", "source": "共青团鹭洲市委"}),
            M("b", "songtao", tf=[("lose", "年", 0.85)]),
            M("c", "chengjiang"),
        ],
    ),
    Fam(
        "G09",
        "families/g09.txt",
        "template",
        "防溺水 template (xx, X, x月x日): a school's filled copy, a reworded and reordered copy, a "
        "Traditional (OpenCC) copy, a 60% preview of the school's copy",
        [
            M("T", "moyan", template=True, ctx={"cat": "致辞发言"}),
            M("A", "school", fills=G09_A, ctx={"school": "柏川县实验学校", "date": "2022-06-27"}),
            M(
                "B",
                "qianfan",
                fills={"sc": "青峪镇中心", "reg": "云岭", "d": "2", "dd": "2", "date": "7月2日"},
                ops=[
                    ("order", [0, 1, 2, 3, 4, 5, 7, 6, 8]),
                    ("sub", "惨痛的教训一次又一次提醒我们", "血的教训反复警示我们"),
                    ("sub", "千万不要手拉手下水救人", "切不可手拉手下水施救"),
                ],
            ),
            M(
                "C",
                "twfan",
                fills={"sc": "汀源县第一", "reg": "汀源", "d": "4", "dd": "5", "date": "6月30日"},
                ctx={"cat": "致辞发言"},
            ),
            M("D", "shisui", fills=G09_A, tf=[("cut", 0.6)]),
        ],
    ),
    Fam(
        "G10",
        "families/g10.txt",
        "template",
        "森林防灭火 template (×××, xx): a county's filled copy; a city-level copy with section 四 replaced "
        "by a new paragraph; the mosaic {M1} borrows three paragraphs of it and three of G21 (listed in both)",
        [
            M("T", "yunjian", template=True),
            M("A", "gov_baichuan", fills={"p1": "何晓东", "p2": "罗敏", "cov": "68", "km": "45"}),
            M(
                "B",
                "moyan",
                fills={"p1": "林志强", "p2": "郭文斌", "cov": "72", "km": "60"},
                ops=[
                    ("drop", 9),
                    ("drop", 10),
                    (
                        "ins",
                        8,
                        "此外，要用好科技手段。今年市里新建的森林防火视频监控系统已经覆盖主要林区，各地要安排专人盯屏值守，"
                        "发现烟点第一时间核实、第一时间报告，真正做到早发现、早处置。",
                    ),
                    ("sub", "全县", "全市"),
                    ("sub", "我县", "我市"),
                ],
            ),
        ],
    ),
    Fam(
        "G11",
        "families/g11.txt",
        "template",
        "廉政党课 template (xx, X): three bureaus' copies, one with two sections swapped, one Traditional",
        [
            M("T", "moyan", template=True, ctx={"cat": "党建材料"}),
            M("A", "plain", fills={"u": "县市场监管", "u2": "市场监管", "biz": "食品经营许可、特种设备检验", "n": "6"}),
            M(
                "B",
                "qianfan",
                fills={"u": "市自然资源和规划", "u2": "自然资源", "biz": "用地审批、不动产登记", "n": "4"},
                ops=[
                    ("order", [0, 1, 2, 3, 5, 4, 6, 7]),
                    ("sub", "第二，要警惕", "第三，要警惕"),
                    ("sub", "第三，要把纪律", "第二，要把纪律"),
                ],
                ctx={"cat": "党建材料"},
            ),
            M(
                "C",
                "twfan",
                fills={"u": "区住房和城乡建设", "u2": "住房城乡建设", "biz": "工程招投标、质量安全监督", "n": "5"},
                ctx={"cat": "党建材料"},
            ),
        ],
    ),
    Fam(
        "G12",
        "families/g12.txt",
        "template",
        "营商环境 template (××, ×): a district government's copy and a WeChat copy cut to 60%",
        [
            M("T", "yunjian", template=True),
            M("A", "gov_heming", fills={"ct": "鹤鸣", "mo": "8", "sc": "6.3", "rk": "3", "dy": "35", "fund": "2860"}),
            M(
                "B",
                "weixin",
                fills={"ct": "雁溪", "mo": "10", "sc": "4.8", "rk": "2", "dy": "42", "fund": "1530"},
                tf=[("cut", 0.6)],
                ctx={"account": "材料人之家"},
            ),
        ],
    ),
    Fam(
        "G13",
        "families/g13.txt",
        "template",
        "禁毒日 template (××): a county's copy and a copy with one paragraph dropped and a word changed",
        [
            M("T", "moyan", template=True, ctx={"cat": "致辞发言"}),
            M("A", "gov_tingyuan", fills={"pl": "汀源", "nth": "36", "cs": "47", "sp": "63", "us": "112"}),
            M(
                "B",
                "songtao",
                fills={"pl": "苍岭", "nth": "35", "cs": "29", "sp": "41", "us": "86"},
                ops=[("drop", 6), ("sub", "花样不断翻新", "层出不穷")],
            ),
        ],
    ),
    Fam(
        "G14",
        "families/g14.txt",
        "template",
        "征兵 template (20xx, ×××, ××): a county's copy and a Traditional copy",
        [
            M("T", "qianfan", template=True),
            M("A", "gov_lanxi", fills={"yr": "2023", "who": "王海涛", "q": "186", "pct": "40"}),
            M("B", "twfan", fills={"yr": "2022", "who": "李建新", "q": "154", "pct": "35"}),
        ],
    ),
    Fam(
        "G15",
        "families/g15.txt",
        "template",
        "开学典礼 template (××, 20xx, ×××): a school's copy, a copy with one section rewritten, and two "
        "copies inside the compilation page {C1} (parts 1 and 3)",
        [
            M("T", "moyan", template=True, ctx={"cat": "致辞发言"}),
            M(
                "A",
                "school",
                fills={"sch": "柏川第一", "yr": "2023", "n7": "860", "top": "126"},
                ctx={"school": "柏川第一中学", "date": "2023-09-01"},
            ),
            M(
                "B",
                "songtao",
                fills={"sch": "青峪", "yr": "2022", "n7": "640", "top": "87"},
                ops=[
                    ("drop", 7),
                    (
                        "ins",
                        6,
                        "第三句话：做一个懂得感恩的人。父母的操劳、老师的付出、同学的帮助，都值得我们记在心里。"
                        "希望大家回家主动帮父母做一点家务，在学校见到老师主动问声好，用一言一行表达自己的感谢。",
                    ),
                ],
            ),
            M("C", "yunjian", fills={"sch": "汀源", "yr": "2024", "n7": "1020", "top": "203"}, part=("C1", 1)),
            M(
                "D",
                "yunjian",
                fills={"sch": "雁溪", "yr": "2023", "n7": "720", "top": "95"},
                ops=[("drop", 8), ("sub", "金风送爽，丹桂飘香", "秋风送爽，硕果飘香")],
                part=("C1", 3),
            ),
        ],
    ),
    Fam(
        "G16",
        "families/g16.txt",
        "template",
        "主题教育动员 template (xx, xxx): a city bureau's copy, a WeChat copy cut to 60%, and part 3 of the "
        "compilation page {C2}",
        [
            M("T", "yunjian", template=True, ctx={"cat": "党建材料"}),
            M("A", "gov_yuchuan", fills={"org": "市水利局", "ld": "张明"}),
            M(
                "B",
                "weixin",
                fills={"org": "区教育局", "ld": "刘芳"},
                tf=[("cut", 0.6)],
                ctx={"account": "基层工作札记"},
            ),
            M("C", "moyan", fills={"org": "城关镇", "ld": "赵磊"}, part=("C2", 3)),
        ],
    ),
    Fam(
        "G17",
        "families/g17.txt",
        "template",
        "垃圾分类 template (x, xx): a city government's copy and a copy with two sections swapped",
        [
            M("T", "moyan", template=True),
            M("A", "gov_yuchuan", fills={"start": "5", "cm": "46", "vl": "38", "aw": "87"}),
            M(
                "B",
                "qianfan",
                fills={"start": "3", "cm": "28", "vl": "52", "aw": "79"},
                ops=[
                    ("order", [0, 1, 2, 3, 4, 7, 8, 5, 6, 9]),
                    ("sub", "二、聚焦关键环节", "三、聚焦关键环节"),
                    ("sub", "三、强化宣传引导", "二、强化宣传引导"),
                ],
            ),
        ],
    ),
    Fam(
        "G18",
        "families/g18.txt",
        "template",
        "七一表彰 template (xx): a company's copy, a school's copy as part 1 of the compilation page {C2}, "
        "a Traditional copy",
        [
            M("T", "moyan", template=True, ctx={"cat": "党建材料"}),
            M("A", "plain", fills={"age": "102", "unit": "集团公司"}),
            M("B", "moyan", fills={"age": "101", "unit": "学校"}, part=("C2", 1)),
            M("C", "twfan", fills={"age": "100", "unit": "公司"}, ctx={"cat": "党建材料"}),
        ],
    ),
    Fam(
        "G19",
        "families/g19.txt",
        "essay-reprint",
        "a cadre's essay: original on 博文斋, a WeChat repost with an intro, a 60% preview on 拾穗文档",
        [
            M("a", "bowen", ctx={"date": "2022-07-08"}),
            M(
                "b",
                "weixin",
                ops=[
                    (
                        "sub",
                        "三个月的下沉经历，是一次难得的锻炼。",
                        "三个月的下沉经历，是一次难得的锻炼，也是一次深刻的教育。",
                    )
                ],
                ctx={
                    "account": "基层工作札记",
                    "source": "博文斋",
                    "intro": "一位机关干部的下沉日记，值得一读。",
                    "date": "2022-07-20",
                },
            ),
            M("c", "shisui", tf=[("cut", 0.6)]),
        ],
    ),
    Fam(
        "G20",
        "families/g20.txt",
        "template",
        "重阳节 template (××, ×) and one town's copy",
        [
            M("T", "qianfan", template=True),
            M("A", "gov_baichuan", fills={"twn": "石门", "old": "2360", "cn": "5"}),
        ],
    ),
    Fam(
        "G21",
        "families/g21.txt",
        "template",
        "安全生产百日攻坚 template (x月x日): a district's copy with one section dropped and 县→区, a "
        "Traditional copy; the mosaic {M1} borrows three paragraphs of it and three of G10 (listed in both)",
        [
            M("T", "moyan", template=True),
            M(
                "B",
                "gov_heming",
                fills={"d1": "9月20日", "d2": "12月28日"},
                ops=[
                    ("drop", 5),
                    ("drop", 6),
                    ("sub", "三、严格执法检查", "二、严格执法检查"),
                    ("sub", "四、夯实各方责任", "三、夯实各方责任"),
                    ("sub", "全县", "全区"),
                    ("sub", "县安委办", "区安委办"),
                ],
            ),
            M("C", "twfan", fills={"d1": "10月8日", "d2": "次年1月15日"}),
        ],
    ),
    Fam(
        "G22",
        "families/g22.txt",
        "template",
        "spun copies: 农田水利 template (xx, ×××, X, XX, 20xx); three filled copies run through a synonym "
        "spinner at different densities (动员→发动, 认识→熟悉, 进行→开展, 认真研究→仔细讨论 …), so no verbatim "
        "run is long although most of the text still aligns",
        [
            M("T", "moyan", template=True, ctx={"cat": "会议讲话"}),
            M(
                "A",
                "gov_baichuan",
                fills={"c": "柏川", "p1": "杨振宇", "mu": "12.6", "pond": "340", "res": "18", "y": "2024"},
                tf=[("spin", 8, 16)],
            ),
            M(
                "B",
                "weixin",
                fills={"c": "沅水", "p1": "钟立平", "mu": "8.3", "pond": "215", "res": "11", "y": "2023"},
                ops=[("drop", 7), ("drop", 8)],
                tf=[("spin", 30, 44)],
                ctx={"account": "笔杆子驿站"},
            ),
            M(
                "C",
                "qianfan",
                fills={"c": "岫山", "p1": "梁国栋", "mu": "5.7", "pond": "128", "res": "9", "y": "2022"},
                ops=[
                    (
                        "ins",
                        6,
                        "这里我再多说一句。我们县山区多、平地少，水利设施一旦建成，管护往往跟不上，出现了"
                        "“重建轻管”的现象。今年起，每一座山塘、每一条渠道都要落实管护人员和管护经费，"
                        "不能让新修的工程几年后又成了摆设。",
                    )
                ],
                tf=[("spin", 20, 34)],
            ),
        ],
    ),
    Fam(
        "G23",
        "families/g23.txt",
        "template",
        "spun copies: 秸秆禁烧 template (××, ×××, X, XX); three filled copies spun at different densities, "
        "one with a paragraph dropped; the text keeps (PM2.5) in Latin parentheses",
        [
            M("T", "yunjian", template=True),
            M(
                "A",
                "qianfan",
                fills={"c": "白沙", "p": "罗一鸣", "f": "7", "t": "2", "r": "92"},
                tf=[("spin", 8, 16)],
            ),
            M(
                "B",
                "songtao",
                fills={"c": "樟树", "p": "宋佳", "f": "4", "t": "1", "r": "90"},
                ops=[
                    (
                        "ins",
                        4,
                        "还要提醒一点：今年镇里新配了两架无人机，重点时段要每天升空巡查两次，发现烟点"
                        "立即把位置发到工作群，离得最近的村干部二十分钟内必须赶到现场。",
                    )
                ],
                tf=[("spin", 28, 42)],
            ),
            M(
                "C",
                "plain",
                fills={"c": "荷塘", "p": "许文杰", "f": "9", "t": "3", "r": "88"},
                ops=[("drop", 5)],
                tf=[("spin", 20, 34)],
            ),
        ],
    ),
    Fam(
        "G24",
        "families/g24.txt",
        "template",
        "spun copies: 作风建设年 template (××, x月, ×××); three filled copies spun at different densities",
        [
            M("T", "qianfan", template=True),
            M(
                "A",
                "plain",
                fills={"c": "金沙", "m1": "3月", "m2": "11月", "p": "赵明远"},
                tf=[("spin", 8, 16)],
            ),
            M(
                "B",
                "gov_tingyuan",
                fills={"c": "汀源", "m1": "4月", "m2": "12月", "p": "林海峰"},
                ops=[("drop", 3), ("drop", 4)],
                tf=[("spin", 30, 44)],
            ),
            M(
                "C",
                "weixin",
                fills={"c": "桂溪", "m1": "3月", "m2": "10月", "p": "孙立新"},
                ops=[
                    (
                        "ins",
                        6,
                        "活动期间，县里还将开通作风问题举报电话和网上信箱，每周汇总一次群众反映的问题，"
                        "转交有关单位限期办理，办理结果要向反映人反馈。",
                    )
                ],
                tf=[("spin", 22, 36)],
                ctx={"account": "公文写作参考"},
            ),
        ],
    ),
    Fam(
        "G25",
        "families/g25.txt",
        "template",
        "spun copies: 经济普查 template (xx, 20xx, x, XXXX, ×××) on 松涛范文网; a city's spun copy, a spun "
        "copy converted to Traditional script, a plain spun copy; (Digital Economy) in Latin parentheses",
        [
            M("T", "songtao", template=True),
            M(
                "A",
                "gov_yuchuan",
                fills={"c": "榆川", "y": "2023", "m": "6", "n": "2600", "p": "韩冬梅"},
                tf=[("spin", 9, 17)],
            ),
            M(
                "B",
                "twfan",
                fills={"c": "云溪", "y": "2023", "m": "5", "n": "1800", "p": "高建国"},
                tf=[("spin", 28, 42)],
            ),
            M(
                "C",
                "plain",
                fills={"c": "石湾", "y": "2023", "m": "7", "n": "3100", "p": "唐晓峰"},
                ops=[("drop", 3), ("drop", 4)],
                tf=[("spin", 22, 36)],
            ),
        ],
    ),
    Fam(
        "G26",
        "overlap/g26_speech.txt",
        "news-reprint",
        "partial overlap: a city party secretary's speech on a Traditional mirror (澄泓資訊網, with its pinyin "
        "debris) and a simplified news report of the meeting; they share one 218-character passage and nothing "
        "else: in the middle of a 512-character paragraph of the speech, split at a sentence end over the end of "
        "one 446-character paragraph of the report and the start of the next (441)",
        [
            M("a", "chengjiang", base="overlap/g26_speech.txt", ctx={"date": "2023-09-15"}),
            M("b", "luzhou", base="overlap/g26_report.txt", ctx={"date": "2023-09-14"}),
        ],
    ),
    Fam(
        "G27",
        "overlap/g27_speech.txt",
        "news-reprint",
        "partial overlap: a county head's speech (岚溪 government site) and a news feature on 汀州新闻网 that "
        "quotes one 215-character stretch of it inside a 532-character paragraph; in the speech the stretch "
        "ends one 444-character paragraph and begins the next (451), split at a sentence end",
        [
            M("a", "gov_lanxi", base="overlap/g27_speech.txt", ctx={"date": "2023-07-06"}),
            M("b", "tingzhou", base="overlap/g27_report.txt", ctx={"date": "2023-07-08"}),
        ],
    ),
    Fam(
        "G28",
        "overlap/g28_a.txt",
        "news-reprint",
        "partial overlap: two outlets' own reports of one meeting that quote the same 224 characters of the "
        "vice mayor's speech, in the middle of a 534-character paragraph in one, over the break between a "
        "457- and a 432-character paragraph in the other; nothing else shared",
        [
            M("a", "tianheng", base="overlap/g28_a.txt", ctx={"date": "2023-11-09"}),
            M("b", "weixin", base="overlap/g28_b.txt", ctx={"date": "2023-11-09", "account": "榆川交通"}),
        ],
    ),
    Fam(
        "G29",
        "overlap/g29_tpl.txt",
        "template",
        "partial overlap with fills: a 河湖长制 template (xx, 20xx, X) whose 215-character passage ends a "
        "447-character paragraph and begins the next (438), and a county's own speech that copied the passage "
        "(filled: 溪口, 9) into the middle of a 556-character paragraph",
        [
            M("T", "moyan", base="overlap/g29_tpl.txt", template=True, ctx={"cat": "会议讲话", "date": "2022-03-02"}),
            M(
                "A",
                "weixin",
                base="overlap/g29_copy.txt",
                fills={"pc": "溪口", "pn": "9"},
                ctx={"account": "溪口发布", "date": "2023-07-12"},
            ),
        ],
    ),
    Fam(
        "G30",
        "families/g30.txt",
        "news-reprint",
        "a county drought report and three spam mirrors that add pinyin without tone marks in ASCII "
        "parentheses after a character every 10-22 characters, each mirror at other places (水(shui)); the "
        "text keeps real Latin parentheses: (5G), (GDP), （App）",
        [
            M("a", "luzhou", ctx={"date": "2023-07-25", "source": "岱溪县融媒体中心"}),
            M("b", "kandian", tf=[("pyascii", 10, 18)], ctx={"date": "2023-07-26"}),
            M("c", "huiju", tf=[("pyascii", 12, 20)], ctx={"date": "2023-07-27"}),
            M("d", "sudi", tf=[("pyascii", 14, 22)], ctx={"date": "2023-07-27"}),
        ],
    ),
    Fam(
        "G31",
        "families/g31.txt",
        "template",
        "slots in the title and speaker line: 在xx县20xx年经济工作会议上的讲话 / 县委书记 ××× / （20xx年x月x日）; "
        "a copy on the 青禾 government site as an HTML page (title fills in its <h1>), a WeChat copy, a copy "
        "given by the county head (speaker line and one body sentence edited), "
        "a Traditional copy, and a 133-character preview of the WeChat copy on 公文摘要网 (title and 114 "
        "characters of the opening paragraph: shares under 150 characters with the copies)",
        [
            M("T", "moyan", template=True, ctx={"cat": "会议讲话", "date": "2020-11-24"}),
            M(
                "A",
                "gov_qinghe",
                fills={
                    "c": "青禾",
                    "y": "2023",
                    "sp": "方立群",
                    "y2": "2023",
                    "md": "12月26日",
                    "gz": "陈卫东",
                    "g": "5.9",
                    "rev": "9.6",
                    "proj": "38",
                },
                ctx={"date": "2024-01-03"},
            ),
            M("B", "weixin", fills=G31_B, ctx={"account": "基层工作札记", "date": "2023-01-05"}),
            M(
                "C",
                "plain",
                fills={
                    "c": "鹿鸣",
                    "y": "2024",
                    "sp": "欧阳晓",
                    "y2": "2024",
                    "md": "12月20日",
                    "gz": "秦朗",
                    "g": "5.2",
                    "rev": "11.3",
                    "proj": "41",
                },
                ops=[
                    ("sub", "县委书记 ", "县委副书记、县长 "),
                    (
                        "sub",
                        "同志代表县政府对明年经济工作作了具体安排，讲得很全面，我完全赞同。下面，我代表县委讲三点意见。",
                        "同志通报了今年主要经济指标完成情况。下面，受县委主要负责同志委托，我代表县委、县政府讲三点意见。",
                    ),
                ],
            ),
            M(
                "D",
                "twfan",
                fills={
                    "c": "丰乐",
                    "y": "2023",
                    "sp": "刘建华",
                    "y2": "2023",
                    "md": "12月27日",
                    "gz": "张伟",
                    "g": "6.1",
                    "rev": "8.8",
                    "proj": "30",
                },
                ctx={"cat": "會議講話"},
            ),
            M("E", "zhaiyao", fills=G31_B, tf=[("excerpt", 4, 0, 114)], ctx={"date": "2023-03-14", "cat": "会议讲话"}),
        ],
    ),
    Fam(
        "G32",
        "families/g32.txt",
        "template",
        "the speech's own short lines on four sites: 同志们： / 一、肯定成绩，坚定信心 / 二、突出重点，狠抓落实 / "
        "三、加强领导，确保实效 / 谢谢大家！ (G33 and four singletons share them too); template (××, 20××, ×××, "
        "×), a county's copy, a WeChat copy, a plain copy, a copy on 松涛范文网, a 142-character preview of the plain "
        "copy (title and 120 characters of section 一: shares under 150 characters with the copies)",
        [
            M("T", "moyan", template=True, ctx={"cat": "会议讲话"}),
            M(
                "A",
                "gov_tingyuan",
                fills={"c": "汀源", "y": "2023", "p": "黄永庆", "g1": "7.9", "g2": "10.5", "n": "52"},
            ),
            M(
                "B",
                "weixin",
                fills={"c": "枫林", "y": "2022", "p": "曾繁星", "g1": "6.8", "g2": "9.1", "n": "28"},
                ctx={"account": "笔杆子驿站"},
            ),
            M("C", "plain", fills=G32_C),
            M("D", "songtao", fills={"c": "云岭", "y": "2024", "p": "覃晓东", "g1": "5.4", "g2": "8.2", "n": "19"}),
            M("E", "zhaiyao", fills=G32_C, tf=[("excerpt", 4, 0, 120)], ctx={"cat": "工作部署"}),
        ],
    ),
    Fam(
        "G33",
        "families/g33.txt",
        "template",
        "another template with the same short lines as G32 (同志们：, the three headings, 谢谢大家！) on other "
        "sites: template (××, 20××, ××××), a city government's copy, 千帆文秘网's copy (half-width "
        "punctuation), a school's repost, a plain copy",
        [
            M("T", "yunjian", template=True, ctx={"cat": "领导讲话"}),
            M("A", "gov_yuchuan", fills={"c": "榆川", "y": "2023", "ns": "14", "xw": "9600", "jl": "35"}),
            M("B", "qianfan", fills={"c": "枫林", "y": "2022", "ns": "9", "xw": "5400", "jl": "22"}),
            M(
                "C",
                "school",
                fills={"c": "雁城", "y": "2024", "ns": "11", "xw": "7200", "jl": "28"},
                ctx={"school": "雁城市第一中学", "date": "2024-08-30"},
            ),
            M("D", "plain", fills={"c": "澄江", "y": "2021", "ns": "7", "xw": "4300", "jl": "19"}),
        ],
    ),
    Fam(
        "G34",
        "families/g34.txt",
        "template",
        "government pages as HTML records: a 耕地保护 template on 云笺公文网 (xx, XX) copied by three county "
        "government sites whose records carry the page's HTML, no text: 青禾 (<h1>, 发布时间：), 双溪 (table "
        "layout, 来源：…发布日期：), 岭头 (tag soup: unclosed <p>, <font><b>…</font></b>, <td> without <table>); "
        "and a Traditional text copy on 筆耕範文網",
        [
            M("T", "yunjian", template=True, ctx={"date": "2021-02-23"}),
            M("A", "gov_qinghe", fills={"c": "青禾", "mu": "86", "jb": "71", "tb": "143"}, ctx={"date": "2024-03-18"}),
            M("B", "gov_shuangxi", fills={"c": "双溪", "mu": "64", "jb": "55", "tb": "97"}, ctx={"date": "2023-11-02"}),
            M("C", "gov_lingtou", fills={"c": "岭头", "mu": "52", "jb": "46", "tb": "81"}, ctx={"date": "2022-04-11"}),
            M("D", "twfan", fills={"c": "云岭", "mu": "58", "jb": "49", "tb": "66"}),
        ],
    ),
    Fam(
        "G35",
        "families/g35.txt",
        "template",
        "反诈 template (××, ×××, ××××) on 墨言文库; an HTML copy on the 沅水 government site (时间：2022年9月5日 "
        "layout), a tag-soup HTML copy on the 岭头 government site and a WeChat text copy",
        [
            M("T", "moyan", template=True, ctx={"cat": "工作部署", "date": "2021-10-19"}),
            M(
                "A",
                "gov_yunshui",
                fills={"c": "沅水", "cs": "426", "je": "1380", "big": "19"},
                ctx={"date": "2022-09-05"},
            ),
            M(
                "B",
                "gov_lingtou",
                fills={"c": "岭头", "cs": "312", "je": "960", "big": "11"},
                ctx={"date": "2023-05-16"},
            ),
            M(
                "C",
                "weixin",
                fills={"c": "石湾", "cs": "208", "je": "655", "big": "7"},
                ctx={"account": "公文写作参考", "date": "2023-03-02"},
            ),
        ],
    ),
]

# A mosaic: its own title, opening, headings and closing around paragraphs of two families.
MOSAIC = {
    "key": "M1",
    "site": "gov_tingyuan",
    "families": ["G10", "G21"],
    "fills": {"G10": {"cov": "74", "km": "38"}, "G21": {}},
    "lines": [
        "在全县冬季森林防火和安全生产工作会议上的讲话",
        "同志们：",
        "入冬以后，森林防火和安全生产都进入了一年中最吃紧的时段。县委、县政府决定把两项工作放在一起部署，"
        "就是要让大家绷紧同一根弦。下面，我分两个方面讲。",
        "一、关于森林防火",
        ("G10", 4),
        ("G10", 6),
        ("G10", 8),
        "二、关于安全生产",
        ("G21", 4),
        ("G21", 6),
        ("G21", 8),
        "同志们，防火和安全生产都是“一票否决”的硬任务，哪一头出了事都担不起。希望大家各负其责、紧盯不放，"
        "确保全县平安度过今冬明春。",
    ],
}

# Compilation pages: a page title, a heading style and the parts in order ("S:name" = a
# hand-written singleton from single/, "Gxx.K" = a family member).
COMPILATIONS = [
    {
        "key": "C1",
        "site": "yunjian",
        "title": "开学典礼讲话稿范文(精选4篇)",
        "heading": "{title}篇{n}",
        "intro": "开学典礼讲话稿怎么写？小编精选了4篇开学典礼讲话稿范文，供大家参考借鉴。",
        "parts": ["G15.C", "S:kaixue1", "G15.D", "S:kaixue2"],
    },
    {
        "key": "C2",
        "site": "moyan",
        "title": "党建讲话稿范文3篇",
        "heading": "【篇{n}】",
        "intro": "",
        "parts": ["G18.B", "S:dangke", "G16.C"],
    },
]

# News reports of different congresses that share only the wire formula: singletons.
NEWS_SINGLETONS = [
    {"key": "r1", "site": "tianheng"},
    {"key": "r2", "site": "luzhou", "source": "天衡日报"},
    {"key": "r3", "site": "weixin", "account": "公文写作参考", "source": "天衡日报"},
    {"key": "r4", "site": "tianheng"},
    {"key": "r5", "site": "tingzhou"},
    # provincial congresses sharing another formula (news/formula_prov.txt)
    {"key": "p1", "site": "tianheng"},
    {"key": "p2", "site": "luzhou", "source": "沅川日报"},
    {"key": "p3", "site": "tingzhou", "source": "青岚日报"},
    {"key": "p4", "site": "weixin", "account": "公文写作参考", "source": "临沣日报"},
    {"key": "p5", "site": "kuaibao"},
]

# Hand-written singletons (single/NAME.txt): site, chrome settings, transforms.
HAND_SINGLETONS = [
    # share one 44-character formula (f1a/f1b) or a 52-character one (f2a/f2b), or only stock phrases (f3a/f3b)
    {"key": "f1a", "site": "yunjian"},
    {"key": "f1b", "site": "gov_yuchuan", "ctx": {"date": "2023-05-22"}},
    {"key": "f2a", "site": "moyan"},
    {"key": "f2b", "site": "weixin", "ctx": {"account": "岭下镇发布", "date": "2023-06-03"}},
    {"key": "f3a", "site": "qianfan"},
    {"key": "f3b", "site": "plain"},
    # another drought report on a pinyin mirror
    {"key": "g30neg", "site": "kandian", "tf": [("pyascii", 11, 19)], "ctx": {"date": "2022-08-03"}},
    # generic short lines (同志们：, 一、提高认识, 谢谢大家！) in unrelated speeches
    {"key": "s5a", "site": "songtao"},
    {"key": "s5b", "site": "gov_lanxi"},
    {"key": "s5c", "site": "weixin", "ctx": {"account": "岚溪武装"}},
    {"key": "s5d", "site": "yunjian"},
    {"key": "s5e", "site": "qianfan"},
    # government pages as HTML records
    {"key": "hq1", "site": "gov_qinghe", "ctx": {"date": "2024-03-06"}},
    {"key": "hq2", "site": "gov_qinghe", "ctx": {"date": "2023-06-20"}},
    {"key": "hs1", "site": "gov_shuangxi", "ctx": {"date": "2023-02-14"}},
    {"key": "hy1", "site": "gov_yunshui", "ctx": {"date": "2023-08-29"}},
    {"key": "hy2", "site": "gov_yunshui", "ctx": {"date": "2023-10-20"}},
    {"key": "hs2", "site": "gov_shuangxi", "ctx": {"date": "2022-08-01"}},
    {"key": "hl1", "site": "gov_lingtou", "ctx": {"date": "2021-07-13"}},
    # same title and speaker line pattern as G31, another speech
    {"key": "st1", "site": "plain"},
]

# Two speeches of one county in two years, the second reusing a section of the first.
AMBIGUOUS = [
    {
        "keys": ["single/qiushou_amb_a.txt", "single/qiushou_amb_b.txt"],
        "site": "gov_tongling",
        "why": "the same county's 2022 and 2023 秋收 speeches: the 2023 one reuses the 2022 section 一 word for "
        "word and parts of 四 (about a third of it); a reader could call it a reused speech or two speeches",
    },
    {
        "keys": ["single/amb2_a.txt", "single/amb2_b.txt"],
        "sites": ["gov_tingyuan", "plain"],
        "dates": ["2023-05-10", "2023-05-19"],
        "why": "a town's 700-character speech repeats one 117-character instruction of the county's speech word for "
        "word (about 130 aligned characters in all); a reader could call it a reused passage or a quotation",
    },
]
