from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dupdetect.model.config import AlignConfig
from dupdetect.model.types import Span
from dupdetect.stages.align import Region, align_documents, align_keys, coverage, merge_regions
from dupdetect.stages.normalize import normalize
from dupdetect.stages.segment import segment

TEMPLATE = (
    "同志们:\n今天,我们在这里召开xx市安全生产工作会议,主要任务是深入贯彻落实上级关于安全生产工作的决策部署,"
    "总结20xx年全市安全生产工作,分析当前面临的形势,安排部署下一阶段的重点任务。\n"
    "刚才,xxx同志通报了全市安全生产情况,各位副市长结合分管领域作了很好的发言,讲得都很实在,我完全同意。"
)
COPY = (
    "各位同志:\n今天,我们在这里召开黑龙江省安全生产工作会议,主要任务是深入贯彻落实上级关于安全生产工作的决策部署,"
    "总结2023年全省安全生产工作,分析当前面临的形势,安排部署下一阶段的重点任务。\n"
    "刚才,王建国同志通报了全省安全生产情况,各位副省长结合分管领域作了很好的发言,讲得都很实在,我完全同意。"
)


def _align(a: str, b: str, config: AlignConfig = AlignConfig()):  # type: ignore[no-untyped-def]
    na, nb = normalize(a), normalize(b)
    ua, ub = segment(0, a, na), segment(1, b, nb)
    return align_documents(("a", "b"), (na, nb), [(x, y) for x in ua for y in ub], config=config)


def test_filled_copy_aligns_as_one_passage_across_its_slots() -> None:
    pair = _align(TEMPLATE, COPY)
    assert pair is not None
    assert len(pair.passages) == 1
    passage = pair.passages[0]
    assert "今天,我们在这里召开xx市" in TEMPLATE[passage.a.start : passage.a.end]
    assert COPY[passage.b.start : passage.b.end].endswith("我完全同意")
    assert passage.similarity > 0.8
    assert pair.coverage_a > 0.9 and pair.coverage_b > 0.9


def test_unrelated_texts_share_no_passage() -> None:
    other = (
        "春风送暖,万物复苏。学校要把立德树人作为根本任务,深化教育教学改革,让每一个孩子都享有公平而有质量的教育。" * 2
    )
    assert _align(TEMPLATE, other) is None


def test_a_short_shared_stock_phrase_is_not_a_passage() -> None:
    stock = "坚持人民至上、生命至上"
    a = f"{stock},全面加强农村人居环境整治,推动厕所革命和垃圾分类工作取得实效。"
    b = f"{stock},扎实做好秋冬季学校卫生防疫,确保师生身体健康和校园安全稳定。"
    assert _align(a, b) is None


def test_reordered_paragraphs_give_separate_passages() -> None:
    first = TEMPLATE.split("\n")[1]
    second = (
        "一要压实企业主体责任,督促企业落实全员安全生产责任制,健全隐患排查治理体系,"
        "做到责任、投入、培训、管理、应急救援五到位。"
    )
    pair = _align(f"{first}\n{second}", f"{second}\n{first}")
    assert pair is not None and len(pair.passages) == 2


def test_merge_joins_regions_that_continue_each_other() -> None:
    regions = [Region(0, 100, 0, 100), Region(110, 200, 105, 190), Region(150, 180, 10, 40), Region(210, 260, 0, 50)]
    merged = merge_regions(regions, max_gap=20)
    assert merged == [Region(0, 200, 0, 190), Region(150, 180, 10, 40), Region(210, 260, 0, 50)]


def test_align_keys_tolerates_a_filled_slot() -> None:
    (region,) = align_keys(
        "今天我们在" + "\ue000" + "召开全市安全生产工作会议", "今天我们在哈尔滨市召开全市安全生产工作会议"
    )
    assert (region.a_start, region.a_end, region.b_start, region.b_end) == (0, 18, 0, 21)
    assert region.longest == len("召开全市安全生产工作会议")


def test_coverage_counts_overlaps_once() -> None:
    assert coverage([Span(0, 10), Span(5, 20), Span(30, 40)], 100) == 0.3


sentence = st.text(alphabet=st.sampled_from("安全生产工作会议部署落实责任xX×,。\n 臨統"), min_size=10, max_size=80)


@settings(max_examples=60, deadline=None)
@given(st.lists(sentence, min_size=2, max_size=6), st.lists(sentence, min_size=0, max_size=3))
def test_passage_spans_slice_the_original_texts(shared: list[str], extra: list[str]) -> None:
    a = "\n".join(shared)
    b = "\n".join(extra + shared[::-1])
    pair = _align(a, b, AlignConfig(min_chars=5))
    if pair is None:
        return
    na, nb = normalize(a), normalize(b)
    for p in pair.passages:
        assert 0 <= p.a.start <= p.a.end <= len(a) and 0 <= p.b.start <= p.b.end <= len(b)
        assert p.a == na.to_span(p.key_a.start, p.key_a.end)
        assert p.b == nb.to_span(p.key_b.start, p.key_b.end)
        assert 0.0 <= p.similarity <= 1.0
    assert 0.0 <= pair.coverage_a <= 1.0 and 0.0 <= pair.coverage_b <= 1.0
