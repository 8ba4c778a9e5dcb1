"""Word lists for the demo city: places, roads, company-name parts and people's names.

Only data and tiny pickers live here; ``generator`` decides what to build with them.
Every picker takes the caller's ``random.Random`` so a district is reproducible.
"""
from __future__ import annotations

import random

# ---------------------------------------------------------------- places

#: 示范区 takes these in order (so jiedao_a is always in 东城街道); other districts sample them.
STREETS = [
    "东城街道", "西城街道", "河西街道", "南湖街道", "北苑街道", "城关街道", "金桥街道", "新华街道",
    "望江街道", "凤凰街道", "青山镇", "柳树镇", "白沙镇", "长乐镇", "桃源镇", "石桥镇",
    "梅林街道", "龙泉镇", "平安街道", "滨江街道", "文昌街道", "高新街道", "马店镇", "双河镇",
]
#: Two characters that make up further street names when a district wants more than ``STREETS``.
STREET_PARTS = ["东", "西", "南", "北", "新", "安", "和", "兴", "永", "福", "华", "江", "湖", "山", "岭", "桥"]

COMMUNITIES = [
    "幸福", "和平", "光明", "建设", "文化", "阳光", "锦绣", "朝阳", "春晖", "团结", "花园", "滨江",
    "翠苑", "长青", "红旗", "向阳", "胜利", "民主", "新华", "振兴", "育才", "书香", "金桥", "银河",
    "丽景", "康乐", "东湖", "西湖", "南苑", "北苑", "紫荆", "桂花", "梧桐", "枫林", "月湖", "星光",
    "祥和", "安康", "永安", "富强", "友谊", "新风", "清河", "绿洲", "江畔", "湖滨", "凤鸣", "龙山",
    "钟楼", "鼓楼", "府前", "学院", "天河", "百花", "双桥", "雅苑", "怡景", "华庭", "兴隆", "和谐",
]
VILLAGES = [
    "李家", "王庄", "张湾", "刘店", "陈家岭", "杨柳", "石门", "桃花", "大桥", "前进", "新桥", "沙河",
    "柏树", "黄土岭", "东岗", "西坡", "南塘", "北山", "长岭", "高桥", "红星", "五一", "联合", "三合",
    "永丰", "丰收", "太平", "仁和", "青龙", "白马", "金沙", "荷塘", "田心", "塘坊", "周家", "赵家湾",
]
ROADS = [
    "人民路", "解放路", "建设路", "中山路", "胜利路", "和平路", "新华路", "文化路", "东风路", "长江路",
    "黄河路", "环城路", "学府路", "工业大道", "创业路", "科技路", "迎宾大道", "滨江路", "青年路", "光明路",
    "朝阳路", "健康路", "劳动路", "幸福路", "北京路", "南京路", "民生路", "站前路", "湖滨路", "金桥路",
    "凤凰路", "兴业路", "发展大道", "振兴路", "园区路", "纬一路", "经二路", "富民路", "育才路", "河西大街",
]
EXTRA_CITIES = ["江城市", "山阳市", "临湖市", "北原市", "南岭市", "西峡市", "东海市", "清源市",
                "云州市", "平川市", "安澜市", "宁远市", "长宁市", "丰泽市"]
EXTRA_DISTRICTS = ["城东区", "城西区", "高新区", "新城区", "江南区", "临江区", "长安区", "平湖区",
                   "桥西区", "经开区", "滨湖区", "北山区", "南湾区", "云岭县", "石河县", "青川县"]

# ---------------------------------------------------------------- companies

#: Trade names (字号) are one of these, or two characters from ``ZIHAO_A`` × ``ZIHAO_B``.
ZIHAO = ["青山", "恒达", "宏远", "鑫源", "华泰", "金鼎", "永兴", "瑞丰", "广汇", "盛世", "东方", "天成",
         "宝利", "佳美", "新世纪", "众诚", "鼎盛", "安泰", "通达", "利民", "长城", "中兴", "振华", "德信"]
ZIHAO_A = list("恒宏鑫华金永瑞广盛天宝佳众鼎安通利振德信嘉汇隆昌顺泰丰达源茂")
ZIHAO_B = list("达远源泰鼎兴丰汇世成利美诚盛通民华信隆昌顺发力新宇邦润康合")

SUFFIXES = [("有限公司", 70), ("有限责任公司", 12), ("股份有限公司", 4), ("厂", 6), ("经营部", 4), ("分公司", 4)]

#: Per primary industry: words of the business (经营范围) used in names, and the kind of its main site.
BUSINESS_WORDS = {
    "industry_trade": ["机械制造", "精密机械", "纺织", "服装", "食品", "五金制品", "家具", "印刷", "塑料制品",
                       "金属制品", "电子科技", "包装材料", "木业", "建材", "新材料", "铸造", "粮油加工"],
    "hazchem": ["化工", "化学品", "石化", "精细化工", "化学试剂", "涂料", "油品", "气体"],
    "gas": ["燃气", "液化气", "天然气", "能源"],
    "construction": ["建筑工程", "建设", "建工", "市政工程", "建筑安装", "装饰工程", "园林工程", "路桥工程"],
    "road_transport": ["运输", "物流", "客运", "汽车运输", "货运", "危险货物运输", "出租汽车"],
    "water_transport": ["航运", "船务", "港务", "水上客运"],
    "fire_key": ["商贸", "百货", "酒店", "宾馆", "购物中心", "商业管理", "物业管理", "仓储"],
    "crowded": ["餐饮管理", "娱乐", "文化传媒", "影城", "网络服务", "健身", "洗浴服务", "农贸市场管理"],
    "special_equipment": ["电梯", "起重机械", "锅炉", "压力容器", "特种设备安装"],
    "non_coal_mine": ["矿业", "石料", "砂石", "采石"],
    "fireworks": ["烟花爆竹", "烟花"],
    "rental": ["房屋租赁", "公寓管理", "住房租赁"],
    "school": ["实验学校", "中学", "小学", "幼儿园", "职业技术学校", "培训学校"],
}

PROJECTS = ["安置房", "住宅小区", "商业综合体", "学校改扩建", "道路改造", "综合管廊", "标准厂房", "医院门诊楼",
            "老旧小区改造", "雨污分流", "体育馆", "保障性住房", "污水处理厂", "桥梁"]
PHASES = ["", "一期", "二期", "三期"]
PUBLIC_PLACES = ["广场", "公园", "体育馆", "图书馆", "文化中心", "汽车站", "客运码头", "游泳馆"]
MARKETS = ["农贸市场", "集贸市场", "小商品市场", "建材市场"]

# ---------------------------------------------------------------- people

#: Common surnames, roughly by frequency (more common ones first and repeated).
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
) + list("王李张刘陈杨黄赵吴周") * 3
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉鹏华飞玲桂英红斌波宇浩凯健俊帆建国志文晓海林峰燕慧")


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) if rng.random() < 0.3 else rng.choice(GIVEN) + rng.choice(GIVEN)
    return rng.choice(SURNAMES) + given


def phone(rng: random.Random) -> str:
    prefix = rng.choice(["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                         "158", "159", "176", "177", "180", "181", "186", "187", "188", "189", "191", "199"])
    return prefix + f"{rng.randrange(10**8):08d}"


def zihao(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return rng.choice(ZIHAO)
    return rng.choice(ZIHAO_A) + rng.choice(ZIHAO_B)


def weighted(rng: random.Random, pairs):
    """Pick from ``[(value, weight), …]``."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def short(place: str) -> str:
    """东城街道 → 东城, 青山镇 → 青山, 幸福社区 → 幸福."""
    for suffix in ("街道", "社区", "镇", "村", "乡"):
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place
