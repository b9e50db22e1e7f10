from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dupdetect.model.config import NormalizeConfig
from dupdetect.stages.normalize import normalize
from dupdetect.text import PLACEHOLDER, is_cjk, to_simplified


def test_traditional_and_simplified_copies_share_one_key() -> None:
    simplified = normalize("各级领导干部要统筹兼顾,确保人民群众生命财产安全。")
    traditional = normalize("各級領導幹部要統籌兼顧，確保人民群眾生命財產安全。")
    assert simplified.key == traditional.key


def test_full_width_forms_and_punctuation_spellings_fold() -> None:
    assert normalize("ＡＢＣ１２３“好”").key == normalize("abc123「好」").key


def test_cjk_text_drops_whitespace_but_latin_text_keeps_one_space() -> None:
    assert normalize("安全 生产\n工作").key == "安全生产工作"
    latin = normalize("Safety   first,\n\n  always.")
    assert latin.key == "safety first, always."
    assert not latin.cjk


def test_every_placeholder_spelling_becomes_one_token() -> None:
    text = "xxx同志、XX市、×××、○○、**、＊＊、__、某某、x月x日、20xx年、X同志、A同志"
    norm = normalize(text)
    assert norm.key.count(PLACEHOLDER) == 12
    found = [text[s.start : s.end] for s in norm.placeholders]
    assert found == ["xxx", "XX", "×××", "○○", "**", "＊＊", "__", "某某", "x月x日", "20xx", "X", "A"]


def test_masked_and_obfuscated_terms_are_placeholders() -> None:
    text = "学习贯彻***五中***全会精神,为党的20D胜利召开创造良好环境"
    norm = normalize(text)
    assert [text[s.start : s.end] for s in norm.placeholders] == ["***", "***", "20D"]


def test_single_x_inside_words_is_not_a_placeholder() -> None:
    norm = normalize("X光检查和Exxon公司以及box")
    assert PLACEHOLDER not in norm.key


def test_placeholder_masking_can_be_turned_off() -> None:
    assert PLACEHOLDER not in normalize("xx市", config=NormalizeConfig(mask_placeholders=False)).key


def test_replacement_character_does_not_break_the_key() -> None:
    assert normalize("身先士�卒").key == "身先士卒"


def test_to_simplified_never_changes_length() -> None:
    text = "臨汾新聞網訊 統籌兼顧"
    assert len(to_simplified(text)) == len(text)


def test_is_cjk() -> None:
    assert is_cjk("同志们, welcome")
    assert not is_cjk("Dear colleagues, 你好")


@given(st.text(alphabet=st.sampled_from("安全生产xX×*_ 　,，。“”ＡabＸ12\n某臨統○")))
def test_every_key_char_maps_to_a_slice_of_the_original(text: str) -> None:
    norm = normalize(text)
    assert len(norm.starts) == len(norm.ends) == len(norm.key)
    assert all(0 <= s < e <= len(text) for s, e in zip(norm.starts, norm.ends, strict=True))
    assert list(norm.starts) == sorted(norm.starts)
    for span in norm.placeholders:
        assert 0 <= span.start < span.end <= len(text)


_PIECES = [
    "xx",
    "x",
    "×××",
    "20",
    "2024",
    "x月x日",
    "某某",
    "同志",
    "年",
    "a",
    "ab",
    "[name]",
    "**",
    "__",
    "光",
    "○○",
    "3d",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text("的是在了会议市县", min_size=1, max_size=12)), max_size=40))
def test_placeholders_are_found_where_the_regex_engine_finds_them(pieces: list[str]) -> None:
    from dupdetect.stages.normalize import _PLACEHOLDER_FIRST, _PLACEHOLDER_RE, _placeholder_matches, _placeholders_at

    key = "".join(pieces)
    want = [m.span() for m in _PLACEHOLDER_RE.finditer(key)]
    assert [m.span() for m in _placeholder_matches(key)] == want
    where = [i for i, ch in enumerate(key) if ch in _PLACEHOLDER_FIRST]  # (the path Chinese text takes)
    assert [m.span() for m in _placeholders_at(key, where)] == want
