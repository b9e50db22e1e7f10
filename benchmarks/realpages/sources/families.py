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
  ``("promo", text)``, ``("noise",)``, ``("pinyin",)``.
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
]

# Two speeches of one county in two years, the second reusing a section of the first.
AMBIGUOUS = [
    {
        "keys": ["single/qiushou_amb_a.txt", "single/qiushou_amb_b.txt"],
        "site": "gov_tongling",
        "why": "the same county's 2022 and 2023 秋收 speeches: the 2023 one reuses the 2022 section 一 word for "
        "word and parts of 四 (about a third of it); a reader could call it a reused speech or two speeches",
    }
]
