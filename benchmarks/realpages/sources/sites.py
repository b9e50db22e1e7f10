"""Page chrome of the invented sites the corpus documents are "published" on.

Every site, name, domain, ICP number and account below is invented for the project. Each site
wraps a speech the way its kind of real site does: template sites add breadcrumbs, "下面是小编…"
blurbs and copyright/备案 footers; the document-preview site flattens the text and cuts it into
"N、" pages; the news portals add bylines and editors; the Traditional mirror leaves pinyin
debris; the WeChat accounts add an intro and "阅读原文" buttons; the PDF export keeps page numbers.

``header``/``footer`` get a context dict with: title, date (datetime.date), time (str),
rng (random.Random seeded by the document), related (titles of other pages on the site),
deco (title decoration), source, plus site-specific keys set by the generator.
``transforms`` are applied to the speech text (in this order) before the chrome is added:
see generate.py for what each does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Ctx = dict[str, Any]

# Where a header puts the page's own title line (the generator fills it in and tracks it).
T = "\ue0ff"


@dataclass(frozen=True)
class Site:
    key: str
    name: str  # the "site" field of the corpus record
    header: Callable[[Ctx], str]
    footer: Callable[[Ctx], str]
    years: tuple[int, int]  # publication years
    transforms: tuple[str, ...] = ()
    para_sep: str = "\n"
    placeholder_share: float = 0.0  # share of bank speeches shown with placeholders on this site
    script: str = "s"  # "t": the site shows Traditional script
    extra: dict[str, Any] = field(default_factory=dict)


def _d(ctx: Ctx, fmt: str = "iso") -> str:
    d: dt.date = ctx["date"]
    if fmt == "iso":
        return f"{d.year}-{d.month:02d}-{d.day:02d}"
    if fmt == "cn":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if fmt == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    raise ValueError(fmt)


def _rel(ctx: Ctx, i: int) -> str:
    rel = ctx["related"]
    return rel[i % len(rel)] if rel else ctx["title"]


# ---------------------------------------------------------------- template sites


def _moyan_h(c: Ctx) -> str:
    return (
        f"当前位置：首页 > 讲话稿 > {c['cat']} > {c['title']}\n\n"
        f"{T}{c['deco']}\n\n"
        f"发布时间：{_d(c)} {c['time']}\n\n"
        f"下面是小编给大家整理收集的{c['title']}，仅供参考，欢迎大家阅读。\n\n"
    )


def _moyan_f(c: Ctx) -> str:
    return (
        f"\n\n以上就是墨言文库小编为您整理的{c['title']}全部内容，更多{c['cat']}范文请关注本站。\n\n"
        f"上一篇：{_rel(c, 0)}\n下一篇：{_rel(c, 1)}\n\n"
        "版权所有：墨言文库 备案号：湘ICP备17008823号-2\n"
    )


def _yunjian_h(c: Ctx) -> str:
    return (
        f"首页 › 公文范文 › {c['cat']}\n"
        f"{T}{c['deco']}\n"
        f"更新时间：{_d(c, 'cn')}　　浏览：{c['rng'].randint(300, 9000)}次\n"
    )


def _yunjian_f(c: Ctx) -> str:
    return (
        "\n下载文档一键复制全文\n"
        "相关推荐\n"
        f"{_rel(c, 0)}\n{_rel(c, 1)}\n{_rel(c, 2)}\n"
        "Copyright © 2014-2024 云笺公文网 版权所有\n"
    )


def _shisui_h(c: Ctx) -> str:
    r: random.Random = c["rng"]
    pages = c["pages"]
    user = r.choice(["mo****ng", "lx****22", "wen****1", "qi****ao", "zh****99"])
    lines = [
        f"{c['title']}.docx",
        "",
        f"上传人：{user} 文档编号：{r.randint(100000, 999999)} 上传时间：{_d(c)} "
        f"格式：DOCX 页数：{pages} 大小：{r.randint(14, 60)}.{r.randint(10, 99)}KB",
        "下载 相关 举报",
    ]
    for p in range(1, min(pages, 4) + 1):
        lines += [f"{c['title']}.docx_第{p}页", f"第{p}页 / 共{pages}页"]
    lines += [
        f"该文档共{pages}页，免费预览已结束，下载后可查看完整内容。",
        "资源描述",
        "",
        f"《{c['title']}.docx》由会员分享，可在线阅读，更多相关《{c['title']}.docx({pages}页珍藏版)》请在拾穗文档上搜索。",
        "",
    ]
    return "\n".join(lines) + "\n"


def _shisui_f(c: Ctx) -> str:
    return "\n" + f"亲爱的用户，本文档共{c['pages']}页，剩余内容请下载后阅读。\n"


def _qianfan_h(c: Ctx) -> str:
    return (
        f"千帆文秘网 > 讲话致辞 > {c['cat']}\n"
        f"{T}{c['deco']}\n"
        f"作者:佚名　来源:网友投稿　时间:{_d(c)}\n"
        f"下面是小编为大家整理的{c['title']},供大家参考。\n"
    )


def _qianfan_f(c: Ctx) -> str:
    return (
        "\n【千帆文秘网】提供讲话稿、工作总结、心得体会等各类范文,仅供学习参考。\n"
        f"推荐访问:{_rel(c, 0)} {_rel(c, 1)}\n"
        "千帆文秘网 版权所有 苏ICP备20031877号\n"
    )


def _songtao_h(c: Ctx) -> str:
    return f"{T}{c['deco']}\n时间：{_d(c)}　栏目：{c['cat']}　阅读：{c['rng'].randint(50, 3000)}\n\n"


def _songtao_f(c: Ctx) -> str:
    n = c["rng"].randint(10000, 99999)
    return (
        f"\n\n【松涛范文网】本文地址：https://www.songtaofw.com/jianghua/{n}.html\n"
        "免责声明：本站文章均由网友投稿，内容仅供参考，如有侵权请联系删除。\n"
    )


def _twfan_h(c: Ctx) -> str:
    return f"筆耕範文網 › 講話稿 › {c['cat_t']}\n{T}\n發佈日期：{_d(c)}\n\n"


def _twfan_f(c: Ctx) -> str:
    return f"\n\n延伸閱讀：{_rel(c, 0)}\n筆耕範文網 版權所有 ©2015-2024\n"


# ---------------------------------------------------------------- news sites


def _tianheng_h(c: Ctx) -> str:
    return f"天衡日报 > 要闻 > 正文\n{T}\n{_d(c)} {c['time']}　来源：天衡日报\n\n"


def _tianheng_f(c: Ctx) -> str:
    return f"\n\n（责任编辑：{c['editor']}）\n天衡网 版权所有 未经授权禁止转载或建立镜像\n"


def _luzhou_h(c: Ctx) -> str:
    src = c.get("source") or "鹭洲新闻网"
    return f"{T}\n{_d(c)} {c['time']}　来源：{src}　浏览次数：\n"


def _luzhou_f(c: Ctx) -> str:
    return (
        f"\n编辑：{c['editor']}　审核：{c['checker']}\n"
        "【打印本页】【关闭窗口】\n"
        "主办：鹭洲市融媒体中心　版权所有　闽ICP备12006431号\n"
    )


def _tingzhou_h(c: Ctx) -> str:
    src = c.get("source") or "汀州新闻网"
    return f"首页 > 时政要闻\n{T}\n发布时间：{_d(c)} {c['time']}　来源：{src}\n"


def _tingzhou_f(c: Ctx) -> str:
    return f"\n责任编辑：{c['editor']}\n汀州新闻网版权所有，转载请注明出处\n"


def _chengjiang_h(c: Ctx) -> str:
    return f"{T}\n\n{_d(c)} {c['time']} 來源：澄泓資訊網(wǎng)   瀏覽次數(shù)：\n\n"


def _chengjiang_f(c: Ctx) -> str:
    return f"\n\n責(zé)任編輯：{c['editor_t']}\n澄泓資訊網(wǎng) 版權所有 未經(jīng)許可不得轉載\n"


def _kuaibao_h(c: Ctx) -> str:
    return f"资讯快报 | {T}\n{_d(c)} 来源：网络整理\n\n"


def _kuaibao_f(c: Ctx) -> str:
    return "\n\n声明：本文转载自网络，仅代表作者观点，不代表本站立场。\n"


# ---------------------------------------------------------------- others


def _bowen_h(c: Ctx) -> str:
    r = c["rng"]
    return (
        f"博文斋 > 心得体会 > 正文\n{T}\n"
        f"{_d(c, 'dot')} · 阅读 {r.randint(2, 60) / 10:.1f}万 · 收藏 {r.randint(10, 400)}\n\n"
    )


def _bowen_f(c: Ctx) -> str:
    return f"\n\n喜欢这篇文章？点赞收藏，分享给更多朋友。\n相关阅读：{_rel(c, 0)}\n"


def _weixin_h(c: Ctx) -> str:
    intro = c.get("intro") or ""
    return f"{T}\n原创 {c['account']} {_d(c)} {c['time'][:5]}\n\n" + (f"{intro}\n\n" if intro else "")


def _weixin_f(c: Ctx) -> str:
    src = c.get("source")
    return (
        "\n\n-END-\n" + (f"来源：{src}\n" if src else "") + f"编辑：{c['editor']}　审核：{c['checker']}\n"
        "点击“阅读原文”查看更多\n分享 收藏 点赞 在看\n"
    )


def _gov_h(c: Ctx) -> str:
    return f"首页 > 政务公开 > 领导讲话\n{T}\n发布时间：{_d(c)}　来源：{c['gov']}办公室　字号：[大 中 小]\n\n"


def _gov_f(c: Ctx) -> str:
    return f"\n\n[打印本页] [关闭窗口]\n主办单位：{c['gov']}办公室　网站标识码：{c['gov_code']}\n"


def _school_h(c: Ctx) -> str:
    return (
        f"{c['school']} > 校园动态 > 德育之窗\n{T}\n"
        f"发布者：校办公室　发布时间：{_d(c)}　点击数：{c['rng'].randint(80, 2000)}\n"
    )


def _school_f(c: Ctx) -> str:
    return f"\n{c['school']} 版权所有 技术支持：星河网络\n"


def _plain_h(c: Ctx) -> str:
    return ""


def _plain_f(c: Ctx) -> str:
    return ""


def _gov(key: str, gov: str, code: str, place: str, level: str) -> Site:
    return Site(
        key,
        f"{gov}网",
        _gov_h,
        _gov_f,
        (2019, 2024),
        para_sep="\n\n",
        extra={"gov": gov, "gov_code": code, "place": place, "level": level},
    )


SITES: dict[str, Site] = {
    s.key: s
    for s in [
        Site("moyan", "墨言文库", _moyan_h, _moyan_f, (2018, 2024), para_sep="\n\n", placeholder_share=0.5),
        Site("yunjian", "云笺公文网", _yunjian_h, _yunjian_f, (2019, 2024), placeholder_share=0.4),
        Site("shisui", "拾穗文档", _shisui_h, _shisui_f, (2020, 2024), ("flatten", "pagemarks"), placeholder_share=0.3),
        Site("qianfan", "千帆文秘网", _qianfan_h, _qianfan_f, (2018, 2023), ("halfwidth",), placeholder_share=0.4),
        Site(
            "songtao",
            "松涛范文网",
            _songtao_h,
            _songtao_f,
            (2019, 2024),
            ("inject",),
            para_sep="\n\n",
            placeholder_share=0.3,
        ),
        Site("twfan", "筆耕範文網", _twfan_h, _twfan_f, (2019, 2024), ("s2t",), para_sep="\n\n", script="t"),
        Site("tianheng", "天衡日报", _tianheng_h, _tianheng_f, (2018, 2024), para_sep="\n\n"),
        Site("luzhou", "鹭洲新闻网", _luzhou_h, _luzhou_f, (2019, 2024)),
        Site("tingzhou", "汀州新闻网", _tingzhou_h, _tingzhou_f, (2018, 2024)),
        Site(
            "chengjiang",
            "澄泓資訊網",
            _chengjiang_h,
            _chengjiang_f,
            (2019, 2024),
            ("s2t", "pinyin"),
            para_sep="\n\n",
            script="t",
        ),
        Site("kuaibao", "资讯快报", _kuaibao_h, _kuaibao_f, (2020, 2024), ("noise",), para_sep="\n\n"),
        Site("bowen", "博文斋", _bowen_h, _bowen_f, (2019, 2024), para_sep="\n\n"),
        Site("weixin", "微信公众号", _weixin_h, _weixin_f, (2019, 2024), para_sep="\n\n"),
        Site("school", "学校网站", _school_h, _school_f, (2019, 2024)),
        Site("plain", "", _plain_h, _plain_f, (2018, 2024)),
        _gov("gov_lanxi", "岚溪县人民政府", "4311270003", "岚溪", "县"),
        _gov("gov_baichuan", "柏川县人民政府", "3607330011", "柏川", "县"),
        _gov("gov_heming", "鹤鸣区人民政府", "5105020002", "鹤鸣", "区"),
        _gov("gov_yuchuan", "榆川市人民政府", "1409810006", "榆川", "市"),
        _gov("gov_tingyuan", "汀源县人民政府", "3508250019", "汀源", "县"),
        _gov("gov_tongling", "桐岭县人民政府", "4213210008", "桐岭", "县"),
    ]
}

# WeChat accounts and the people who edit the news pages (all invented).
ACCOUNTS = ["公文写作参考", "笔杆子驿站", "岚溪发布", "材料人之家", "基层工作札记"]
EDITORS = ["陈佳怡", "吴思远", "郑一鸣", "黄晓萌", "许可", "林静", "刘畅", "杨帆", "邓雨桐", "何晨"]
CATS = ["会议讲话", "领导讲话", "致辞发言", "工作部署", "党建材料"]

# Pinyin debris left by the Traditional mirror's converter: characters it annotated.
PINYIN = {
    "節": "jié",
    "網": "wǎng",
    "數": "shù",
    "調": "diào",
    "統": "tǒng",
    "內": "nèi",
    "執": "zhí",
    "區": "qū",
    "發": "fā",
    "現": "xiàn",
    "經": "jīng",
    "結": "jié",
    "據": "jù",
    "責": "zé",
    "確": "què",
}
