"""GB 35181-2025《重大火灾隐患判定规则》: the fire library in force from 2025-11-01 (replaces GB 35181-2017).

THE TEXT OF THIS STANDARD COULD NOT BE FOUND. No stored copy (documentation, pages, public code)
holds its clauses: what could be read is only

- the standard's foreword as reprinted with the notice of its publication
  (https://news.43u.com.cn/a/1497949.html, citing the 国家标准信息公共服务平台 entry
  https://std.samr.gov.cn/gb/search/gbDetailed?id=33BE015BACE089EBE06397BE0A0A2966): 2025-11-01 实施,
  replaces GB 35181-2017; deletes the term 重要场所 and adds 儿童活动场所, 老年人照料设施,
  劳动密集型企业, 多业态混合生产经营场所 (ch. 3); deletes the 2017 chapter 4 (principles and procedure);
  changes the principles for what is not judged a major hazard or not counted as an element (4.2,
  was 2017 5.1.3); changes the direct elements (ch. 5, was 2017 ch. 6) and the combined elements
  (ch. 6, was 2017 ch. 7); adds annex A (when an automatic fire alarm system or a fixed extinguishing
  installation counts as not working);
- one element's content, without its clause number or kind (direct or combined), from the 国家消防救援局
  press conference of 2025-07-17 (https://www.163.com/dy/article/K4MC18G80512D3VJ.html): electric-bicycle
  parking or charging places in the 架空层 of residential buildings without fire separation from the
  building's light/ventilation shafts, public entrance halls, evacuation corridors, stairwells and exits;
- a reprint announced as the full text ("新国标!GB35181-2025《重大火灾隐患判定规则》 全文", 消防百事通,
  2025-04-30, https://www.fire114.cn/index/article/detail?i=136605). Its stored copy breaks off after the
  foreword and the first sentence of the introduction; what it adds: published 2025-04-25 by 国家市场监督
  管理总局 and 国家标准化管理委员会, in force 2025-11-01, proposed and administered (归口) by 国家消防救援局,
  the first revision of GB 35181-2017. The clauses themselves are not in the stored copy;
- the chapter headings, from public code that splits the standard's PDF into chapters
  (zhaoyijia-web/rag-knowledge-base, langchain_rag_pipeline.py: "3 术语和定义", "4 判定规则", "5 直接判定要素",
  "6 综合判定要素", "附录 A"); the PDF itself is not stored as text.

- the press conference of 市场监管总局 (国家标准委) and 应急管理部 of 2025-05-13 presenting the standard
  (央视新闻 at https://hot.dzwww.com/w_ymWr; 新华社 at https://politics.gmw.cn/2025-05/14/content_38023901.htm;
  南方周末 at https://y666888.com/article/tt/18134.html; 北京日报 at
  https://xinwen.bjd.com.cn/content/s68231866e4b0ec1c3d97027f.html): the single-element direct cases grow from
  the 10 of 2017 to **30**, set out separately for 公共娱乐场所, 宾馆, 商场及集贸市场, 儿童活动场所,
  老年人照料设施, 医院门诊楼和病房楼, the 厂房仓库 of 劳动密集型企业 (人员密集的室内场所) and 易燃易爆危险品场所;
  new hazard factors taken in (kind and clause not said): 人员密集场所 with a non-compliant 易燃易爆危险品
  厂房/仓库, unclear fire-safety responsibility in 多产权建筑 and 多业态混合生产经营场所, no fire separation
  between the above-ground and underground parts of an evacuation stairwell, electric bicycles parked in
  the 架空层 of residential buildings; the standard is meant for 消防救援机构 and also for governments,
  industry departments, units and individuals. The combined elements' number is not given.

Searched a second time (helper C2, 2026-12-03) in every corpus (pages, docs, code, issues; exact phrases
such as "GB 35181-2025", "35181-2025", "重大火灾隐患判定规则", "直接判定要素", "综合判定要素", "住宅建筑架空层",
"电动自行车集中停放或充电场所", "多业态混合生产经营场所"; official 解读, 新旧对比, 宣贯 and exam pages): no copy of
chapters 4–6 or annex A was found. Stored web pages are readable only from their beginning, so the full
reprint above cannot be read past its foreword here; someone with the official text (or that page) must
enter the clauses as a new version.

So this library holds no items: every element is listed in ``missing`` (by chapter, since even the
count is unknown), ``expected_count`` is None (unknown, not zero), and nothing is judged 重大 by it
until the text is entered (as a new version — a published version is never edited). Reusing the
2017 clauses or the thin seed's short wording under 2025 numbers would be inventing items.
"""
from __future__ import annotations

import datetime

from . import Library

STD = "GB 35181-2025《重大火灾隐患判定规则》"

#: False while the clauses of the standard have not been read: nothing is judged 重大 by this library, and
#: no interim list is encoded (the lead decides the interim; see NOTES). Set True only with the text entered.
TEXT_FOUND = False

#: What the stored copies do say about the standard (secondary copies, see the module docstring). Kept out of
#: ``LIBRARY.basis`` on purpose: the published version's head is never edited (seed_criteria refuses it).
PUBLISHED_ON = datetime.date(2025, 4, 25)
CHAPTERS = ("3 术语和定义", "4 判定规则", "5 直接判定要素", "6 综合判定要素", "附录A")
#: Number of direct elements (ch. 5) as announced at the 2025-05-13 press conference (10 in 2017 → 30); the
#: combined elements' number was not announced, so the library's ``expected_count`` stays unknown (None).
DIRECT_ELEMENTS_COUNT = 30

MISSING = (
    ("第5章", "直接判定要素（据2025年5月13日发布会为30项，按场所类别分列）：标准条文未能在任何可查的资料中读到，"
              "未收录，各项条号亦未知"),
    ("第6章", "综合判定要素及综合判定规则（各类场所的最低条数）：标准条文未能读到，未收录；条数未知"),
)

NOTES = (
    "本版标准条文未能找到（未见官方文本，也未见转载全文），故本库不含任何条目，expected_count 为空（条数未知，并非0条）。"
    "已知情况（据标准前言转载 news.43u.com.cn/a/1497949.html）：2025年11月1日起实施，代替GB 35181-2017；删除术语“重要场所”，"
    "新增“儿童活动场所”“老年人照料设施”“劳动密集型企业”“多业态混合生产经营场所”；第4.2条更改了不应判定为重大火灾隐患"
    "或不作为判定要素的原则（原2017版5.1.3），条文未见，故 exclusions 为空；第5章直接判定要素、第6章综合判定要素均有更改；"
    "新增附录A（火灾自动报警系统和固定灭火设施不能正常运行的判定规则），条文未见。"
    "另据国家消防救援局2025年7月17日新闻发布会（163.com 转载）：修订后将“设置在住宅建筑架空层的电动自行车集中停放或充电"
    "场所与建筑的采光通风井、公共门厅、疏散走道、楼梯间、安全出口未采取防火分隔措施”列为判定要素——条号及属直接还是综合"
    "判定要素均未知，未作为条目收录。"
    "在补录条文之前，2025年11月1日以后发现的火灾隐患不能由本库判定为重大，须由消防救援机构按标准原文人工判定。"
    "第二轮检索（C2）：消防百事通转载（fire114.cn，标题称“全文”）可读部分止于前言，另知本标准2025年4月25日由国家市场"
    "监督管理总局、国家标准化管理委员会发布，国家消防救援局提出并归口，为第一次修订；各章标题为“3 术语和定义”“4 判定规则”"
    "“5 直接判定要素”“6 综合判定要素”及附录A（据公开代码对本标准PDF的分章规则）。第4～6章及附录A条文仍未读到。"
    "据2025年5月13日市场监管总局、应急管理部新闻发布会（央视新闻、新华社、南方周末、北京日报报道）：直接判定要素由2017版"
    "10项增至30项，分别对公共娱乐场所，宾馆，商场及集贸市场，儿童活动场所、老年人照料设施、医院门诊楼和病房楼，劳动密集型"
    "企业的厂房仓库等人员密集的室内场所，以及易燃易爆危险品场所规定；新纳入的致灾因素举例：人员密集场所违规设置生产储存"
    "易燃易爆危险品的厂房或仓库，多产权建筑、多业态混合生产经营场所消防安全责任不清，疏散楼梯间地上与地下部分未采取防火"
    "分隔措施，住宅建筑架空层违规停放电动自行车（各属直接还是综合判定要素、条号均未说明）；综合判定要素条数未公布，"
    "故本库总条数仍为未知。"
    "过渡安排：本库不编入任何过渡条目（不以2017版条文或旧简表冒充2025版条号），是否及如何过渡由负责人决定；"
    "在此之前，2025年11月1日以后发现的火灾隐患由本库判定的结果只能是“未判定为重大”，这并不表示该隐患不是重大火灾隐患。"
)

LIBRARY = Library(
    code="gb35181",
    version=2,
    name="重大火灾隐患判定规则（GB 35181-2025）",
    industries=(),
    basis=f"{STD}，2025年11月1日起实施，代替GB 35181-2017《重大火灾隐患判定方法》",
    effective_from=datetime.date(2025, 11, 1),
    effective_to=None,
    expected_count=None,  # unknown: the standard's text (and so its count) could not be read
    items=(),
    combined_rules=(),
    exclusions=(),
    missing=MISSING,
    notes=NOTES,
)

#: The thin seed's item numbers ("gb35181" v1, catalogue_data.CRITERIA) → GB 35181-2025 item numbers.
#: None for every one: the 2025 numbering could not be read, so no thin item can be repointed to a 2025
#: clause. For hazards found before 2025-11-01 see fire_2017.THIN_V1_TO_2017.
THIN_V1_TO_2025: dict[str, str | None] = {str(n): None for n in range(1, 9)}
