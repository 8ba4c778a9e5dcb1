"""化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）（安监总管三〔2017〕121号）.

A normative document of the former 国家安全生产监督管理总局 (now 应急管理部), not a 部令: items are
written in our own words, faithful to the meaning and thresholds (一级、二级重大危险源, etc.). The
instrument numbers its 20 situations 一 to 二十; "9" = 第九项.

Text read only in secondary copies: the lists of the 20 items reproduced in public GitHub source code
(e.g. a Java controller and a SQL seed ``riskDcode`` found by exact-string search; item texts agree
across them) and, for items 一–十五, newspaper/web reprints (中国应急管理报-style reprint
anzhuopai.com/szb/pc/col/202305/25/content_202393.html; shanxi.news.163.com/24/0822/08/JA6CSUIP04199ACH.html).
The count (20 + 20 for 烟花爆竹) is confirmed by 人民日报 2017-11-17 (china.rednet.cn/c/2017/11/17/4476815.htm).
The issuing date 2017-11-13 is the notice's date as commonly cited; no copy read here shows the notice
header itself (see ``notes``).
"""
from __future__ import annotations

import datetime

from . import Condition, Item, Library

DOC = "安监总管三〔2017〕121号《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》"
SOURCE_NOTE = "条文据转载文本（公开代码仓库中的条文清单、报刊网站转载）整理，未见官方文本"
ISSUED = datetime.date(2017, 11, 13)

_CN = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
       "十六", "十七", "十八", "十九", "二十"]


def _i(n: int, text: str, category: str, conditions=()) -> Item:
    return Item(number=str(n), text=text, basis=f"{DOC}第{_CN[n]}项", category=category,
                conditions=tuple(conditions), source_note=SOURCE_NOTE)


ITEMS = (
    # 人员要求
    _i(1, "危险化学品生产、经营单位的主要负责人或安全生产管理人员没有依法经考核合格", "4304"),
    _i(2, "特种作业人员无证上岗", "4304"),
    # 设备设施
    _i(3, "涉及“两重点一重大”（重点监管危险化工工艺、重点监管危险化学品、重大危险源）的生产装置或储存设施，外部安全防护距离达不到国家标准",
       "WH04"),
    _i(4, "涉及重点监管危险化工工艺的装置没有实现自动化控制或紧急停车功能，或者已装备的自动化控制系统、紧急停车系统没有投用", "WH02"),
    _i(5, "构成一级、二级重大危险源的危险化学品罐区没有紧急切断功能；或者其中涉及毒性气体、液化气体、剧毒液体的一级、二级重大危险源罐区"
       "没有配备独立的安全仪表系统", "WH04"),
    _i(6, "全压力式液化烃储罐没有按国家标准设置注水设施", "WH01"),
    _i(7, "液化烃、液氨、液氯等易燃易爆或有毒有害液化气体充装时没有使用万向管道充装系统", "WH01"),
    _i(8, "光气、氯气等剧毒气体或硫化氢气体的管道穿越厂区（含化工园区、工业园区）以外的公共区域", "2201"),
    _i(9, "地区架空电力线路穿越生产区，并且不符合国家标准要求", "2103", (
        Condition("a", "地区架空电力线路穿越生产区"), Condition("b", "不符合国家标准要求"))),
    _i(10, "在役化工装置没有经过正规设计，并且没有进行安全设计诊断", "4301", (
        Condition("a", "在役化工装置未经正规设计"), Condition("b", "未进行安全设计诊断"))),
    _i(11, "使用淘汰落后安全技术工艺、设备目录所列的工艺或设备", "2101"),
    _i(12, "可能泄漏可燃或有毒有害气体的场所没有按国家标准设置检测报警装置，或者爆炸危险场所没有按国家标准安装、使用防爆电气设备",
       "WH02"),
    _i(13, "控制室或机柜间朝向有火灾、爆炸危险性装置的一侧，达不到国家标准的防火防爆要求", "2102"),
    _i(14, "化工生产装置没有按国家标准设置双重电源供电，或者自动化控制系统没有设置不间断电源", "WH02"),
    _i(15, "安全阀、爆破片等安全附件没有正常投入使用", "2101"),
    # 安全管理
    _i(16, "没有建立与岗位相适应的全员安全生产责任制，或者没有制定、实施生产安全事故隐患排查治理制度", "42"),
    _i(17, "没有制定操作规程和工艺控制指标", "4305"),
    _i(18, "没有按国家标准制定动火、进入受限空间等特殊作业管理制度，或者制度没有有效执行", "WH03"),
    _i(19, "新开发的危险化学品生产工艺未经小试、中试、工业化试验就直接工业化生产；或者国内首次使用的化工工艺未经省级人民政府有关部门"
       "组织安全可靠性论证；或者新建装置未制定试生产方案就投料开车；或者精细化工企业未按规范性文件要求开展反应安全风险评估", "4301"),
    _i(20, "没有按国家标准分区分类储存危险化学品，或者超量、超品种储存，或者相互禁配的物质混放混存", "WH01"),
)

LIBRARY = Library(
    code="hazchem_major", version=1, name="化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
    industries=("hazchem",),
    basis=f"{DOC}（原国家安全生产监督管理总局，2017年11月13日印发）",
    effective_from=ISSUED, effective_to=None,
    expected_count=20,
    items=ITEMS,
    notes=("从人员要求、设备设施、安全管理三方面列举20种情形（第一至二十项），任一情形即判定为重大事故隐患；"
           "第九、十项以“且”连接，须两项情形同时具备。生效日期取通知印发日2017-11-13（据通常引用，本次检索未读到通知文头），"
           "如核对官方文本有出入应发布新版本而不是修改本版本。"),
)
