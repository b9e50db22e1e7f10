from __future__ import annotations

from dupdetect import detect
from dupdetect.model.types import Removal, Span, removal_counts
from dupdetect.stages.clean import find_chrome, kept_lines, page_markers, repeated_lines
from dupdetect.stages.normalize import normalize
from tests.conftest import make_doc

BODY = "各级各部门要切实提高政治站位,把安全生产工作摆在更加突出的位置,层层压实责任,确保各项措施落到实处。"


def _removed(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in find_chrome(text):
        out.setdefault(r.rule, []).append(text[r.span.start : r.span.end])
    return out


def test_each_kind_of_chrome_line_is_named_by_its_rule() -> None:
    text = "\n".join(
        [
            "您的位置:首页 > 公文范文 > 讲话稿",
            "发布时间:2024-03-02",
            "下面是小编为大家整理的讲话稿,供大家参考。",
            BODY,
            "第2页 / 共9页",
            "展开阅读全文",
            "推荐访问:讲话 会议",
            "版权所有:某某范文网 备案号:京ICP备000000号",
        ]
    )
    assert _removed(text) == {
        "navigation": ["您的位置:首页 > 公文范文 > 讲话稿"],
        "metadata": ["发布时间:2024-03-02"],
        "blurb": ["下面是小编为大家整理的讲话稿,供大家参考。"],
        "pagination": ["第2页 / 共9页"],
        "call_to_action": ["展开阅读全文", "推荐访问:讲话 会议"],
        "footer": ["版权所有:某某范文网 备案号:京ICP备000000号"],
    }


def test_blurbs_name_the_site_between_their_stock_words() -> None:
    blurb = "下面是青禾文档网小编给大家带来的讲话材料,希望大家喜欢。"
    assert _removed(BODY + blurb + BODY) == {"blurb": [blurb]}


def test_traditional_chrome_is_found_too() -> None:
    assert _removed("版權所有:範文網\n" + BODY) == {"footer": ["版權所有:範文網"]}


def test_a_long_paragraph_that_mentions_a_chrome_word_is_text() -> None:
    paragraph = "各单位要做好信息发布工作,来源:" + BODY * 3
    assert _removed(paragraph) == {}


def test_injected_text_mid_sentence_is_cut_and_the_halves_join() -> None:
    text = "要严格落实外来当前隐藏内容免费查看人员排查措施。"
    assert _removed(text) == {"injected": ["当前隐藏内容免费查看"]}
    key = normalize(text, drop=[r.span for r in find_chrome(text)]).key
    assert key == "要严格落实外来人员排查措施."


def test_page_markers_that_cut_sentences_are_removed() -> None:
    text = "1、今天我们召开会议,主要任务是\n\n2、部署工作。要加强\n\n3、领导,压实\n\n4、责任。"
    markers = page_markers(text)
    assert [text[r.span.start : r.span.end] for r in markers] == ["1、", "2、", "3、", "4、"]
    key = normalize(text, drop=[r.span for r in markers]).key
    assert key == "今天我们召开会议,主要任务是部署工作.要加强领导,压实责任."


def test_list_numbering_after_finished_sentences_is_kept() -> None:
    text = "工作要求如下:\n1、加强领导。\n2、压实责任。\n3、强化督查。\n一、总体要求\n(一)基本原则"
    assert page_markers(text) == []
    assert find_chrome(text) == ()


def test_pinyin_debris_is_removed_only_after_han_characters() -> None:
    text = "临汾新闻網(wǎng)讯 统(tǒng)筹推进。公式(a)不变。"
    assert _removed(text) == {"pinyin": ["(wǎng)", "(tǒng)"]}


def test_replacement_marks_do_not_break_matching() -> None:
    cut = "坚决守住不发生规模性疫情的底线,每一名党员干部必须身先士\ufffd\n" + BODY
    whole = "坚决守住不发生规模性疫情的底线,每一名党员干部必须身先士卒," + BODY
    report = detect([make_doc("cut.txt", cut * 3), make_doc("whole.txt", whole * 3)])
    assert [f.members for f in report.families] == [("cut.txt", "whole.txt")]


def test_repeated_lines_are_learned_per_site_only() -> None:
    line = (0, 6, "关注公众号", 0)
    body = [(10, 50, f"正文{i}", 0) for i in range(6)]
    docs = [[line, body[i]] for i in range(6)]
    learned = repeated_lines(docs, ["a", "a", "a", "b", "c", "d"])
    assert [len(r) for r in learned] == [1, 1, 1, 0, 0, 0]
    assert learned[0][0] == Removal(Span(0, 6), "repeated_line")


def test_long_repeated_lines_are_never_learned() -> None:
    long = (0, 60, "安" * 60, 0)
    learned = repeated_lines([[long]] * 5, ["a"] * 5)
    assert learned == [[]] * 5


def test_kept_lines_skip_removed_text_and_removal_counts_count_by_rule() -> None:
    text = "版权所有:范文网\n正文第一段。\n"
    removals = find_chrome(text)
    assert kept_lines(text, removals) == [(9, 15, "正文第一段", 0)]
    assert removal_counts(removals) == {"footer": 1}


def test_kept_line_keys_are_measured_after_lower_casing() -> None:
    from dupdetect.stages.clean import kept_lines

    text = "İ" * 30 + "\n短行\n"
    assert [key for _, _, key, _ in kept_lines(text, [], max_chars=40)] == ["短行"]  # "i̇" * 30 is 60 characters
    assert len(kept_lines(text, [], max_chars=60)) == 2


def test_toneless_pinyin_annotations_are_debris_but_latin_words_in_brackets_stay() -> None:
    text = "水(shui)利等(deng)部门成(cheng)立了抗(kang)旱(han)。国内生产总值(GDP)和(PM2.5)浓度，下载(app)，见(a)款。"
    removed = [text[r.span.start : r.span.end] for r in find_chrome(text) if r.rule == "pinyin"]
    assert removed == ["(shui)", "(deng)", "(cheng)", "(kang)", "(han)"]


def test_mirrors_with_readings_inserted_at_different_places_form_one_family() -> None:
    import random

    from dupdetect import Config, detect
    from tests.conftest import make_doc

    news = (
        "本报讯 入夏以来，全县水利等部门成立了抗旱服务队，深入田间地头指导群众科学用水。"
        "截至目前，已修复灌溉渠道二十余公里，新打机井三十眼，保障了农作物正常生长。"
        "县防汛抗旱指挥部要求各乡镇加强值班值守，密切关注天气变化，及时发布预警信息。"
        "各村组织党员干部和志愿者，帮助缺水农户拉水送水，确保群众生活用水不受影响。"
        "下一步，全县将继续统筹水资源调度，全力打好抗旱保收这场硬仗。"
    )
    syllables = ["shui", "deng", "cheng", "kang", "han", "bu", "men", "li", "tian", "di"]

    def mirror(seed: int) -> str:
        rng = random.Random(seed)
        out = []
        for i, ch in enumerate(news):
            out.append(ch)
            if "\u4e00" <= ch <= "\u9fff" and i % 23 == seed % 23 and i + 1 < len(news) and news[i + 1] != "，":
                out.append(f"({rng.choice(syllables)})")
        return "".join(out)

    docs = [make_doc(f"m{s}.txt", mirror(s)) for s in (3, 11, 17)]
    report = detect(docs)
    assert [len(f.members) for f in report.families] == [3]
    assert min(p.longest_run for p in report.pairs) >= 60  # one text again once the readings are out
    without = detect(docs, config=Config().with_overrides(clean={"chrome": False}))
    assert max(p.longest_run for p in without.pairs) < 40  # with them, no run is long


def test_a_breadcrumb_without_home_and_a_blurbs_courtesy_are_chrome() -> None:
    text = (
        "筆耕範文網 › 講話稿 › 會議講話\n"
        "下面是小编给大家整理收集的在全县经济工作会议上的讲话，仅供参考，欢迎大家阅读。\n"
        "要做到a>b>c，确保稳定。\n"
        "一、肯定成绩\n"
    )
    found = [(r.rule, text[r.span.start : r.span.end]) for r in find_chrome(text)]
    assert found == [
        ("navigation", "筆耕範文網 › 講話稿 › 會議講話"),
        ("blurb", "下面是小编给大家整理收集的在全县经济工作会议上的讲话，仅供参考，欢迎大家阅读。"),
    ]  # a sentence with ">" in it is no breadcrumb


def test_call_to_action_lines_that_carry_a_title_are_chrome() -> None:
    text = (
        "……\n点击查看更多“在全县经济工作会议上的讲话”相关范文\n"
        "猜你喜欢：在全县安全生产工作会议上的讲话\n要点击查看更多的群众诉求。\n"
    )
    found = [text[r.span.start : r.span.end] for r in find_chrome(text)]
    assert found == ["点击查看更多“在全县经济工作会议上的讲话”相关范文", "猜你喜欢：在全县安全生产工作会议上的讲话"]
