"""Stock phrases of the genre.

``STOCK_SENTENCES``: formula sentences the generator adds to many bank speeches (the way every
speech of the genre repeats them). ``STOCK_PHRASES``: the formulas that check.py removes before
measuring the longest run two unrelated documents share (they are the genre's common stock, not
reuse). These are standard political formulas, not text taken from any page.
"""

STOCK_SENTENCES = [
    "要坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。",
    "要增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
    "要坚持人民至上、生命至上，统筹发展和安全。",
    "各级各部门要守土有责、守土担责、守土尽责。",
    "一分部署，九分落实。",
    "要提高政治站位，强化责任担当。",
    "要以钉钉子精神抓好落实，一张蓝图绘到底。",
    "要坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念。",
    "要不断增强人民群众的获得感、幸福感、安全感。",
    "要以高质量发展的实际成效，为全面建设社会主义现代化国家贡献力量。",
]

STOCK_PHRASES = [
    *STOCK_SENTENCES,
    "以习近平新时代中国特色社会主义思想为指导",
    "坚持人民至上、生命至上",
    "守土有责、守土担责、守土尽责",
    "守土有责、守土尽责",
    "一分部署、九分落实",
    "党政同责、一岗双责、齐抓共管、失职追责",
    "管行业必须管安全、管业务必须管安全、管生产经营必须管安全",
    "管发展必须管环保、管生产必须管环保、管行业必须管环保",
    "管行业必须管安全",
    "绿水青山就是金山银山",
    "获得感、幸福感、安全感",
    "不忘初心、牢记使命",
    "平常时候看得出来、关键时刻站得出来、危急关头豁得出来",
    "属地管理、分级负责，谁主管、谁负责",
    "统筹发展和安全",
    "应转尽转、应转早转",
    "同志们：",
]

# One formula shared by two otherwise unrelated singletons (the hard negatives next to the partial
# overlaps G26-G29): check.py cuts them out like the stock phrases and reports the pairs apart.
PAIR_FORMULAS = {
    ("f1a", "f1b"): "要坚持把群众满意不满意作为检验工作成效的根本标准，多办顺民意、解民忧、惠民生的实事好事。",
    ("f2a", "f2b"): "坚持“一河一策”，落实“一河一长”，做到河道有人管、管得住、管得好，"
    "努力让每一条河流都成为造福群众的幸福河",
}
STOCK_PHRASES += list(PAIR_FORMULAS.values())
