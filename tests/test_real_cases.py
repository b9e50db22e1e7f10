"""Rules drawn from real template and news pages (issue 16): each with the case it keeps out."""

from __future__ import annotations

from dupdetect import Config, detect
from tests.conftest import make_doc

# A county speech as template sites carry it (XX for the names a copy fills in).
TEMPLATE = """在全县春季动物防疫工作会议上的讲话
同志们：
今天，我们召开全县春季动物防疫工作会议，主要任务是动员全县上下进一步提高认识，认真研究部署今年春季动物防疫工作，确保不发生区域性重大动物疫情。刚才，XX同志通报了去年全县动物防疫工作情况，XX乡镇作了表态发言，讲得都很好，我完全同意。下面，我再讲三点意见。
一要进一步提高思想认识。动物防疫工作事关畜牧业健康发展，事关人民群众身体健康，事关社会和谐稳定。各乡镇、各部门要充分认识做好春季防疫工作的重要性和紧迫性，切实把思想和行动统一到县委、县政府的决策部署上来，以高度负责的态度抓好各项防控措施的落实。
二要全面落实防控措施。要以免疫接种为中心，坚持应免尽免、不留空白，做到乡不漏村、村不漏户、户不漏畜。要进行一次全面的排查摸底，对存栏畜禽逐户登记造册，建立健全免疫档案。要加强疫情监测和报告，发现可疑疫情及时处置，坚决做到早发现、早报告、早隔离、早处置。
三要切实加强组织领导。各乡镇主要负责同志是本辖区动物防疫工作的第一责任人，要亲自动员、亲自部署、亲自检查。县农业农村局要加强技术指导和督促检查，财政部门要保障防疫经费及时足额到位，各有关部门要密切配合，形成工作合力。
同志们，做好春季动物防疫工作责任重大，任务艰巨。我们要以更加坚定的决心、更加有力的措施，认真研究解决工作中遇到的新情况新问题，确保全县畜牧业持续健康发展。
"""

# A synonym spinner's word swaps, as real spun copies show them (two-character words for two-character words).
SPIN = [
    ("召开", "举行"),
    ("主要任务", "首要任务"),
    ("动员", "发动"),
    ("进一步提高认识", "更进一步增强认识"),
    ("认真研究", "仔细讨论"),
    ("部署", "安排"),
    ("确保", "保证"),
    ("通报了", "通告了"),
    ("讲得都很好", "讲得都非常好"),
    ("完全同意", "十分赞同"),
    ("再讲三点意见", "再谈三点看法"),
    ("健康发展", "良好发展"),
    ("身体健康", "身心健康"),
    ("充分认识", "全面认识"),
    ("重要性和紧迫性", "重要意义和紧迫程度"),
    ("切实", "实实在在地"),
    ("统一到", "集中到"),
    ("高度负责", "高度认真"),
    ("各项", "各种"),
    ("落实", "实施"),
    ("以免疫接种为中心", "以免疫注射为核心"),
    ("坚持", "坚守"),
    ("进行", "开展"),
    ("全面的", "全方位的"),
    ("逐户", "挨家挨户"),
    ("建立健全", "建立完善"),
    ("加强", "强化"),
    ("及时处置", "马上处理"),
    ("坚决做到", "坚定做到"),
    ("主要负责同志", "主要负责人"),
    ("亲自", "亲身"),
    ("技术指导", "技术辅导"),
    ("督促检查", "督查"),
    ("保障", "保证"),
    ("密切配合", "紧密协作"),
    ("形成", "构成"),
    ("责任重大", "责任重要"),
    ("任务艰巨", "任务繁重"),
    ("更加", "愈加"),
    ("新情况新问题", "新状况新难题"),
    ("持续", "连续"),
    ("事关", "关系到"),
    ("疫情监测", "疫情监控"),
    ("登记造册", "登记成册"),
    ("排查摸底", "摸排"),
    ("不留空白", "不留死角"),
    ("会议", "大会"),
]

# Two city news reports of different meetings written on one formula (会标, 国徽, 应到/实到, 主持):
# the formula's pieces sit among each report's own names, dates and numbers.
FORMULA = (
    "{city}人大常委会召开第{k}次会议\n"
    "本报讯（记者 {r}）{date}上午，{meeting}在{place}开幕。会场庄严肃穆，"
    "主席台上方悬挂着“{meeting}”的会标，帷幕正中悬挂着国徽，十面红旗分列两侧。"
    "会议应到委员{n}人，实到{m}人，符合法定人数。{chair}主持会议。全体起立，奏唱国歌。\n{body}\n"
    "会议还审议了{other}。会议经表决，通过了有关决议，并向被任命人员颁发了任命书。{chair2}等出席会议，{orgs}负责同志列席会议。\n"
)
REPORT_A = {
    "city": "青河市",
    "k": "十二",
    "r": "周明远",
    "date": "3月8日",
    "meeting": "青河市第十七届人大常委会第十二次会议",
    "place": "市人大常委会会议厅",
    "n": "41",
    "m": "38",
    "chair": "市人大常委会主任郑国华",
    "body": (
        "会议听取了市政府关于全市农业面源污染治理情况的报告。报告指出，"
        "去年以来全市推广测土配方施肥一百二十万亩，畜禽粪污综合利用率达到百分之八十六，"
        "建成生态沟渠九十公里，主要河流断面水质稳定达标。委员们认为，治理工作取得了阶段性成效，"
        "但化肥减量的基础还不牢固，部分乡镇养殖废弃物处理设施运行不正常，建议加大资金投入，"
        "完善长效管护机制，推动治理由点向面拓展。"
    ),
    "other": "关于批准市级决算的决议草案和有关人事任免事项",
    "chair2": "副主任李文清、王慧敏、陈志刚",
    "orgs": "市政府、市监委、市中级法院、市检察院",
}
REPORT_B = {
    "city": "南屏市",
    "k": "二十一",
    "r": "何晓雪",
    "date": "10月27日",
    "meeting": "南屏市第十六届人大常委会第二十一次会议",
    "place": "南屏会堂",
    "n": "37",
    "m": "35",
    "chair": "市人大常委会主任黄立新",
    "body": (
        "会议首先听取了市教育局关于义务教育优质均衡发展工作情况的报告。"
        "今年全市新建改扩建中小学校十四所，新增学位一万一千个，城区大班额全部消除，"
        "乡村教师周转宿舍覆盖所有乡镇。审议中，常委会组成人员建议进一步优化学校布局，"
        "加大紧缺学科教师招聘力度，落实课后服务经费保障，让每个孩子都能享有公平而有质量的教育。"
        "会议还进行了专题询问，六名委员现场提问，相关部门负责人逐一作答。"
    ),
    "other": "市人民政府关于城市排水管网建设情况的报告",
    "chair2": "副主任赵新民、孙丽华",
    "orgs": "市政府有关部门",
}


def _spun(every: int) -> str:
    text = TEMPLATE.replace("XX同志", "王建华同志").replace("XX乡镇", "石桥镇")
    for old, new in SPIN[::every]:
        text = text.replace(old, new)
    return text


def _longest_common_run(a: str, b: str) -> int:
    from difflib import SequenceMatcher

    return max(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def test_a_copy_reworded_throughout_joins_its_template() -> None:
    spun = _spun(every=2)
    assert _longest_common_run(TEMPLATE, spun) < 60  # no run long enough for the verbatim rule
    report = detect([make_doc("template.txt", TEMPLATE), make_doc("spun.txt", spun)], jobs=1)
    (family,) = report.families
    assert (family.members, family.template) == (("spun.txt", "template.txt"), "template.txt")
    (pair,) = report.pairs
    assert pair.longest_run < 60 and min(pair.coverage_a, pair.coverage_b) > 0.9


def test_reworded_copies_need_the_reworded_rule() -> None:
    spun = _spun(every=2)
    config = Config().with_overrides(families={"reworded_coverage": 1.01})
    report = detect([make_doc("template.txt", TEMPLATE), make_doc("spun.txt", spun)], config=config, jobs=1)
    assert report.families == () and len(report.pairs) == 1


def test_reports_sharing_a_wire_formula_are_no_family() -> None:
    docs = [make_doc("a.txt", FORMULA.format(**REPORT_A)), make_doc("b.txt", FORMULA.format(**REPORT_B))]
    report = detect(docs, jobs=1)
    (pair,) = report.pairs  # the formula is found and aligned ...
    assert pair.shared_chars >= 150 and min(pair.coverage_a, pair.coverage_b) >= 0.5
    assert report.families == ()  # ... but its pieces among the reports' own facts make no family


# Three sites, three pages each: every page a speech with its own salutation, numbered headings and
# thanks on lines of their own (as copies of one template share them), inside each site's frame.
_SITES = {
    "mowen": ("墨林范文网 首页 > 讲话稿 > 会议讲话", "本文档共2页，下载后可查看完整内容", "[打印本页] [关闭窗口]"),
    "county": ("青禾县人民政府 政务公开 > 领导讲话", None, "【打印本页】【关闭窗口】"),
    "wechat": ("长按二维码关注青禾发布", None, "点击阅读原文 分享 收藏 在看"),
}
_TOPICS = ["春耕生产", "森林防火", "安全生产"]


def _speech(topic: str, n: int) -> list[str]:
    return [
        f"在全县{topic}工作会议上的讲话（{n}）",
        "同志们：",
        f"今天召开全县{topic}工作会议，主要任务是回顾第{n}阶段的工作，分析当前面临的形势，安排部署下一阶段的重点任务，"
        f"动员全县上下进一步统一思想、明确目标，扎实做好{topic}各项工作。",
        "一、肯定成绩，坚定信心",
        f"过去一段时间，各乡镇、各部门认真落实县委、县政府关于{topic}的决策部署，第{n}批重点项目按期推进，"
        "基层基础不断夯实，群众满意度稳步提升，为全年目标任务的完成打下了坚实基础。",
        "二、突出重点，狠抓落实",
        f"要聚焦{topic}的薄弱环节，逐项制定整改措施，明确责任单位和完成时限，做到任务到岗、责任到人，"
        f"确保第{n}项重点工作落地见效，不留死角、不走过场。",
        "三、加强领导，确保实效",
        "坚持问题导向，聚焦短板弱项",
        "各级各部门主要负责同志要亲自抓、负总责，分管领导要靠前指挥、具体抓，形成一级抓一级、层层抓落实的工作格局。",
        "谢谢大家！",
    ]


def _page(site: str, topic: str, n: int) -> str:
    header, notice, footer = _SITES[site]
    lines = _speech(topic, n)
    if notice:
        lines.insert(5, notice)
    return "\n".join([header, *lines, footer]) + "\n"


def test_a_speeches_own_lines_stay_and_each_sites_frame_goes() -> None:
    from dupdetect import Document, Span
    from dupdetect.engine.pipeline import clean_corpus

    docs = []
    for site in _SITES:
        for n, topic in enumerate(_TOPICS, 1):
            text = _page(site, topic, n)
            docs.append(Document(f"{site}/{n}", f"{site}/{n}.txt", text, Span(0, len(text)), "utf-8", topic))
    for cleaned in clean_corpus(docs):
        text = cleaned.doc.text
        removed = {text[r.span.start : r.span.end].strip() for r in cleaned.removals}
        header, notice, footer = _SITES[cleaned.doc.id.split("/")[0]]
        assert {header, footer} <= removed  # each site's frame, above, below and (mowen) between the paragraphs
        assert notice is None or notice in removed
        kept = {
            "同志们：",
            "一、肯定成绩，坚定信心",
            "二、突出重点，狠抓落实",
            "坚持问题导向，聚焦短板弱项",
            "谢谢大家！",
        }
        assert not removed & kept  # a heading that reads as none is kept because three sites hold it in their body


# A news report and a speech that share one passage of a few sentences, each inside paragraphs of its own,
# cut in other places: the MinHash of the paragraphs agrees too little for a candidate.
SHARED = (
    "全县上下要把防汛救灾作为当前最重要的工作来抓，各乡镇主要负责同志要坐镇指挥，分管同志要深入一线。"
    "水利部门要对全县十二座小型水库逐一落实安全管理责任人，对病险水库一律空库运行，坚决防止垮坝事故发生。"
    "气象、水文部门要加密监测频次，每三小时报告一次雨情水情，遇有重大变化随时报告。"
    "自然资源部门要对全县一百四十处地质灾害隐患点开展拉网式排查，对受威胁群众提前转移避险，做到应转尽转、不漏一人。"
)
A_BEFORE = (
    "本报讯 昨天下午，县委书记在县防汛指挥中心主持召开专题会议，听取近期雨情汛情和防汛准备情况汇报，"
    "对全县防汛工作进行再部署、再落实。会议首先观看了近期强降雨过程的雷达回波图，县气象局、县水利局分别作了汇报。"
    "县委书记在讲话中指出，今年我县入汛偏早，降雨偏多，防汛形势不容乐观。"
)
A_AFTER = "会议还研究了防汛物资储备和抢险队伍建设等事项。县领导班子成员，各乡镇、县直有关部门主要负责人参加会议。"
B_BEFORE = (
    "在全县防汛工作调度会上的讲话要点\n同志们：近期我县连续遭遇强降雨天气，部分乡镇出现内涝，"
    "一些道路和农田受到不同程度影响。在此，我代表县委、县政府向奋战在防汛一线的同志们表示衷心的感谢。"
    "下面，我就做好当前防汛工作强调几点意见。"
)
B_AFTER = (
    "最后，各级各部门要严格执行二十四小时值班和领导带班制度，值班人员必须在岗在位，确保信息畅通。"
    "对因工作不力造成严重后果的，要依法依规严肃追究有关人员责任。"
)


def _reports_sharing_a_passage() -> list:  # type: ignore[type-arg]
    cut = SHARED.index("气象")
    speech = B_BEFORE + SHARED[:cut] + "\n" + SHARED[cut:] + B_AFTER
    return [make_doc("report.txt", A_BEFORE + SHARED + A_AFTER), make_doc("speech.txt", speech)]


def test_a_passage_shared_inside_paragraphs_cut_differently_is_found() -> None:
    report = detect(_reports_sharing_a_passage(), jobs=1)
    (pair,) = report.pairs
    assert pair.shared_chars >= len(SHARED) - 5 and pair.longest_run >= 60
    assert len(pair.passages) == 1
    assert [f.members for f in report.families] == [("report.txt", "speech.txt")]


def test_without_sentence_anchors_the_shared_passage_is_missed() -> None:
    config = Config().with_overrides(candidates={"sentence_anchor": None})
    assert detect(_reports_sharing_a_passage(), config=config, jobs=1).pairs == ()


def _excerpt(chars: int) -> tuple[str, str]:
    """A copy of the template and an aggregator's preview: its own title, the copy's first section cut short."""
    full = TEMPLATE.replace("XX同志", "王建华同志").replace("XX乡镇", "石桥镇")
    start = full.index("一要")
    return full, "青禾县春季动物防疫工作会议召开\n" + full[start : start + chars] + "……\n阅读全文\n"


def test_a_short_excerpt_inside_a_longer_copy_joins_its_family() -> None:
    full, excerpt = _excerpt(120)
    report = detect([make_doc("full.txt", full), make_doc("excerpt.txt", excerpt)], jobs=1)
    (pair,) = report.pairs
    assert pair.shared_chars < 150 and pair.coverage_a > 0.8  # under the family rule's 150 characters ...
    assert [f.members for f in report.families] == [("excerpt.txt", "full.txt")]  # ... but nearly all of it
    off = Config().with_overrides(families={"excerpt_coverage": 1.01})
    assert detect([make_doc("full.txt", full), make_doc("excerpt.txt", excerpt)], config=off, jobs=1).families == ()


def test_a_long_text_quoting_a_short_stretch_is_no_family() -> None:
    full, excerpt = _excerpt(120)
    own = "".join(_speech(topic, n)[2] for n, topic in enumerate(_TOPICS * 2, 1))  # 600 characters of its own
    quoting = excerpt.replace("……\n阅读全文\n", "") + own
    report = detect([make_doc("full.txt", full), make_doc("quoting.txt", quoting)], jobs=1)
    (pair,) = report.pairs
    assert 100 <= pair.shared_chars < 150 and max(pair.coverage_a, pair.coverage_b) < 0.3
    assert report.families == ()


# A county economic-work speech: the title, the speaker line and the date line change from copy to copy.
_ECONOMY = """同志们：
这次全县经济工作会议的主要任务是，全面贯彻落实中央和省委、市委经济工作会议精神，总结过去一年的经济工作，分析当前经济形势，安排部署明年的经济工作。
过去一年，面对复杂严峻的外部环境，全县上下坚持稳中求进工作总基调，经济运行总体平稳、稳中向好，地区生产总值增长百分之六点二，一般公共预算收入增长百分之五点八。
明年是实施“十四五”规划承上启下的关键之年，做好经济工作意义重大。我们要坚定信心、真抓实干，推动全县经济实现质的有效提升和量的合理增长。
要突出抓好项目建设，实行县级领导包联重点项目制度，推动项目早开工、早投产、早见效。要着力优化营商环境，深化“放管服”改革，让企业办事更加便捷高效。
同志们，新的一年任务艰巨、使命光荣。让我们紧密团结在以习近平同志为核心的党中央周围，奋力开创全县经济社会高质量发展新局面！
"""


def _economy_family() -> list:  # type: ignore[type-arg]
    template = "在xx县20xx年经济工作会议上的讲话\n县委书记 ×××\n（20xx年x月x日）\n" + _ECONOMY
    edited = _ECONOMY.replace("同志们，新的一年", "同志们，王建国同志强调，新的一年")  # the speaker named in the body
    return [
        make_doc("t.txt", template),
        make_doc("a.txt", "在青禾县2023年经济工作会议上的讲话\n县委书记 王建国\n（2023年12月26日）\n" + edited),
        make_doc("b.txt", "在柳河县2024年经济工作会议上的讲话\n县委书记 李明\n（2024年1月8日）\n" + _ECONOMY),
    ]


def test_the_title_speaker_and_date_lines_are_slots_and_a_body_change_is_an_edit() -> None:
    from rich.console import Console

    from dupdetect.model.serialize import report_to_dict
    from dupdetect.views.html import render_html
    from dupdetect.views.terminal import render_template

    docs = _economy_family()
    report = detect(docs, jobs=1)
    (family,) = report.families
    assert family.template == "t.txt"
    fills = [(s.template_text, s.fills["a.txt"], s.fills["b.txt"]) for s in report.slots]
    assert fills == [
        ("xx", "青禾", "柳河"),
        ("20xx", "2023", "2024"),
        ("×××", "王建国", "李明"),
        ("20xx", "2023", "2024"),
        ("x月x日", "12月26日", "1月8日"),
    ]
    (edit,) = report.edits
    assert (edit.doc, edit.template_text, edit.text) == ("a.txt", "", "，王建国同志强调")
    assert report_to_dict(report)["edits"][0]["text"] == "，王建国同志强调"
    console = Console(record=True, width=120)
    console.print(render_template(report, "F1"))
    assert "王建国同志强调" in console.export_text()  # dupdetect template lists it
    page = render_html(report, {d.id: d.text for d in docs})
    assert '<span class="edit">，王建国同志强调</span>' in page  # the family's edits table
    assert 'class="p c0 edit"' in page or 'edit"' in page  # and it is marked in the text


def test_a_heading_unit_made_of_fills_joins_the_passage_after_it() -> None:
    """The copy's title, byline and speaker lines share too few shingles with the template's for a candidate
    (the fills and the byline are most of them): the passage below grows over them."""
    template = "在xx县20xx年经济工作会议上的讲话范文\n县委书记 ×××\n（20xx年x月x日）\n" + _ECONOMY
    byline = "原创 基层工作札记 2024-01-05 10:48"
    copy = f"在青禾县2023年经济工作会议上的讲话\n{byline}\n县委书记 王建国\n（2023年12月26日）\n" + _ECONOMY
    report = detect([make_doc("t.txt", template), make_doc("a.txt", copy)], jobs=1)
    assert [(s.template_text, s.fills["a.txt"]) for s in report.slots] == [
        ("xx", "青禾"),
        ("20xx", "2023"),
        ("×××", "王建国"),
        ("20xx", "2023"),
        ("x月x日", "12月26日"),
    ]
    (pair,) = report.pairs
    assert pair.passages[0].b.start == 0  # from the copy's first character


def test_the_alignment_keeps_a_name_with_its_title() -> None:
    """Of the LCS's equally long answers, the one that keeps 县委书记 whole (not 县 from 丰乐县)."""
    from dupdetect.stages.align import matching_runs

    template = "讲话范文县委书记\ue000(\ue000年\ue000)同志们"
    copy = "范文网讲话稿在丰乐县2023年经济工作会议上的讲话县委书记刘建华(2023年12月27日)同志们"
    runs = [(template[a0:a1], copy[b0:b1]) for a0, a1, b0, b1 in matching_runs(template, copy)]
    assert ("县委书记", "县委书记") in runs


def test_a_copy_that_dropped_the_speaker_lines_has_no_fills_there() -> None:
    template = "在xx县20xx年经济工作会议上的讲话\n县委书记 ×××\n（20xx年x月x日）\n" + _ECONOMY
    copy = "在青禾县2023年经济工作会议上的讲话\n" + _ECONOMY  # the speaker and the date left out, not emptied
    report = detect([make_doc("t.txt", template), make_doc("a.txt", copy)], jobs=1)
    assert [(s.template_text, s.fills.get("a.txt")) for s in report.slots] == [
        ("xx", "青禾"),
        ("20xx", "2023"),
        ("×××", None),
        ("20xx", None),
        ("x月x日", None),
    ]


def test_a_spinners_swaps_are_its_edits_not_slots() -> None:
    filled = TEMPLATE.replace("XX同志", "李明同志").replace("XX乡镇", "城关镇")
    docs = [make_doc("template.txt", TEMPLATE), make_doc("spun.txt", _spun(every=2)), make_doc("filled.txt", filled)]
    report = detect(docs, jobs=1)
    assert [(s.kind, s.template_text) for s in report.slots] == [("explicit", "XX"), ("explicit", "XX乡")]
    assert [s.fills for s in report.slots] == [
        {"filled.txt": "李明", "spun.txt": "王建华"},
        {"filled.txt": "城关", "spun.txt": "石桥"},
    ]
    swaps = {(e.template_text, e.text) for e in report.edits if e.doc == "spun.txt"}
    assert {("召开", "举行"), ("认真研究", "仔细讨论")} <= swaps
