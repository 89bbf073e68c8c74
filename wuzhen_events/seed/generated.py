"""Deterministic generators for what the facts do not give: demo speakers, exhibitors, launches.

Everything here is a pure function of a seed, so the same seed always plans the same rows and
the loader can compare the plan with the database instead of trusting what was loaded before.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from wuzhen_events.db import Provenance
from wuzhen_events.expo.enums import Sector
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.seed import wic2018
from wuzhen_events.seed.specs import (
    DEMO_NOTE,
    DEMO_NOTE_ZH,
    DemoPlan,
    ExhibitorSpec,
    LaunchSpec,
    SessionSpec,
    SpeakerSpec,
    SubforumSpec,
    at,
    slugify,
)

DEMO_SEED = 2018
DEMO = Provenance.DEMO

# --- speakers -------------------------------------------------------------------------------

DEMO_CHINESE_SPEAKERS = 22
DEMO_INTERNATIONAL_SPEAKERS = 18
DEMO_BIO = "Demo profile: a fictional speaker invented for this demonstration."
DEMO_BIO_ZH = "演示资料：为本演示虚构的嘉宾。"

SURNAMES = [
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Zhao", "赵"),
    ("Zhou", "周"), ("Wu", "吴"), ("Xu", "徐"), ("Sun", "孙"), ("Hu", "胡"), ("Zhu", "朱"),
    ("Gao", "高"), ("Lin", "林"), ("He", "何"), ("Guo", "郭"), ("Luo", "罗"), ("Song", "宋"),
    ("Xie", "谢"), ("Tang", "唐"), ("Han", "韩"), ("Feng", "冯"), ("Deng", "邓"), ("Cao", "曹"),
]  # fmt: skip
GIVEN_NAMES = [
    ("Yuqing", "雨晴"), ("Haoran", "浩然"), ("Zimo", "子墨"), ("Xinyi", "心怡"),
    ("Mingyuan", "明远"), ("Ruoxi", "若溪"), ("Tianyu", "天宇"), ("Shuyi", "书仪"),
    ("Wenbo", "文博"), ("Yichen", "亦辰"), ("Kexin", "可欣"), ("Siyuan", "思远"),
    ("Lanqing", "岚清"), ("Qiyue", "绮月"), ("Jingshu", "静姝"), ("Zhiheng", "志衡"),
    ("Yunfei", "云飞"), ("Muyang", "沐阳"), ("Shiyao", "诗瑶"), ("Chengze", "承泽"),
]  # fmt: skip
# country, first names, family names: each with its Chinese rendering.
INTERNATIONAL_NAMES = [
    ("DE", [("Lena", "莉娜"), ("Jonas", "约纳斯"), ("Friederike", "弗里德里克"),
            ("Matthias", "马蒂亚斯")],
     [("Brandtner", "勃兰特纳"), ("Kellermann", "凯勒曼"), ("Vogelsang", "福格尔桑")]),
    ("FR", [("Camille", "卡米耶"), ("Julien", "朱利安"), ("Margaux", "玛戈"),
            ("Bastien", "巴斯蒂安")],
     [("Morvan", "莫尔旺"), ("Castagnet", "卡斯塔涅"), ("Roussel", "鲁塞尔")]),
    ("GB", [("Imogen", "伊莫金"), ("Rupert", "鲁珀特"), ("Harriet", "哈丽雅特"),
            ("Callum", "卡勒姆")],
     [("Ashcombe", "阿什科姆"), ("Fairley", "费尔利"), ("Thornbury", "索恩伯里")]),
    ("US", [("Avery", "埃弗里"), ("Marcus", "马库斯"), ("Delia", "迪莉娅"), ("Grant", "格兰特")],
     [("Whitcombe", "惠特科姆"), ("Delaney", "德莱尼"), ("Harrow", "哈罗")]),
    ("IN", [("Ananya", "阿南亚"), ("Rohan", "罗汉"), ("Ishita", "伊希塔"),
            ("Vikram", "维克拉姆")],
     [("Sethi", "塞提"), ("Kulkarni", "库尔卡尼"), ("Raghavan", "拉加万")]),
    ("BR", [("Beatriz", "贝亚特丽斯"), ("Thiago", "蒂亚戈"), ("Larissa", "拉里莎"),
            ("Rafael", "拉斐尔")],
     [("Albuquerque", "阿尔布开克"), ("Cavalcanti", "卡瓦尔坎蒂"), ("Teixeira", "特谢拉")]),
    ("KE", [("Wanjiru", "万吉鲁"), ("Otieno", "奥蒂诺"), ("Akinyi", "阿金伊"),
            ("Kiprono", "基普罗诺")],
     [("Kamau", "卡毛"), ("Odhiambo", "奥迪安博"), ("Mwangi", "姆万吉")]),
    ("JP", [("Haruka", "遥"), ("Ren", "莲"), ("Aoi", "葵"), ("Daisuke", "大辅")],
     [("Takamori", "高森"), ("Ishizaki", "石崎"), ("Fujinami", "藤波")]),
    ("KR", [("Seo-yeon", "瑞妍"), ("Min-jun", "敏俊"), ("Ji-woo", "智宇"), ("Hyun-woo", "贤宇")],
     [("Baek", "白"), ("Seong", "成"), ("Kwak", "郭")]),
    ("EG", [("Nour", "努尔"), ("Karim", "卡里姆"), ("Yasmin", "亚斯明"), ("Tarek", "塔雷克")],
     [("Haddad", "哈达德"), ("Mansour", "曼苏尔"), ("Fahmy", "法赫米")]),
    ("ZA", [("Thandiwe", "坦迪韦"), ("Sipho", "西福"), ("Naledi", "纳莱迪"),
            ("Pieter", "彼得")],
     [("Mokoena", "莫科埃纳"), ("Dlamini", "德拉米尼"), ("Nkosi", "恩科西")]),
    ("IT", [("Chiara", "基亚拉"), ("Lorenzo", "洛伦佐"), ("Giulia", "朱莉娅"),
            ("Matteo", "马泰奥")],
     [("Benedetti", "贝内代蒂"), ("Marchetti", "马尔凯蒂"), ("Santoro", "桑托罗")]),
]  # fmt: skip
# Chinese writes these family names first and without a separating dot, as in Japan and Korea.
FAMILY_NAME_FIRST = {"JP", "KR"}
SPEAKER_TITLES = [
    ("Professor", "教授"), ("Director", "主任"), ("Chief Scientist", "首席科学家"),
    ("Senior Researcher", "高级研究员"), ("Vice President", "副总裁"),
    ("Founder and CEO", "创始人兼首席执行官"), ("Chief Technology Officer", "首席技术官"),
    ("Policy Adviser", "政策顾问"), ("Dean", "院长"), ("Partner", "合伙人"),
]  # fmt: skip
CHINESE_AFFILIATIONS = [
    ("Xiyuan Institute of Digital Governance", "西苑数字治理研究院"),
    ("Jiangnan Network Science Laboratory", "江南网络科学实验室"),
    ("Qiantang Academy of Information Industry", "钱塘信息产业研究院"),
    ("Donghu Center for Internet Law", "东湖互联网法治研究中心"),
    ("Lanting Data Economy Research Center", "兰亭数据经济研究中心"),
    ("Huxin Cybersecurity Laboratory", "湖心网络安全实验室"),
    ("Beishan Digital Industry Alliance", "北山数字产业联盟"),
]
INTERNATIONAL_AFFILIATIONS = [
    ("Meridian Institute for Digital Policy", "子午线数字政策研究所"),
    ("Northgate Centre for Cyber Studies", "北门网络研究中心"),
    ("Harbourline Technology Partners", "港湾线科技合伙公司"),
    ("Aldwick School of Internet Studies", "奥尔德威克互联网研究学院"),
    ("Coastway Data Foundation", "海岸之路数据基金会"),
    ("Silverpine Research Group", "银松研究集团"),
    ("Lindenhall Policy Lab", "林登霍尔政策实验室"),
]


def demo_speakers(rng: random.Random) -> tuple[SpeakerSpec, ...]:
    """Forty fictional speakers, Chinese and international, each name used once."""
    chinese = rng.sample([(s, g) for s in SURNAMES for g in GIVEN_NAMES], DEMO_CHINESE_SPEAKERS)
    speakers = [
        _demo_speaker(rng, f"{surname[0]} {given[0]}", "CN", name_zh=surname[1] + given[1])
        for surname, given in chinese
    ]
    used: set[str] = set()
    for index in range(DEMO_INTERNATIONAL_SPEAKERS):
        country, firsts, lasts = INTERNATIONAL_NAMES[index % len(INTERNATIONAL_NAMES)]
        first, last = rng.choice(firsts), rng.choice(lasts)
        while f"{first[0]} {last[0]}" in used:
            first, last = rng.choice(firsts), rng.choice(lasts)
        name = f"{first[0]} {last[0]}"
        used.add(name)
        family_first = country in FAMILY_NAME_FIRST
        name_zh = last[1] + first[1] if family_first else f"{first[1]}·{last[1]}"
        speakers.append(_demo_speaker(rng, name, country, name_zh=name_zh))
    return tuple(speakers)


def _demo_speaker(rng: random.Random, name: str, country: str, name_zh: str = "") -> SpeakerSpec:
    title, title_zh = rng.choice(SPEAKER_TITLES)
    if country == "CN":
        affiliation, affiliation_zh = rng.choice(CHINESE_AFFILIATIONS)
    else:
        affiliation, affiliation_zh = rng.choice(INTERNATIONAL_AFFILIATIONS)
    return SpeakerSpec(
        slug=slugify(name),
        name=name,
        name_zh=name_zh,
        title=title,
        title_zh=title_zh,
        affiliation=affiliation,
        affiliation_zh=affiliation_zh,
        country=country,
        bio=DEMO_BIO,
        bio_zh=DEMO_BIO_ZH,
        provenance=DEMO,
        source_note=DEMO_NOTE,
        source_note_zh=DEMO_NOTE_ZH,
    )


# --- subforum sessions ----------------------------------------------------------------------

FIRST_PART_SHARE = 0.45
MIN_PEOPLE, MAX_PEOPLE = 2, 4


def split_window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime, datetime]:
    """Opening and keynotes take a little under half of a subforum, on a five-minute mark."""
    minutes = (ends_at - starts_at).total_seconds() / 60
    first = round(minutes * FIRST_PART_SHARE / 5) * 5
    return starts_at, starts_at + timedelta(minutes=first), ends_at


class _SpeakerBook:
    """Hands out demo speakers evenly and never puts one person in two rooms at once."""

    def __init__(self, speakers: tuple[SpeakerSpec, ...], rng: random.Random):
        order = [speaker.slug for speaker in speakers]
        rng.shuffle(order)
        self.rank = {slug: position for position, slug in enumerate(order)}
        self.uses: Counter[str] = Counter()
        self.busy: dict[str, list[tuple[datetime, datetime]]] = {slug: [] for slug in order}

    def take(self, wanted: int, starts_at: datetime, ends_at: datetime) -> list[str]:
        """Up to `wanted` people free for the whole slot, least booked first."""
        free = [
            slug
            for slug, slots in self.busy.items()
            if all(ends_at <= start or end <= starts_at for start, end in slots)
        ]
        chosen = sorted(free, key=lambda slug: (self.uses[slug], self.rank[slug]))[:wanted]
        for slug in chosen:
            self.uses[slug] += 1
            self.busy[slug].append((starts_at, ends_at))
        return chosen


def subforum_sessions(
    subforums: tuple[SubforumSpec, ...], speakers: tuple[SpeakerSpec, ...], rng: random.Random
) -> tuple[SessionSpec, ...]:
    """Two sessions per subforum, each with two to four people; a panel opens with a moderator.

    Slots are staffed in time order, so a long session never finds everyone booked on both
    sides of it.
    """
    slots = []
    for subforum in subforums:
        start, middle, end = split_window(subforum.starts_at, subforum.ends_at)
        parts = subforum.parts or wic2018.DEFAULT_PARTS
        slots += [(start, subforum.slug, middle, parts[0]), (middle, subforum.slug, end, parts[1])]
    by_slug = {subforum.slug: subforum for subforum in subforums}
    book = _SpeakerBook(speakers, rng)
    sessions = []
    for part_start, slug, part_end, part in sorted(slots, key=lambda slot: slot[:2]):
        subforum = by_slug[slug]
        wanted = rng.randint(MIN_PEOPLE, MAX_PEOPLE) - len(part.speakers)
        roles = list(part.speakers)
        roles += [(demo, SpeakerRole.SPEAKER) for demo in book.take(wanted, part_start, part_end)]
        if len(roles) < MIN_PEOPLE:
            raise ValueError(f"Too few free demo speakers for {slug} at {part_start}.")
        if part.kind is SessionKind.PANEL:
            roles[0] = (roles[0][0], SpeakerRole.MODERATOR)
        sessions.append(
            SessionSpec(
                title=part.title,
                title_zh=part.title_zh,
                kind=part.kind,
                starts_at=part_start,
                ends_at=part_end,
                venue=subforum.venue,
                subforum=slug,
                topics=subforum.topics,
                speakers=tuple(roles),
                provenance=subforum.session_provenance,
                source_note="; ".join(filter(None, [subforum.session_note, part.note])),
                source_note_zh="；".join(filter(None, [subforum.session_note_zh, part.note_zh])),
            )
        )
    return tuple(sessions)


# --- exhibitors -----------------------------------------------------------------------------

GENERATED_EXHIBITORS = 411


@dataclass(frozen=True)
class SectorProfile:
    """How a sector's demo companies are named, where they stand and what they launch."""

    weight: int
    hall: str
    phrase: tuple[str, str]
    words: tuple[tuple[str, str], ...]
    products: tuple[tuple[str, str], ...]


SECTORS = {
    Sector.ARTIFICIAL_INTELLIGENCE: SectorProfile(
        14, "1", ("artificial intelligence", "人工智能"),
        (("Intelligence", "智能"), ("Cognitive", "认知"), ("Vision", "视觉")),
        (("Vision Engine", "视觉引擎"), ("Speech Assistant", "语音助手"),
         ("AI Open Platform", "人工智能开放平台"), ("Smart Customer Service", "智能客服")),
    ),
    Sector.ROBOTICS: SectorProfile(
        5, "1", ("robotics", "机器人"),
        (("Robotics", "机器人"), ("Intelligent Equipment", "智能装备")),
        (("Service Robot", "服务机器人"), ("Reception Robot", "迎宾机器人"),
         ("Logistics Robot", "物流机器人")),
    ),
    Sector.TELECOM_5G: SectorProfile(
        7, "2", ("5G and telecommunications", "5G与通信"),
        (("Communications", "通信"), ("Wireless", "无线"), ("Networks", "网络")),
        (("5G Small Cell", "5G小基站"), ("5G Industrial Module", "5G工业模组"),
         ("Network Slicing Suite", "网络切片套件")),
    ),
    Sector.SEMICONDUCTORS: SectorProfile(
        3, "2", ("semiconductor", "半导体"),
        (("Microelectronics", "微电子"), ("Semiconductor", "半导体"), ("Chip", "芯片")),
        (("AI Accelerator Chip", "AI加速芯片"), ("IoT Microcontroller", "物联网微控制器"),
         ("5G Baseband Chip", "5G基带芯片")),
    ),
    Sector.INTERNET_OF_THINGS: SectorProfile(
        8, "2", ("Internet of Things", "物联网"),
        (("IoT", "物联网"), ("Sensing", "传感"), ("Connected Devices", "智联")),
        (("Smart Home Hub", "智能家居中枢"), ("NB-IoT Sensor", "NB-IoT传感器"),
         ("IoT Device Cloud", "物联网设备云")),
    ),
    Sector.CLOUD_BIG_DATA: SectorProfile(
        12, "3", ("cloud and big data", "云计算与大数据"),
        (("Data", "数据"), ("Cloud Computing", "云计算"), ("Big Data", "大数据")),
        (("Data Lake", "数据湖"), ("Cloud Database", "云数据库"),
         ("Big Data Analytics Suite", "大数据分析套件")),
    ),
    Sector.CYBERSECURITY: SectorProfile(
        8, "3", ("cybersecurity", "网络安全"),
        (("Information Security", "信息安全"), ("Cyber Defence", "网络防御"),
         ("Security", "安全")),
        (("Threat Intelligence Platform", "威胁情报平台"), ("Zero Trust Gateway", "零信任网关"),
         ("Security Operations Center", "安全运营中心")),
    ),
    Sector.INDUSTRIAL_INTERNET: SectorProfile(
        8, "4", ("industrial internet", "工业互联网"),
        (("Industrial Internet", "工业互联网"), ("Smart Manufacturing", "智能制造"),
         ("Automation", "自动化")),
        (("Industrial Internet Platform", "工业互联网平台"),
         ("Digital Twin Factory", "数字孪生工厂"),
         ("Predictive Maintenance Kit", "预测性维护套件")),
    ),
    Sector.SMART_MOBILITY: SectorProfile(
        5, "4", ("smart mobility", "智慧出行"),
        (("Mobility", "智行"), ("Autonomous Driving", "自动驾驶"),
         ("Vehicle Networking", "车联网")),
        (("Autonomous Shuttle", "自动驾驶接驳车"), ("Smart Parking System", "智慧停车系统"),
         ("Vehicle-Road Coordination Kit", "车路协同套件")),
    ),
    Sector.VR_AR: SectorProfile(
        4, "4", ("VR and AR", "虚拟现实与增强现实"),
        (("Virtual Reality", "虚拟现实"), ("Immersive", "沉浸")),
        (("VR Headset", "VR头显"), ("AR Glasses", "AR眼镜"),
         ("Virtual Exhibition Hall", "虚拟展厅")),
    ),
    Sector.FINTECH: SectorProfile(
        7, "5", ("fintech", "金融科技"),
        (("Finance", "金融"), ("Payments", "支付"), ("Credit", "信用")),
        (("Credit Risk Engine", "信用风控引擎"), ("Mobile Payment Terminal", "移动支付终端"),
         ("Blockchain Ledger", "区块链账本")),
    ),
    Sector.E_COMMERCE: SectorProfile(
        8, "5", ("e-commerce", "电子商务"),
        (("E-commerce", "电子商务"), ("Trade", "贸易"), ("Retail", "零售")),
        (("Cross-border Trade Platform", "跨境贸易平台"),
         ("Live Commerce Studio", "直播电商工作室"),
         ("Smart Logistics Locker", "智能物流柜")),
    ),
    Sector.DIGITAL_HEALTH: SectorProfile(
        5, "6", ("digital health", "数字健康"),
        (("Health", "健康"), ("Medical", "医疗")),
        (("Telemedicine Kiosk", "远程医疗亭"), ("AI Diagnosis Assistant", "AI辅助诊断系统"),
         ("Health Wristband", "健康手环")),
    ),
    Sector.ONLINE_EDUCATION: SectorProfile(
        5, "6", ("online education", "在线教育"),
        (("Education", "教育"), ("Learning", "学习")),
        (("Online Classroom", "在线课堂"), ("Adaptive Learning App", "自适应学习应用"),
         ("Smart Campus Suite", "智慧校园套件")),
    ),
    Sector.MEDIA: SectorProfile(
        5, "6", ("digital media", "数字媒体"),
        (("Media", "传媒"), ("Digital Media", "数字传媒"), ("Content", "内容")),
        (("Short Video Studio", "短视频工作室"), ("Smart Newsroom", "智能编辑部"),
         ("Audio Content Platform", "音频内容平台")),
    ),
}  # fmt: skip

# How many generated exhibitors come from each country or region: with the notable exhibitors
# the Expo shows 26 countries and regions (S17), most companies from China.
GENERATED_COUNTRIES = [
    ("CN", 316), ("US", 11), ("DE", 8), ("JP", 8), ("KR", 7), ("GB", 6), ("HK", 6), ("FR", 5),
    ("SG", 5), ("IL", 5), ("IN", 4), ("RU", 3), ("IT", 3), ("NL", 3), ("CH", 3), ("SE", 2),
    ("FI", 2), ("CA", 2), ("AU", 2), ("MY", 2), ("TH", 2), ("ES", 2), ("MO", 1), ("AE", 1),
    ("PK", 1), ("BY", 1),
]  # fmt: skip
# city, Chinese name, weight: Zhejiang and the big tech hubs send the most exhibitors.
CITIES = [
    ("Hangzhou", "杭州", 6), ("Shanghai", "上海", 4), ("Beijing", "北京", 4),
    ("Shenzhen", "深圳", 4), ("Jiaxing", "嘉兴", 2), ("Ningbo", "宁波", 2),
    ("Tongxiang", "桐乡", 1), ("Shaoxing", "绍兴", 1), ("Suzhou", "苏州", 2),
    ("Nanjing", "南京", 2), ("Guangzhou", "广州", 2), ("Wuhan", "武汉", 1),
    ("Chengdu", "成都", 1), ("Hefei", "合肥", 1), ("Xi'an", "西安", 1), ("Xiamen", "厦门", 1),
]  # fmt: skip
BRAND_SYLLABLES = [
    ("Yun", "云"), ("Qi", "启"), ("Zhi", "智"), ("Xing", "星"), ("Hai", "海"), ("Lan", "蓝"),
    ("Rui", "睿"), ("Tian", "天"), ("Chuang", "创"), ("Heng", "恒"), ("Xin", "信"), ("Ding", "鼎"),
    ("Jing", "景"), ("Feng", "峰"), ("Hui", "汇"), ("Yuan", "远"), ("Chen", "辰"), ("Guang", "光"),
    ("Shu", "数"), ("Tong", "通"), ("Ling", "灵"), ("Ze", "泽"), ("An", "安"), ("Jia", "嘉"),
    ("Hong", "鸿"), ("Bo", "博"), ("Kai", "凯"), ("Wei", "维"), ("Yi", "易"), ("Sheng", "晟"),
]  # fmt: skip
FOREIGN_PREFIXES = [
    ("Al", "阿尔"), ("Bel", "贝尔"), ("Cor", "科尔"), ("Dal", "达尔"), ("El", "埃尔"),
    ("Gal", "加尔"), ("Hal", "哈尔"), ("Lum", "卢姆"), ("Mar", "马尔"), ("Nor", "诺尔"),
    ("Ost", "奥斯特"), ("Pel", "佩尔"), ("Quin", "昆"), ("Tal", "塔尔"), ("Vel", "维尔"),
]  # fmt: skip
FOREIGN_SUFFIXES = [
    ("vix", "维克斯"), ("nova", "诺瓦"), ("qen", "肯"), ("ora", "奥拉"), ("ence", "恩斯"),
    ("eon", "伊恩"), ("dyne", "戴恩"), ("umi", "乌米"), ("ensa", "恩萨"), ("ariq", "阿里克"),
]  # fmt: skip
LEGAL_FORMS = {
    "US": "Inc.", "DE": "GmbH", "JP": "K.K.", "KR": "Co., Ltd.", "GB": "Ltd", "FR": "SAS",
    "SG": "Pte. Ltd.", "IL": "Ltd.", "IN": "Pvt. Ltd.", "RU": "LLC", "IT": "S.r.l.", "NL": "B.V.",
    "CH": "AG", "SE": "AB", "FI": "Oy", "CA": "Inc.", "AU": "Pty Ltd", "MY": "Sdn. Bhd.",
    "TH": "Co., Ltd.", "ES": "S.L.", "AE": "FZ-LLC", "PK": "(Pvt.) Ltd.", "BY": "LLC",
}  # fmt: skip
# Regions of China named in full, like mainland cities, rather than given a foreign legal form.
CHINESE_REGIONS = {"HK": ("Hong Kong", "香港", "Limited"), "MO": ("Macao", "澳门", "Limited")}
WEBSITE_SHARE = 0.7
BOOTHS_PER_ROW = 20
BOOTH_ROWS = "ABCDEFGH"


@dataclass(frozen=True)
class DemoCompany:
    """A generated exhibitor before the floor plan gives it a hall and a booth."""

    slug: str
    brand: str
    brand_zh: str
    company: str
    company_zh: str
    sector: Sector
    country: str
    website: str


def quotas(weights: dict, total: int) -> dict:
    """Split `total` in proportion to `weights` (largest remainder), so the counts are exact."""
    whole = sum(weights.values())
    shares = {key: total * weight / whole for key, weight in weights.items()}
    counts = {key: int(share) for key, share in shares.items()}
    by_remainder = sorted(weights, key=lambda key: shares[key] - counts[key], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def demo_companies(rng: random.Random, count: int = GENERATED_EXHIBITORS) -> list[DemoCompany]:
    """Fictional companies with bilingual names, in every sector and from every country listed."""
    if sum(number for _, number in GENERATED_COUNTRIES) != count:
        raise ValueError("GENERATED_COUNTRIES must add up to the generated exhibitor count.")
    sector_counts = quotas({sector: profile.weight for sector, profile in SECTORS.items()}, count)
    sectors = [sector for sector, number in sector_counts.items() for _ in range(number)]
    countries = [country for country, number in GENERATED_COUNTRIES for _ in range(number)]
    rng.shuffle(sectors)
    rng.shuffle(countries)
    taken = {slug for slug, *_ in wic2018.NOTABLE_EXHIBITORS}
    companies = []
    for sector, country in zip(sectors, countries, strict=True):
        company = _demo_company(rng, sector, country)
        while company.slug in taken:
            company = _demo_company(rng, sector, country)
        taken.add(company.slug)
        companies.append(company)
    return companies


def _demo_company(rng: random.Random, sector: Sector, country: str) -> DemoCompany:
    word, word_zh = rng.choice(SECTORS[sector].words)
    if country == "CN" or country in CHINESE_REGIONS:
        first, second = rng.sample(BRAND_SYLLABLES, 2)
        joiner = "'" if second[0][0] in "AEO" else ""
        brand, brand_zh = first[0] + joiner + second[0].lower(), first[1] + second[1]
        if country == "CN":
            place, place_zh, form = *_weighted_city(rng), "Co., Ltd."
        else:
            place, place_zh, form = CHINESE_REGIONS[country]
        stem = f"{place} {brand} {word}"
        company, company_zh = (
            f"{stem} Technology {form}",
            f"{place_zh}{brand_zh}{word_zh}科技有限公司",
        )
    else:
        prefix, suffix = rng.choice(FOREIGN_PREFIXES), rng.choice(FOREIGN_SUFFIXES)
        brand, brand_zh = prefix[0] + suffix[0], prefix[1] + suffix[1]
        stem = f"{brand} {word}"
        company, company_zh = f"{stem} {LEGAL_FORMS[country]}", f"{brand_zh}{word_zh}公司"
    website = ""
    if rng.random() < WEBSITE_SHARE:
        website = f"https://{slugify(brand)}-{slugify(word)}.example"
    return DemoCompany(
        slug=slugify(stem),
        brand=brand,
        brand_zh=brand_zh,
        company=company,
        company_zh=company_zh,
        sector=sector,
        country=country,
        website=website,
    )


def _weighted_city(rng: random.Random) -> tuple[str, str]:
    name, name_zh, _ = rng.choices(CITIES, weights=[weight for *_, weight in CITIES])[0]
    return name, name_zh


def expo_floor(companies: list[DemoCompany]) -> tuple[ExhibitorSpec, ...]:
    """Halls by sector (a demo layout), the notable exhibitors at the front of their hall."""
    entries = [_notable_entry(row) for row in wic2018.NOTABLE_EXHIBITORS]
    entries += [_company_entry(company) for company in companies]
    next_booth: Counter[str] = Counter()
    exhibitors = []
    for entry in entries:
        hall = SECTORS[entry["sector"]].hall
        position = next_booth[hall]
        next_booth[hall] += 1
        row, number = BOOTH_ROWS[position // BOOTHS_PER_ROW], position % BOOTHS_PER_ROW + 1
        exhibitors.append(ExhibitorSpec(hall=hall, booth=f"{row}{hall}{number:02d}", **entry))
    return tuple(exhibitors)


def _notable_entry(row: tuple) -> dict:
    (slug, company, company_zh, sector, country, website, provenance, refs, refs_zh, about,
     about_zh) = row  # fmt: skip
    return {
        "slug": slug,
        "company": company,
        "company_zh": company_zh,
        "sector": sector,
        "country": country,
        "website": website,
        "description": about,
        "description_zh": about_zh,
        "provenance": provenance,
        "source_note": f"{refs}; {wic2018.HALL_AND_BOOTH}",
        "source_note_zh": f"{refs_zh}；{wic2018.HALL_AND_BOOTH_ZH}",
    }


def _company_entry(company: DemoCompany) -> dict:
    phrase, phrase_zh = SECTORS[company.sector].phrase
    return {
        "slug": company.slug,
        "company": company.company,
        "company_zh": company.company_zh,
        "sector": company.sector,
        "country": company.country,
        "website": company.website,
        "description": f"Demo exhibitor: a fictional {phrase} company invented for this"
        " demonstration.",
        "description_zh": f"演示展商：为本演示虚构的{phrase_zh}企业。",
        "provenance": DEMO,
        "source_note": DEMO_NOTE,
        "source_note_zh": DEMO_NOTE_ZH,
    }


# --- launches -------------------------------------------------------------------------------

DEMO_LAUNCHES = 150
LAUNCH_STAGES = [
    ("Launch Stage A", "发布台A"),
    ("Launch Stage B", "发布台B"),
    ("Launch Stage C", "发布台C"),
]
# Expo days: the first opens after the 09:30 ceremony, the last closes at noon (S4).
LAUNCH_DAYS = [(6, "10:00", "17:30"), (7, "09:00", "17:30"), (8, "09:00", "17:30"),
               (9, "09:00", "17:30"), (10, "09:00", "12:00")]  # fmt: skip
LAUNCH_MINUTES = (20, 25, 30)
CHANGEOVER_MINUTES = (5, 10, 15, 20)
VERSIONS = ("1.0", "2.0", "3.0", "Pro", "Lite", "X")


def launch_slots(rng: random.Random) -> list[tuple[datetime, datetime, str, str]]:
    """Every slot the stages could offer: back to back with a changeover, never overlapping."""
    slots = []
    for stage, stage_zh in LAUNCH_STAGES:
        for day, opens, closes in LAUNCH_DAYS:
            start, end_of_day = at(day, opens), at(day, closes)
            while True:
                end = start + timedelta(minutes=rng.choice(LAUNCH_MINUTES))
                if end > end_of_day:
                    break
                slots.append((start, end, stage, stage_zh))
                start = end + timedelta(minutes=rng.choice(CHANGEOVER_MINUTES))
    return slots


def demo_launches(companies: list[DemoCompany], rng: random.Random) -> tuple[LaunchSpec, ...]:
    """One launch each for 150 demo companies, in slots drawn from the stages' timetable."""
    slots = sorted(rng.sample(launch_slots(rng), DEMO_LAUNCHES), key=lambda slot: slot[:3])
    launching = rng.sample(companies, DEMO_LAUNCHES)
    launches = []
    for company, (starts_at, ends_at, stage, stage_zh) in zip(launching, slots, strict=True):
        product, product_zh = rng.choice(SECTORS[company.sector].products)
        version = rng.choice(VERSIONS)
        launches.append(
            LaunchSpec(
                exhibitor=company.slug,
                product=f"{company.brand} {product} {version}",
                product_zh=f"{company.brand_zh}{product_zh} {version}",
                description="Demo launch: a fictional product invented for this demonstration.",
                description_zh="演示发布：为本演示虚构的产品。",
                starts_at=starts_at,
                ends_at=ends_at,
                stage=stage,
                stage_zh=stage_zh,
                provenance=DEMO,
                source_note=DEMO_NOTE,
                source_note_zh=DEMO_NOTE_ZH,
            )
        )
    return tuple(launches)


# --- the whole plan -------------------------------------------------------------------------


def build_demo_plan(seed: int = DEMO_SEED) -> DemoPlan:
    """The curated facts plus the generated rows; each generator draws from its own stream."""
    speakers = demo_speakers(random.Random(f"{seed}:speakers"))
    sessions = wic2018.CEREMONIES + subforum_sessions(
        wic2018.SUBFORUMS, speakers, random.Random(f"{seed}:sessions")
    )
    companies = demo_companies(random.Random(f"{seed}:exhibitors"))
    launches = demo_launches(companies, random.Random(f"{seed}:launches"))
    return DemoPlan(
        conference=dict(wic2018.CONFERENCE, organisers=list(wic2018.CONFERENCE["organisers"])),
        venues=wic2018.VENUES,
        topics=wic2018.TOPICS,
        speakers=wic2018.SOURCED_SPEAKERS + speakers,
        subforums=wic2018.SUBFORUMS,
        sessions=tuple(
            sorted(sessions, key=lambda item: (item.starts_at, item.subforum, item.title))
        ),
        exhibitors=expo_floor(companies),
        launches=(LaunchSpec(**wic2018.SOGOU_LAUNCH), *launches),
    )
