from __future__ import annotations

from dupdetect.stages.clean import find_chrome
from dupdetect.stages.metadata import clean_title, describe, find_date, find_site

PAGE = "\n".join(
    [
        "当前位置:首页 > 范文 > 在全市安全生产工作会议上的讲话(完整文档)",
        "在全市安全生产工作会议上的讲话(完整文档)",
        "发布时间:2024-3-5 10:00",
        "同志们:",
        "今天我们召开会议。",
        "版权所有:青禾范文网 2002-2024",
    ]
)


def test_title_date_and_site_of_a_page() -> None:
    info = describe(PAGE, find_chrome(PAGE))
    assert (info.title, info.date, info.site) == ("在全市安全生产工作会议上的讲话", "2024-03-05", "青禾范文网")


def test_site_is_returned_in_the_pages_script() -> None:
    text = "2022-03-21 09:20:53 來源:臨汾新聞網   瀏覽次數:"
    assert find_site(text, "2022-03-21 09:20:53 来源:临汾新闻网   浏览次数:") == "臨汾新聞網"


def test_dates_in_a_speech_heading() -> None:
    assert find_date("市长 王明\n(2023年2月16日)\n同志们:") == "2023-02-16"
    assert find_date("没有日期的讲话") == ""


def test_title_hint_when_the_part_has_no_title_line() -> None:
    info = describe("同志们:\n今天我们召开会议。", title_hint="在年全市疫情防控工作电视电话会上的讲话范文(17篇)")
    assert info.title == "在年全市疫情防控工作电视电话会上的讲话"


def test_clean_title_strips_site_decorations() -> None:
    assert clean_title("县委书记在专题会议讲话.docx") == "县委书记在专题会议讲话"
    assert clean_title("讲话稿范文(精选6篇)") == "讲话稿"
