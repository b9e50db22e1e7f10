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
import html
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
    # a site whose pages are records with an "html" field: (ctx, title, body lines) -> the page
    html: Callable[[Ctx, str, list[str]], str] | None = None


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


def _mirror_kandian_h(c: Ctx) -> str:
    reads = c["rng"].randint(1000, 90000)
    return f"看点资讯站 首页 | 热点 | 本地 | 视频 | 图片\n{T}\n{_d(c)} {c['time']}  来源：网络  阅读：{reads}\n\n"


def _mirror_kandian_f(c: Ctx) -> str:
    return (
        f"\n\n本文来源于网络，如有侵权请联系删除。\n热门推荐：{_rel(c, 0)}  {_rel(c, 1)}\n"
        "看点资讯站 kandianzx.cn 版权所有\n"
    )


def _mirror_huiju_h(c: Ctx) -> str:
    return f"头条汇聚网 > 社会 > 正文\n{T}\n发布时间：{_d(c)}\n"


def _mirror_huiju_f(c: Ctx) -> str:
    return f"\n相关阅读：{_rel(c, 0)}\n免责声明：本站内容来自互联网，不代表本站观点。\n头条汇聚网 © 2019-2024\n"


def _mirror_sudi_h(c: Ctx) -> str:
    return f"{T}\n速递新闻网　{_d(c, 'cn')}\n\n"


def _mirror_sudi_f(c: Ctx) -> str:
    return f"\n\n（本文转载自网络）\n上一篇：{_rel(c, 0)}\n下一篇：{_rel(c, 1)}\n速递新闻网版权所有 浙ICP备21004496号\n"


def _zhaiyao_h(c: Ctx) -> str:
    return f"公文摘要网 > 讲话稿 > {c['cat']}\n{T}\n来源：网络整理　{_d(c)}\n"


def _zhaiyao_f(c: Ctx) -> str:
    return f"……\n阅读全文\n点击查看更多“{c['title']}”相关范文\n猜你喜欢：{_rel(c, 0)}\n公文摘要网 版权所有\n"


def _plain_h(c: Ctx) -> str:
    return ""


def _plain_f(c: Ctx) -> str:
    return ""


# ---------------------------------------------------------------- government pages as HTML records

_CENTER = ("县委书记", "县长", "县委副书记", "（")


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _is_head(line: str) -> bool:
    return len(line) < 30 and line[:2] in {f"{n}、" for n in "一二三四五六七八九"}


def _paras(lines: list[str], *, center: str, strong: str) -> str:
    out = []
    for ln in lines:
        if ln.startswith(_CENTER) and len(ln) < 30:
            out.append(f"<p {center}>{_e(ln)}</p>")
        elif _is_head(ln):
            out.append(f"<p><{strong}>{_e(ln)}</{strong}></p>")
        else:
            out.append(f"<p>{_e(ln)}</p>")
    return "\n".join(out)


def _html_qinghe(c: Ctx, title: str, lines: list[str]) -> str:
    t = _e(title)
    views = c["rng"].randint(120, 3000)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t}_青禾县人民政府</title>
<meta name="ArticleTitle" content="{t}">
<meta name="SiteName" content="青禾县人民政府">
<link rel="stylesheet" href="/css/common.css">
<script src="/js/jquery.min.js"></script>
</head>
<body>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="青禾县人民政府"></div>
<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zjqh/">走进青禾</a></li><li>
<a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
</ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a
href="/zwgk/ldjh/">领导讲话</a></div>
<div class="article">
<h1>{t}</h1>
<div class="info"><span>发布时间：{_d(c)}</span><span>来源：青禾县人民政府办公室</span><span>浏览次数：<em
id="views">{views}</em>
</span><span>【字体：<a>大</a> <a>中</a> <a>小</a>】</span></div>
<div class="TRS_Editor">
{_paras(lines, center='style="text-align: center;"', strong="strong")}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="pages"><p>上一篇：<a href="#">{_e(_rel(c, 0))}</a></p><p>下一篇：<a href="#">{_e(_rel(c, 1))}</a>
</p></div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a
href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer"><p>版权所有：青禾县人民政府办公室　主办单位：青禾县人民政府办公室</p>
<p>备案号：湘ICP备05031742号-1　网站标识码：4312250004</p>
<p>地址：青禾县城关镇人民路18号　联系电话：0743-2612345</p></div>
<script>document.getElementById("views").title = "浏览";</script>
</body>
</html>
"""


def _html_shuangxi(c: Ctx, title: str, lines: list[str]) -> str:
    t = _e(title)
    clicks = c["rng"].randint(80, 2000)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{t}_双溪县人民政府</title>
<link href="/style/main.css" rel="stylesheet" type="text/css" />
</head>
<body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="top"><img src="/images/banner.jpg" width="1000" height="120" alt="双溪县人民政府" /></td></tr>
<tr><td class="menu"><a href="/">网站首页</a> | <a href="/zwdt/">政务动态</a> | <a href="/xxgk/">信息公开</a> |
<a href="/bsfw/">办事服务</a> | <a href="/zmhd/">政民互动</a>
</td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="position">您现在的位置：<a href="/">首页</a> &gt;&gt; <a href="/zwdt/">政务动态</a> &gt;&gt;
讲话致辞</td></tr>
<tr><td align="center"><h1 class="title">{t}</h1></td></tr>
<tr><td class="info"
align="center">来源：双溪县政府办&nbsp;&nbsp;发布日期：{_d(c)}&nbsp;&nbsp;点击：{clicks}</td></tr>
<tr><td class="content" id="zoom">
{_paras(lines, center='align="center"', strong="b")}
</td></tr>
<tr><td class="close" align="right">【<a href="javascript:window.print()">打印</a>】【<a
href="javascript:window.close()">关闭</a>】</td></tr>
</table>
<table width="1000" border="0" align="center" class="footer"><tr><td align="center">
版权所有：双溪县人民政府办公室　主办单位：双溪县人民政府办公室<br />
备案号：赣ICP备10004417号　网站标识码：3607290002<br />技术支持：双溪县信息中心
</td></tr></table>
</body>
</html>
"""


def _html_yunshui(c: Ctx, title: str, lines: list[str]) -> str:
    t = _e(title)
    d: dt.date = c["date"]
    return f"""<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>{t}_沅水县人民政府</title>
<style>.hide{{display:none}} .article-content p{{text-indent:2em}}</style>
</head>
<body>
<header><div class="site-name">沅水县人民政府</div>
<nav><a href="/">首页</a><a href="/zfxxgk/">政府信息公开</a><a href="/zwfw/">政务服务</a><a href="/gzcy/">公众参与</a>
<a href="/sjkf/">数据开放</a></nav></header>
<div class="breadcrumb"><a href="/">首页</a> / <a href="/zfxxgk/">政府信息公开</a> / <a
href="/zfxxgk/ldhd/">领导活动</a></div>
<main><article>
<h1>{t}</h1>
<div class="meta">时间：{d.year}年{d.month}月{d.day}日　作者：县政府办公室　来源：沅水县人民政府</div>
<div class="article-content">
{_paras(lines, center='class="center"', strong="strong")}
</div>
<div class="hide">相关链接</div>
</article></main>
<footer><p>版权所有：沅水县人民政府办公室 主办单位：沅水县人民政府办公室 承办：沅水县融媒体中心</p>
<p>备案号：黔ICP备16002875号-2　网站标识码：5226310007</p></footer>
</body>
</html>
"""


def _html_lingtou(c: Ctx, title: str, lines: list[str]) -> str:
    """An old CMS's tag soup: unclosed <p>, misnested <font><b>, <div> inside <p>, <td> without a
    <table>, text straight in <body> after a chain of <br>. A browser still shows the speech."""
    r: random.Random = c["rng"]
    t = _e(title)
    body = []
    for n, ln in enumerate(lines):
        x = _e(ln)
        kind = r.randrange(6) if n else 0
        if kind == 0:
            body.append(f"<p>{x}")
        elif kind == 1:
            body.append(f"<font face=宋体 size=3><b>{x}</font></b>")
        elif kind == 2:
            body.append(f"<p><div>{x}</div>")
        elif kind == 3:
            body.append(f"<td>{x}</td>")
        elif kind == 4:
            body.append(f"<br><br><br>{x}")
        else:
            body.append(f'<p><span style="font-size:16px">{x}</p></span>')
    soup = "\n".join(body)
    return f"""<html>
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<title>{t}_岭头县人民政府</title>
<body bgcolor=#ffffff topmargin=0>
<table width=980 align=center><tr><td><a href=/>首页</a><td><a href=/zwgk>政务公开</a><td><a href=/bsfw>办事服务</a>
<td><a href=/hdjl>互动交流</a></table>
<p class=crumb>当前位置：首页 &gt; 政务公开 &gt; 讲话材料
<center><font size=4 color=#cc0000><b>{t}</font></b></center>
<p align=center>发布时间：{_d(c)}　来源：岭头县人民政府办公室
{soup}
<p><div align=right>【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class=foot>版权所有：岭头县人民政府办公室　主办单位：岭头县人民政府办公室
备案号：陇ICP备07001532号<br>网站标识码：6211240003
</html>
"""


def _html_site(key: str, name: str, render: Callable[[Ctx, str, list[str]], str]) -> Site:
    return Site(key, name, _plain_h, _plain_f, (2021, 2024), html=render)


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
        Site("kandian", "看点资讯站", _mirror_kandian_h, _mirror_kandian_f, (2021, 2024), para_sep="\n\n"),
        Site("huiju", "头条汇聚网", _mirror_huiju_h, _mirror_huiju_f, (2021, 2024)),
        Site("sudi", "速递新闻网", _mirror_sudi_h, _mirror_sudi_f, (2021, 2024), para_sep="\n\n"),
        Site("zhaiyao", "公文摘要网", _zhaiyao_h, _zhaiyao_f, (2021, 2024)),
        _html_site("gov_qinghe", "青禾县人民政府", _html_qinghe),
        _html_site("gov_shuangxi", "双溪县人民政府", _html_shuangxi),
        _html_site("gov_yunshui", "沅水县人民政府", _html_yunshui),
        _html_site("gov_lingtou", "岭头县人民政府", _html_lingtou),
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

# A spam mirror's reading aid (the G30 mirrors): pinyin without tone marks, in ASCII.
PINYIN_ASCII = {
    "一": "yi",
    "万": "wan",
    "三": "san",
    "上": "shang",
    "不": "bu",
    "业": "ye",
    "东": "dong",
    "两": "liang",
    "严": "yan",
    "中": "zhong",
    "临": "lin",
    "为": "wei",
    "举": "ju",
    "九": "jiu",
    "也": "ye",
    "乡": "xiang",
    "书": "shu",
    "买": "mai",
    "了": "le",
    "予": "yu",
    "二": "er",
    "于": "yu",
    "五": "wu",
    "产": "chan",
    "亩": "mu",
    "人": "ren",
    "介": "jie",
    "从": "cong",
    "代": "dai",
    "以": "yi",
    "件": "jian",
    "众": "zhong",
    "传": "chuan",
    "住": "zhu",
    "体": "ti",
    "作": "zuo",
    "供": "gong",
    "保": "bao",
    "信": "xin",
    "值": "zhi",
    "偏": "pian",
    "元": "yuan",
    "先": "xian",
    "党": "dang",
    "入": "ru",
    "全": "quan",
    "公": "gong",
    "六": "liu",
    "共": "gong",
    "农": "nong",
    "减": "jian",
    "出": "chu",
    "分": "fen",
    "利": "li",
    "到": "dao",
    "前": "qian",
    "加": "jia",
    "务": "wu",
    "动": "dong",
    "助": "zhu",
    "区": "qu",
    "十": "shi",
    "千": "qian",
    "占": "zhan",
    "县": "xian",
    "及": "ji",
    "发": "fa",
    "取": "qu",
    "受": "shou",
    "可": "ke",
    "台": "tai",
    "右": "you",
    "各": "ge",
    "同": "tong",
    "后": "hou",
    "启": "qi",
    "告": "gao",
    "员": "yuan",
    "和": "he",
    "响": "xiang",
    "喷": "pen",
    "四": "si",
    "回": "hui",
    "困": "kun",
    "在": "zai",
    "地": "di",
    "块": "kuai",
    "坪": "ping",
    "型": "xing",
    "城": "cheng",
    "墒": "shang",
    "增": "zeng",
    "备": "bei",
    "夏": "xia",
    "外": "wai",
    "多": "duo",
    "大": "da",
    "天": "tian",
    "失": "shi",
    "委": "wei",
    "孟": "meng",
    "安": "an",
    "对": "dui",
    "导": "dao",
    "少": "shao",
    "局": "ju",
    "山": "shan",
    "岱": "dai",
    "峰": "feng",
    "峻": "jun",
    "工": "gong",
    "左": "zuo",
    "已": "yi",
    "布": "bu",
    "帮": "bang",
    "常": "chang",
    "平": "ping",
    "年": "nian",
    "并": "bing",
    "广": "guang",
    "库": "ku",
    "应": "ying",
    "座": "zuo",
    "引": "yin",
    "往": "wang",
    "急": "ji",
    "总": "zong",
    "情": "qing",
    "成": "cheng",
    "户": "hu",
    "技": "ji",
    "抓": "zhua",
    "抗": "kang",
    "报": "bao",
    "抽": "chou",
    "指": "zhi",
    "挥": "hui",
    "损": "sun",
    "据": "ju",
    "排": "pai",
    "接": "jie",
    "措": "cuo",
    "提": "ti",
    "支": "zhi",
    "改": "gai",
    "数": "shu",
    "施": "shi",
    "日": "ri",
    "旱": "han",
    "时": "shi",
    "是": "shi",
    "最": "zui",
    "月": "yue",
    "有": "you",
    "服": "fu",
    "期": "qi",
    "本": "ben",
    "村": "cun",
    "条": "tiao",
    "来": "lai",
    "架": "jia",
    "查": "cha",
    "柱": "zhu",
    "次": "ci",
    "每": "mei",
    "比": "bi",
    "民": "min",
    "气": "qi",
    "水": "shui",
    "汛": "xun",
    "河": "he",
    "测": "ce",
    "深": "shen",
    "清": "qing",
    "溪": "xi",
    "滴": "di",
    "灌": "guan",
    "点": "dian",
    "物": "wu",
    "现": "xian",
    "生": "sheng",
    "用": "yong",
    "田": "tian",
    "由": "you",
    "申": "shen",
    "电": "dian",
    "畜": "chu",
    "百": "bai",
    "的": "de",
    "监": "jian",
    "目": "mu",
    "种": "zhong",
    "积": "ji",
    "移": "yi",
    "稳": "wen",
    "立": "li",
    "第": "di",
    "等": "deng",
    "简": "jian",
    "管": "guan",
    "米": "mi",
    "约": "yue",
    "级": "ji",
    "线": "xian",
    "组": "zu",
    "织": "zhi",
    "绍": "shao",
    "给": "gei",
    "络": "luo",
    "网": "wang",
    "群": "qun",
    "者": "zhe",
    "耐": "nai",
    "节": "jie",
    "蓄": "xu",
    "补": "bu",
    "讯": "xun",
    "记": "ji",
    "设": "she",
    "诉": "su",
    "询": "xun",
    "请": "qing",
    "象": "xiang",
    "购": "gou",
    "贴": "tie",
    "资": "zi",
    "赴": "fu",
    "足": "zu",
    "车": "che",
    "较": "jiao",
    "过": "guo",
    "近": "jin",
    "返": "fan",
    "送": "song",
    "通": "tong",
    "道": "dao",
    "部": "bu",
    "醒": "xing",
    "采": "cai",
    "里": "li",
    "重": "zhong",
    "量": "liang",
    "金": "jin",
    "镇": "zhen",
    "门": "men",
    "间": "jian",
    "队": "dui",
    "防": "fang",
    "附": "fu",
    "降": "jiang",
    "障": "zhang",
    "难": "nan",
    "雨": "yu",
    "面": "mian",
    "饮": "yin",
    "高": "gao",
    "柘": "zhe",
    "林": "lin",
    "科": "ke",
    "秋": "qiu",
    "粮": "liang",
    "玉": "yu",
    "雄": "xiong",
    "机": "ji",
    "连": "lian",
    "续": "xu",
    "效": "xiao",
    "正": "zheng",
    "关": "guan",
    "键": "jian",
    "看": "kan",
    "叶": "ye",
    "片": "pian",
    "新": "xin",
    "展": "zhan",
    "开": "kai",
    "遇": "yu",
    "干": "gan",
    "着": "zhao",
    "今": "jin",
    "社": "she",
    "配": "pei",
    "费": "fei",
    "还": "hai",
    "绝": "jue",
    "收": "shou",
    "超": "chao",
    "至": "zhi",
    "能": "neng",
    "份": "fen",
    "额": "e",
    "建": "jian",
    "术": "shu",
    "要": "yao",
    "印": "yin",
    "明": "ming",
    "白": "bai",
    "纸": "zhi",
    "手": "shou",
    "答": "da",
    "问": "wen",
    "周": "zhou",
    "内": "nei",
    "复": "fu",
    "咨": "zi",
    "修": "xiu",
    "井": "jing",
    "站": "zhan",
    "眼": "yan",
    "晴": "qing",
    "热": "re",
    "主": "zhu",
    "求": "qiu",
    "密": "mi",
    "切": "qie",
    "注": "zhu",
    "变": "bian",
    "化": "hua",
    "优": "you",
    "活": "huo",
    "做": "zuo",
    "播": "bo",
    "准": "zhun",
    "速": "su",
    "递": "di",
    "汇": "hui",
    "聚": "ju",
    "头": "tou",
    "首": "shou",
    "页": "ye",
    "推": "tui",
    "荐": "jian",
    "阅": "yue",
    "读": "du",
}
