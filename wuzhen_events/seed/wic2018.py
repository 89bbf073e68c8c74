"""The curated part of the demo: what the WIC 2018 facts file states, and the few invented gaps.

Every row says where it comes from. S-numbers are the sources listed in the project's
`wic2018-facts.md`; "B" is the China Daily article of 29 September 2018.
"""

from __future__ import annotations

from datetime import date

from wuzhen_events.db import Provenance
from wuzhen_events.expo.enums import Sector
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.seed.specs import (
    DEMO_NOTE,
    DEMO_NOTE_ZH,
    PartSpec,
    SessionSpec,
    SpeakerSpec,
    SubforumSpec,
    TopicSpec,
    VenueSpec,
    at,
)

SOURCED, INFERRED, DEMO = Provenance.SOURCED, Provenance.INFERRED, Provenance.DEMO
HOST, MODERATOR, SPEAKER = SpeakerRole.HOST, SpeakerRole.MODERATOR, SpeakerRole.SPEAKER

CONFERENCE = {
    "slug": "wic2018",
    "name": "Fifth World Internet Conference",
    "name_zh": "第五届世界互联网大会",
    "edition": 5,
    "theme": (
        "Creating a Digital World for Mutual Trust and Collective Governance"
        " — Towards a Community with a Shared Future in Cyberspace"
    ),
    "theme_zh": "创造互信共治的数字世界——携手共建网络空间命运共同体",
    "city": "Wuzhen, Tongxiang, Zhejiang",
    "city_zh": "浙江桐乡乌镇",
    "venue_name": "Wuzhen Internet International Convention and Exhibition Center",
    "venue_name_zh": "乌镇互联网国际会展中心",
    "timezone": "Asia/Shanghai",
    "starts_on": date(2018, 11, 7),
    "ends_on": date(2018, 11, 9),
    "expo_opens_at": at(6, "09:30"),
    "expo_closes_at": at(10, "12:00"),
    "invited_delegates": 1500,
    "countries_and_regions": 76,
    "enterprises_confirmed": 447,
    "organisers": [
        "Cyberspace Administration of China",
        "People's Government of Zhejiang Province",
    ],
}

# Buildings: (English, Chinese).
WIICEC = (
    "Wuzhen Internet International Convention and Exhibition Center",
    "乌镇互联网国际会展中心",
)
ZHENSHUI = ("Zhenshui Hotel (Waterside Resort), Xizha Scenic Area", "西栅景区枕水酒店")
YUNZHOU = ("Yunzhou Guest Service Center", "云舟宾客中心")
GRAND_THEATRE = ("Wuzhen Grand Theatre", "乌镇大剧院")

PINYIN = "the English hall name is a pinyin rendering"
PINYIN_ZH = "英文厅名为拼音转写"
DEMO_SEATS = "capacity is a demo figure"
DEMO_SEATS_ZH = "座位数为演示数字"
TRANSLATED = "the English name is a translation"
TRANSLATED_ZH = "英文名称为翻译"

# slug, building, hall, hall_zh, room number, capacity, source note, its Chinese. Only Wuzhen
# Hall's seat count is sourced; the others are plausible figures so seat booking can be shown.
_ROOMS = [
    ("wiicec-wuzhen-hall", WIICEC, "Wuzhen Hall", "乌镇厅", "", 3000,
     "S4, S5 (about 3,000 seats)", "S4、S5（约3000个座位）"),
    ("wiicec-tongan-217", WIICEC, "Tong'an Hall", "通安厅", "217", 400,
     f"S4; {PINYIN}; {DEMO_SEATS}", f"S4；{PINYIN_ZH}；{DEMO_SEATS_ZH}"),
    ("wiicec-yudu-203", WIICEC, "Yudu Hall", "雨读厅", "203", 300,
     f"S4; {PINYIN}; {DEMO_SEATS}", f"S4；{PINYIN_ZH}；{DEMO_SEATS_ZH}"),
    ("wiicec-ciyun-106", WIICEC, "Ciyun Hall", "慈云厅", "106", 350,
     f"S4; {PINYIN}; {DEMO_SEATS}", f"S4；{PINYIN_ZH}；{DEMO_SEATS_ZH}"),
    ("wiicec-longxing-208", WIICEC, "Longxing Hall", "垄行厅", "208", 300,
     f"S4; {PINYIN}; {DEMO_SEATS}", f"S4；{PINYIN_ZH}；{DEMO_SEATS_ZH}"),
    ("wiicec-internet-theatre", WIICEC, "Internet Theatre", "网剧场", "", 500,
     f"S18; {TRANSLATED}; {DEMO_SEATS}", f"S18；{TRANSLATED_ZH}；{DEMO_SEATS_ZH}"),
    ("wiicec-lotus-pond-plaza", WIICEC, "Lotus Pond Plaza", "莲池广场", "", None,
     f"S4; {TRANSLATED}; an open-air plaza with no seat count",
     f"S4；{TRANSLATED_ZH}；露天广场，无座位数"),
    ("zhenshui-longfeng", ZHENSHUI, "Longfeng Hall", "龙凤厅", "", 400,
     f"S3, S4; {PINYIN}; {DEMO_SEATS}", f"S3、S4；{PINYIN_ZH}；{DEMO_SEATS_ZH}"),
    ("zhenshui-gongyin", ZHENSHUI, "Gongyin Hall", "宫音厅", "", 250,
     f"S3, S4; {PINYIN}; {DEMO_SEATS}", f"S3、S4；{PINYIN_ZH}；{DEMO_SEATS_ZH}"),
    ("yunzhou-wuzhen-hall", YUNZHOU, "Wuzhen Hall", "乌镇厅", "", 1200,
     f"S4, S35 (English building name from a 2019 source); {DEMO_SEATS}",
     f"S4、S35（英文楼名取自2019年的来源）；{DEMO_SEATS_ZH}"),
    ("grand-theatre", GRAND_THEATRE, "", "", "", 1200,
     f"S4; {DEMO_SEATS}", f"S4；{DEMO_SEATS_ZH}"),
]  # fmt: skip

VENUES = tuple(
    VenueSpec(
        slug=slug,
        building=building[0],
        building_zh=building[1],
        hall=hall,
        hall_zh=hall_zh,
        room_number=room,
        capacity=capacity,
        provenance=SOURCED,
        source_note=note,
        source_note_zh=note_zh,
    )
    for slug, building, hall, hall_zh, room, capacity, note, note_zh in _ROOMS
)

TOPICS = tuple(
    TopicSpec(slug, name, name_zh)
    for slug, name, name_zh in [
        ("artificial-intelligence", "Artificial intelligence", "人工智能"),
        ("5g", "5G", "5G"),
        ("fintech", "Fintech", "金融科技"),
        ("cybersecurity", "Cybersecurity", "网络安全"),
        ("digital-economy", "Digital economy", "数字经济"),
        ("personal-information", "Privacy and personal information", "个人信息保护"),
        ("big-data", "Big data", "大数据"),
        ("culture", "Online culture and exchange", "网络文化交流"),
        ("public-welfare", "Public welfare and poverty alleviation", "网络公益与扶贫"),
        ("cyberspace-governance", "Cyberspace governance", "网络空间治理"),
        ("international-cooperation", "International cooperation", "国际合作"),
        ("digital-silk-road", "Digital Silk Road", "数字丝绸之路"),
        ("industrial-internet", "Industrial internet", "工业互联网"),
        ("internet-of-things", "Internet of Things", "物联网"),
        ("counter-terrorism", "Countering cyber-terrorism", "网络反恐"),
        ("public-services", "Internet and public services", "互联网与公共服务"),
        ("digital-divide", "Digital divide", "数字鸿沟"),
        ("innovation", "Innovation and leading technologies", "创新与领先科技"),
        ("e-commerce", "Cross-border e-commerce", "跨境电子商务"),
        ("online-media", "Online media", "网络媒体"),
        ("blockchain", "Blockchain", "区块链"),
    ]
)


def zh_refs(refs: str) -> str:
    """Source codes as a Chinese note lists them: S9、S10."""
    return refs.replace(", ", "、")


def _person(
    slug: str,
    name: str,
    refs: str,
    provenance: Provenance = SOURCED,
    refs_zh: str = "",
    **fields,
):
    return SpeakerSpec(
        slug=slug,
        name=name,
        provenance=provenance,
        source_note=refs,
        source_note_zh=refs_zh or zh_refs(refs),
        **fields,
    )


SOURCED_SPEAKERS = (
    _person(
        "huang-kunming",
        "Huang Kunming",
        "S6, S7",
        name_zh="黄坤明",
        title="Member of the Political Bureau of the CPC Central Committee; Head of the Publicity"
        " Department",
        title_zh="中共中央政治局委员、中宣部部长",
        affiliation="CPC Central Committee",
        affiliation_zh="中共中央",
        country="CN",
        bio="Gave the keynote speech at the opening ceremony on 7 November 2018.",
        bio_zh="2018年11月7日在开幕式上发表主旨演讲。",
    ),
    _person(
        "pony-ma",
        "Pony Ma",
        "S7, S13",
        name_zh="马化腾",
        title="Chairman and CEO",
        title_zh="董事会主席兼首席执行官",
        affiliation="Tencent",
        affiliation_zh="腾讯",
        country="CN",
        bio="Chairman and CEO of Tencent (Ma Huateng). Spoke at the opening ceremony on"
        " 7 November 2018.",
        bio_zh="腾讯公司董事会主席兼首席执行官。2018年11月7日在开幕式上发言。",
    ),
    _person(
        "shahzad-gul-aryobee",
        "Shahzad Gul Aryobee",
        "S8; the keynote is sourced, but the source garbles the name ('Shahzad Gul Al-Obibi'):"
        " this spelling is inferred",
        INFERRED,
        "S8；主旨演讲有来源，但来源中的姓名有误（“Shahzad Gul Al-Obibi”），此拼写为推断",
        name_zh="沙赫扎德·古尔·阿里约比",
        title="Minister of Communications and Information Technology",
        title_zh="通信和信息技术部部长",
        affiliation="Government of Afghanistan",
        affiliation_zh="阿富汗政府",
        country="AF",
        bio="Afghanistan's Minister of Communications and IT. Gave a keynote at the plenary"
        " session on 7 November 2018.",
        bio_zh="阿富汗通信和信息技术部部长。2018年11月7日在全体会议上发表主旨演讲。",
    ),
    _person(
        "petru-bogdan-cojocaru",
        "Petru Bogdan Cojocaru",
        "S8; the keynote is sourced, but the source truncates the name ('Peter Lu Bogdan…'):"
        " this reading is inferred",
        INFERRED,
        "S8；主旨演讲有来源，但来源中的姓名不完整（“Peter Lu Bogdan…”），此解读为推断",
        name_zh="佩特鲁·博格丹·科若卡鲁",
        title="Minister of Communications and Information Society",
        title_zh="通信和信息社会部部长",
        affiliation="Government of Romania",
        affiliation_zh="罗马尼亚政府",
        country="RO",
        bio="Romania's Minister of Communications and Information Society. Gave a keynote at the"
        " plenary session on 7 November 2018.",
        bio_zh="罗马尼亚通信和信息社会部部长。2018年11月7日在全体会议上发表主旨演讲。",
    ),
    _person(
        "yang-rui",
        "Yang Rui",
        "S9",
        name_zh="杨锐",
        country="CN",
        bio="Moderated the 'Wuzhen Talks – Retrospect and Prospect' dialogue at the plenary"
        " session on 7 November 2018.",
        bio_zh="2018年11月7日主持全体会议“乌镇论道：回顾与展望”对话。",
    ),
    _person(
        "fadi-chehade",
        "Fadi Chehadé",
        "S9, S10",
        name_zh="法迪·切哈德",
        title="Senior advisor to the executive chairman",
        title_zh="执行主席高级顾问",
        affiliation="World Economic Forum",
        affiliation_zh="世界经济论坛",
        country="US",
        bio="Took part in the 'Wuzhen Talks – Retrospect and Prospect' dialogue on"
        " 7 November 2018.",
        bio_zh="2018年11月7日参加“乌镇论道：回顾与展望”对话。",
    ),
    _person(
        "neil-shen",
        "Neil Shen",
        "S9, S10",
        name_zh="沈南鹏",
        title="Global managing partner",
        title_zh="全球执行合伙人",
        affiliation="Sequoia Capital",
        affiliation_zh="红杉资本",
        country="CN",
        bio="Took part in the 'Wuzhen Talks – Retrospect and Prospect' dialogue on"
        " 7 November 2018.",
        bio_zh="2018年11月7日参加“乌镇论道：回顾与展望”对话。",
    ),
    _person(
        "bruce-mcconnell",
        "Bruce McConnell",
        "S9",
        name_zh="布鲁斯·迈康纳",
        title="Vice president",
        title_zh="副总裁",
        affiliation="EastWest Institute",
        affiliation_zh="东西方研究所",
        country="US",
        bio="Took part in the 'Wuzhen Talks – Retrospect and Prospect' dialogue on"
        " 7 November 2018.",
        bio_zh="2018年11月7日参加“乌镇论道：回顾与展望”对话。",
    ),
    _person(
        "ding-lei",
        "Ding Lei",
        "S9",
        name_zh="丁磊",
        title="Founder and CEO",
        title_zh="创始人兼首席执行官",
        affiliation="NetEase",
        affiliation_zh="网易",
        country="CN",
        bio="Founder and CEO of NetEase. Took part in the 'Wuzhen Talks – Retrospect and"
        " Prospect' dialogue on 7 November 2018.",
        bio_zh="网易创始人兼首席执行官。2018年11月7日参加“乌镇论道：回顾与展望”对话。",
    ),
    _person(
        "clas-neumann",
        "Clas Neumann",
        "S9 names 柯曼, SAP global senior vice president; reading this as Clas Neumann is inferred",
        INFERRED,
        "S9提到SAP全球高级副总裁柯曼；认为其即Clas Neumann为推断",
        name_zh="柯曼",
        title="Global senior vice president",
        title_zh="全球高级副总裁",
        affiliation="SAP",
        affiliation_zh="思爱普（SAP）",
        country="DE",
        bio="Took part in the 'Wuzhen Talks – Retrospect and Prospect' dialogue on"
        " 7 November 2018.",
        bio_zh="2018年11月7日参加“乌镇论道：回顾与展望”对话。",
    ),
    _person(
        "elliott-harris",
        "Elliott Harris",
        "S12",
        name_zh="埃利奥特·哈里斯",
        title="Assistant Secretary-General for Economic Development and Chief Economist",
        title_zh="主管经济发展的助理秘书长兼首席经济学家",
        affiliation="UN Department of Economic and Social Affairs (UN DESA)",
        affiliation_zh="联合国经济和社会事务部",
        country="TT",
        bio="Spoke at the closing ceremony on 9 November 2018.",
        bio_zh="2018年11月9日在闭幕式上致辞。",
    ),
    _person(
        "viviane-reding",
        "Viviane Reding",
        "S12, S25",
        name_zh="维维亚娜·雷丁",
        title="Member of Parliament; former Vice-President of the European Commission",
        title_zh="议会议员、欧盟委员会前副主席",
        affiliation="Luxembourg",
        affiliation_zh="卢森堡",
        country="LU",
        bio="Spoke at the closing ceremony on 9 November 2018.",
        bio_zh="2018年11月9日在闭幕式上致辞。",
    ),
    _person(
        "qiu-xueqiang",
        "Qiu Xueqiang",
        "S14",
        name_zh="邱学强",
        title="Deputy Procurator-General",
        title_zh="副检察长",
        affiliation="Supreme People's Procuratorate",
        affiliation_zh="最高人民检察院",
        country="CN",
        bio="Presided over the opening of the subforum 'Personal Information Protection in the"
        " Big Data Era' on 8 November 2018.",
        bio_zh="2018年11月8日主持“大数据时代的个人信息保护”分论坛开幕。",
    ),
    _person(
        "john-hoffman",
        "John Hoffman",
        "S5, S39",
        name_zh="洪曜庄",
        title="CEO",
        title_zh="首席执行官",
        affiliation="GSMA",
        affiliation_zh="全球移动通信系统协会（GSMA）",
        country="US",
        bio="CEO of GSMA. Attended the opening ceremony on 7 November 2018 and made remarks on"
        " 5G at the conference.",
        bio_zh="GSMA首席执行官。2018年11月7日出席开幕式，并在大会上就5G发表讲话。",
    ),
    _person(
        "jiang-tao",
        "Jiang Tao",
        "S27",
        name_zh="蒋韬",
        title="Founder",
        title_zh="创始人",
        affiliation="Tongdun Technology",
        affiliation_zh="同盾科技",
        country="CN",
        bio="Founder of Tongdun Technology. Gave a keynote at the 2018 conference.",
        bio_zh="同盾科技创始人。在2018年大会上发表主旨演讲。",
    ),
    _person(
        "paul-chan",
        "Paul Chan",
        "S11",
        name_zh="陈茂波",
        title="Financial Secretary",
        title_zh="财政司司长",
        affiliation="Hong Kong SAR Government",
        affiliation_zh="香港特别行政区政府",
        country="HK",
        bio="Attended the opening ceremony and the plenary session on 7 November 2018, and met"
        " Ma Li, president of the China Internet Development Foundation, in Wuzhen.",
        bio_zh="2018年11月7日出席开幕式和全体会议，并在乌镇会见中国互联网发展基金会理事长马利。",
    ),
    _person(
        "whitfield-diffie",
        "Whitfield Diffie",
        "S5",
        name_zh="惠特菲尔德·迪菲",
        title="Turing Award laureate (2015)",
        title_zh="图灵奖得主（2015年）",
        country="US",
        bio="Attended the opening ceremony on 7 November 2018.",
        bio_zh="2018年11月7日出席开幕式。",
    ),
    _person(
        "francis-gurry",
        "Francis Gurry",
        "S5",
        name_zh="弗朗西斯·高锐",
        title="Director General",
        title_zh="总干事",
        affiliation="World Intellectual Property Organization (WIPO)",
        affiliation_zh="世界知识产权组织",
        country="AU",
        bio="Attended the opening ceremony on 7 November 2018.",
        bio_zh="2018年11月7日出席开幕式。",
    ),
    _person(
        "edward-tian",
        "Edward Tian",
        "S22",
        name_zh="田溯宁",
        title="Chairman",
        title_zh="董事长",
        affiliation="China Broadband Capital Partners",
        affiliation_zh="中国宽带产业基金",
        country="CN",
        bio="Spoke at the 2018 conference; the session is not known.",
        bio_zh="在2018年大会上发言；具体场次不详。",
    ),
    _person(
        "yang-shuzhen",
        "Yang Shuzhen",
        "S19, S1",
        name_zh="杨树臻",
        title="President",
        title_zh="院长",
        affiliation="Chinese Academy of Cyberspace Studies",
        affiliation_zh="中国网络空间研究院",
        country="CN",
        bio="President of the Chinese Academy of Cyberspace Studies, which edited the World"
        " Internet Development Report 2018 and the China Internet Development Report 2018,"
        " released on 8 November 2018.",
        bio_zh="中国网络空间研究院院长。该院编撰的《世界互联网发展报告2018》和"
        "《中国互联网发展报告2018》于2018年11月8日发布。",
    ),
)

DEMO_SUBFORUM_ZH = "演示分论坛：标题、时间和会场均为本演示虚构。"


def _sourced(slug, title, title_zh, when, venue, capacity, topics, refs, about, about_zh, **extra):
    """A subforum whose title, day, time and room are in the facts; its two-part split is not."""
    day, start, end = when
    return SubforumSpec(
        slug=slug,
        title=title,
        title_zh=title_zh,
        description=f"{about} The English title is a translation.",
        description_zh=about_zh,
        venue=venue,
        capacity=capacity,
        topics=topics,
        starts_at=at(day, start),
        ends_at=at(day, end),
        provenance=SOURCED,
        source_note=f"{refs}; the English title is a translation; {DEMO_SEATS}",
        source_note_zh=f"{zh_refs(refs)}；英文标题为翻译；{DEMO_SEATS_ZH}",
        session_provenance=INFERRED,
        session_note=(
            f"{refs}: the subforum's time and room; splitting it into two parts is inferred;"
            " speakers without a source are demo profiles"
        ),
        session_note_zh=(
            f"{zh_refs(refs)}：分论坛的时间和会场；分为两个环节为推断；没有来源的嘉宾为演示资料"
        ),
        **extra,
    )


def _demo(slug, title, title_zh, when, venue, capacity, topics, reported_in=""):
    """A subforum invented to fill the nineteen; `reported_in` names the refs for its topic."""
    day, start, end = when
    reported = (
        f" Its topic was reported as covered by the subforum programme ({reported_in}), but the"
        " official title was not found."
        if reported_in
        else ""
    )
    reported_zh = (
        f"其主题据报道属于分论坛议程（{zh_refs(reported_in)}），但未找到正式标题。"
        if reported_in
        else ""
    )
    note = f"{DEMO_NOTE}; the topic was reported in {reported_in}" if reported_in else DEMO_NOTE
    note_zh = f"{DEMO_NOTE_ZH}；该主题见于{zh_refs(reported_in)}" if reported_in else DEMO_NOTE_ZH
    return SubforumSpec(
        slug=slug,
        title=title,
        title_zh=title_zh,
        description=f"Demo subforum: its title, time and room are invented for this"
        f" demonstration.{reported}",
        description_zh=DEMO_SUBFORUM_ZH + reported_zh,
        venue=venue,
        capacity=capacity,
        topics=topics,
        starts_at=at(day, start),
        ends_at=at(day, end),
        provenance=DEMO,
        source_note=note,
        source_note_zh=note_zh,
        session_provenance=DEMO,
        session_note=DEMO_NOTE,
        session_note_zh=DEMO_NOTE_ZH,
    )


SUBFORUMS = (
    _sourced(
        "fintech-credit-society",
        "Fintech and Building a Credit Society",
        "金融科技与信用社会建设",
        (8, "08:30", "11:30"),
        "zhenshui-longfeng",
        350,
        ("fintech", "digital-economy"),
        "S4",
        "Financial technology and the building of a credit society.",
        "聚焦金融科技与信用社会建设。",
        parts=(
            PartSpec(
                "Opening and keynote speeches",
                "开幕及主旨演讲",
                SessionKind.SUBFORUM_SESSION,
                (("jiang-tao", SPEAKER),),
                "S27: Jiang Tao gave a keynote at the conference; placing it here is inferred",
                "S27：蒋韬在大会上发表主旨演讲；安排在此为推断",
            ),
            PartSpec("Panel discussion", "圆桌讨论", SessionKind.PANEL),
        ),
    ),
    _sourced(
        "civilizations-online-culture",
        "Mutual Learning among Civilizations: Online Cultural Exchange and Sharing",
        "文明互鉴：网上文化交流共享",
        (8, "08:30", "11:35"),
        "wiicec-tongan-217",
        350,
        ("culture", "international-cooperation"),
        "S4",
        "Mutual learning among civilizations through online cultural exchange and sharing.",
        "聚焦文明互鉴与网上文化交流共享。",
    ),
    _sourced(
        "public-welfare-poverty",
        "Online Public Welfare and Poverty Alleviation: Ending Hunger and Poverty",
        "网络公益与扶贫：消除饥饿与贫困",
        (8, "08:30", "12:00"),
        "wiicec-yudu-203",
        280,
        ("public-welfare", "digital-divide", "public-services"),
        "S4",
        "Online public welfare and the internet's part in ending hunger and poverty.",
        "聚焦网络公益与扶贫，消除饥饿与贫困。",
    ),
    _sourced(
        "personal-information-protection",
        "Personal Information Protection in the Big Data Era",
        "大数据时代的个人信息保护",
        (8, "08:45", "12:10"),
        "wiicec-ciyun-106",
        320,
        ("personal-information", "big-data"),
        "S4, S14",
        "Hosted by the Supreme People's Procuratorate with the China Federation of Internet"
        " Societies and the Zhejiang Provincial People's Procuratorate. Deputy"
        " Procurator-General Qiu Xueqiang presided over the opening.",
        "由最高人民检察院主办，中国网络社会组织联合会、浙江省人民检察院协办。"
        "最高人民检察院副检察长邱学强主持开幕。",
        host_organisations=(
            "Supreme People's Procuratorate",
            "China Federation of Internet Societies",
            "Zhejiang Provincial People's Procuratorate",
        ),
        host_organisations_zh=("最高人民检察院", "中国网络社会组织联合会", "浙江省人民检察院"),
        parts=(
            PartSpec(
                "Opening and keynote speeches",
                "开幕及主旨演讲",
                SessionKind.SUBFORUM_SESSION,
                (("qiu-xueqiang", HOST),),
                "S14: Qiu Xueqiang presided over the opening",
                "S14：邱学强主持开幕",
            ),
            PartSpec("Panel discussion", "圆桌讨论", SessionKind.PANEL),
        ),
    ),
    _sourced(
        "foreseeing-the-internet-future",
        "Foreseeing the Internet's Future: Experts and Entrepreneurs Forum of the World Internet"
        " Leading S&T Achievements Release",
        "预见互联网未来——世界互联网领先科技成果发布活动专家与企业家论坛",
        (8, "08:45", "12:00"),
        "zhenshui-gongyin",
        250,
        ("innovation", "artificial-intelligence", "5g"),
        "S4, S2",
        "The experts' and entrepreneurs' forum of the World Internet Leading Scientific and"
        " Technological Achievements release, new in 2018.",
        "世界互联网领先科技成果发布活动的专家与企业家论坛，2018年新设。",
    ),
    _sourced(
        "entrepreneurs-digital-economy",
        "Entrepreneurs' Summit Dialogue: Digital Economy in the New Era",
        "企业家高峰对话：新时代的数字经济",
        (8, "14:30", "18:30"),
        "zhenshui-longfeng",
        400,
        ("digital-economy",),
        "S4",
        "Entrepreneurs in dialogue on the digital economy in the new era.",
        "企业家围绕新时代的数字经济展开高峰对话。",
        parts=(
            PartSpec("Keynote speeches", "主旨演讲", SessionKind.SUBFORUM_SESSION),
            PartSpec("Summit dialogue", "高峰对话", SessionKind.PANEL),
        ),
    ),
    _sourced(
        "5g-era",
        "The 5G Era: Open Cooperation for a Shared Future",
        "5G时代：开放合作 共创未来",
        (9, "08:00", "10:50"),
        "wiicec-tongan-217",
        380,
        ("5g", "international-cooperation"),
        "S4",
        "Open cooperation on 5G networks and their applications.",
        "聚焦5G时代的开放合作与共创未来。",
        parts=(
            PartSpec(
                "Opening and keynote speeches",
                "开幕及主旨演讲",
                SessionKind.SUBFORUM_SESSION,
                (("john-hoffman", SPEAKER),),
                "S39: John Hoffman made 5G remarks at the conference; placing them here is"
                " inferred",
                "S39：洪曜庄在大会上就5G发表讲话；安排在此为推断",
            ),
            PartSpec("Panel discussion", "圆桌讨论", SessionKind.PANEL),
        ),
    ),
    _sourced(
        "cybersecurity-forum",
        "Cybersecurity Forum",
        "网络安全论坛",
        (9, "08:30", "10:30"),
        "wiicec-longxing-208",
        300,
        ("cybersecurity",),
        "S4",
        "A forum on cybersecurity.",
        "围绕网络安全展开研讨。",
    ),
    SubforumSpec(
        slug="norms-in-cyberspace",
        title="Norms in Cyberspace: Practices and Explorations",
        title_zh="网络空间规则：实践与探索",
        description=(
            "Invitation-only roundtable sponsored by the Shanghai Academy of Social Sciences and"
            " Wuhan University, with 24 presenters from organisations including ICANN, the World"
            " Economic Forum, the EastWest Institute, the European Union, Keio University, Korea"
            " University, MIT, Georgia Tech, the Internet Governance Project, the Cyberspace"
            " Administration of China, China's Ministry of Foreign Affairs, CICIR and the law"
            " schools of Beihang and Peking universities. Its day, time and room are not known:"
            " the placement shown here is inferred."
        ),
        description_zh=(
            "由上海社会科学院和武汉大学主办的闭门圆桌会议（凭邀请参加），24位发言人来自ICANN、"
            "世界经济论坛、东西方研究所、欧盟等机构。具体日期、时间和会场未查到，此处安排为推断。"
        ),
        venue="wiicec-ciyun-106",
        capacity=120,
        # Invitation-only (S16): seats for the categories that come by invitation.
        restricted_to=("government", "international_organisation"),
        topics=("cyberspace-governance", "international-cooperation"),
        starts_at=at(8, "14:00"),
        ends_at=at(8, "17:30"),
        provenance=INFERRED,
        source_note=(
            "S16 gives the title, sponsors and presenters; counting it among the nineteen, its"
            " day, time and room are inferred; the Chinese title is a translation; capacity is a"
            " demo figure"
        ),
        source_note_zh=(
            "S16给出标题、主办方和发言人；将其计入19场分论坛及其日期、时间和会场均为推断；"
            "中文标题为翻译；座位数为演示数字"
        ),
        session_provenance=INFERRED,
        session_note=(
            "S16; the day, time, room and two-part split are inferred; the speakers shown are"
            " demo profiles"
        ),
        session_note_zh="S16；日期、时间、会场和两个环节的划分均为推断；所列嘉宾为演示资料",
        host_organisations=("Shanghai Academy of Social Sciences", "Wuhan University"),
        host_organisations_zh=("上海社会科学院", "武汉大学"),
        parts=(
            PartSpec("Roundtable: practices", "圆桌讨论：实践", SessionKind.SUBFORUM_SESSION),
            PartSpec("Roundtable: explorations", "圆桌讨论：探索", SessionKind.PANEL),
        ),
    ),
    _demo(
        "artificial-intelligence-forum",
        "Artificial Intelligence: Empowering a Smarter Future",
        "人工智能：赋能智慧未来",
        (8, "08:30", "12:00"),
        "wiicec-longxing-208",
        300,
        ("artificial-intelligence", "innovation"),
        "S1, S2, S15",
    ),
    _demo(
        "digital-silk-road-forum",
        "Digital Silk Road: Connectivity for Shared Prosperity",
        "数字丝绸之路：互联互通 共同繁荣",
        (8, "14:00", "17:30"),
        "wiicec-tongan-217",
        350,
        ("digital-silk-road", "international-cooperation"),
        "S1",
    ),
    _demo(
        "industrial-internet-forum",
        "Industrial Internet: Innovation in Manufacturing",
        "工业互联网：制造业创新发展",
        (8, "14:00", "17:30"),
        "zhenshui-gongyin",
        220,
        ("industrial-internet",),
        "S15",
    ),
    _demo(
        "internet-of-things-forum",
        "Internet of Things: Connecting Everything Securely",
        "物联网：安全互联万物",
        (8, "14:00", "17:30"),
        "wiicec-longxing-208",
        280,
        ("internet-of-things",),
        "S15",
    ),
    _demo(
        "countering-cyber-terrorism-forum",
        "Countering Cyber-Terrorism: Deepening International Cooperation",
        "网络反恐：深化国际合作",
        (9, "08:30", "10:30"),
        "wiicec-ciyun-106",
        200,
        ("counter-terrorism", "cybersecurity", "international-cooperation"),
        "S2, S15",
    ),
    _demo(
        "internet-public-services-forum",
        "Internet and Public Services: Serving People Online",
        "互联网与公共服务：让数据多跑路",
        (9, "08:30", "10:45"),
        "wiicec-yudu-203",
        250,
        ("public-services",),
        "B",
    ),
    _demo(
        "bridging-the-digital-divide",
        "Bridging the Digital Divide",
        "弥合数字鸿沟",
        (8, "14:00", "17:30"),
        "wiicec-yudu-203",
        260,
        ("digital-divide", "public-welfare"),
        "S1, S2, S15",
    ),
    _demo(
        "online-media-forum",
        "Online Media in the Age of Intelligence",
        "智能时代的网络媒体",
        (8, "14:00", "17:00"),
        "wiicec-internet-theatre",
        400,
        ("online-media", "artificial-intelligence"),
    ),
    _demo(
        "cross-border-e-commerce-forum",
        "Cross-border E-commerce and the Digital Marketplace",
        "跨境电商与数字市场",
        (9, "08:30", "10:45"),
        "zhenshui-longfeng",
        350,
        ("e-commerce", "digital-economy"),
    ),
    _demo(
        "blockchain-forum",
        "Blockchain: Building Trust in Applications",
        "区块链：构建可信应用",
        (9, "08:30", "10:45"),
        "zhenshui-gongyin",
        220,
        ("blockchain", "fintech"),
    ),
)

DEFAULT_PARTS = (
    PartSpec("Opening and keynote speeches", "开幕及主旨演讲", SessionKind.SUBFORUM_SESSION),
    PartSpec("Panel discussion", "圆桌讨论", SessionKind.PANEL),
)

WUZHEN_TALKS = "'Wuzhen Talks – Retrospect and Prospect'"

CEREMONIES = (
    SessionSpec(
        title="Light of Internet Expo opening ceremony",
        title_zh="“互联网之光”博览会开幕式",
        kind=SessionKind.CEREMONY,
        starts_at=at(6, "09:30"),
        ends_at=at(6, "10:00"),
        venue="wiicec-lotus-pond-plaza",
        provenance=SOURCED,
        source_note="S4",
        source_note_zh="S4",
        abstract="The Light of Internet Expo opens; it runs until noon on 10 November.",
        abstract_zh="“互联网之光”博览会开幕，展期至11月10日中午。",
    ),
    SessionSpec(
        title="Light of Internet Expo press conference",
        title_zh="“互联网之光”博览会新闻发布会",
        kind=SessionKind.PRESS_CONFERENCE,
        starts_at=at(6, "14:00"),
        ends_at=at(6, "15:00"),
        venue="wiicec-internet-theatre",
        provenance=INFERRED,
        source_note="S18 places it on the afternoon of 6 November; 14:00–15:00 is inferred",
        source_note_zh="S18称其于11月6日下午举行；14:00–15:00为推断",
    ),
    SessionSpec(
        title="Opening ceremony",
        title_zh="开幕式",
        kind=SessionKind.CEREMONY,
        starts_at=at(7, "10:30"),
        ends_at=at(7, "11:30"),
        venue="wiicec-wuzhen-hall",
        provenance=SOURCED,
        source_note="S4, S5, S6, S7, S13",
        source_note_zh="S4、S5、S6、S7、S13",
        speakers=(("huang-kunming", SPEAKER), ("pony-ma", SPEAKER)),
        abstract=(
            "President Xi Jinping sent a congratulatory letter. Huang Kunming gave the keynote"
            " speech; Pony Ma, chairman and CEO of Tencent, also spoke."
        ),
        abstract_zh="习近平主席致贺信。黄坤明发表主旨演讲，腾讯公司董事会主席兼首席执行官马化腾发言。",
    ),
    SessionSpec(
        title="Plenary session: keynote speeches",
        title_zh="全体会议：主旨演讲",
        kind=SessionKind.PLENARY,
        starts_at=at(7, "14:00"),
        ends_at=at(7, "15:00"),
        venue="wiicec-wuzhen-hall",
        provenance=INFERRED,
        source_note=(
            "S4, S8: the plenary ran 14:00–16:00 with these keynotes; splitting it at 15:00 into"
            " keynotes and the dialogue is inferred"
        ),
        source_note_zh=(
            "S4、S8：全体会议于14:00–16:00举行，包括这些主旨演讲；以15:00为界分为主旨演讲和对话为推断"
        ),
        speakers=(("shahzad-gul-aryobee", SPEAKER), ("petru-bogdan-cojocaru", SPEAKER)),
        abstract=(
            "Keynotes included those of Afghanistan's Minister of Communications and IT and"
            " Romania's Minister of Communications and Information Society."
        ),
        abstract_zh="主旨演讲嘉宾包括阿富汗通信和信息技术部部长和罗马尼亚通信和信息社会部部长。",
    ),
    SessionSpec(
        title="Plenary dialogue: Wuzhen Talks – Retrospect and Prospect",
        title_zh="全体会议：乌镇论道——回顾与展望",
        kind=SessionKind.PANEL,
        starts_at=at(7, "15:00"),
        ends_at=at(7, "16:00"),
        venue="wiicec-wuzhen-hall",
        provenance=INFERRED,
        source_note=(
            "S4, S9, S10: the dialogue was part of the 14:00–16:00 plenary; its 15:00 start is"
            " inferred"
        ),
        source_note_zh="S4、S9、S10：对话是14:00–16:00全体会议的一部分；15:00开始为推断",
        speakers=(
            ("yang-rui", MODERATOR),
            ("fadi-chehade", SPEAKER),
            ("neil-shen", SPEAKER),
            ("bruce-mcconnell", SPEAKER),
            ("ding-lei", SPEAKER),
            ("clas-neumann", SPEAKER),
        ),
        abstract=f"The {WUZHEN_TALKS} dialogue, moderated by Yang Rui.",
        abstract_zh="“乌镇论道：回顾与展望”对话，由杨锐主持。",
    ),
    SessionSpec(
        title="World Internet Leading Scientific and Technological Achievements release",
        title_zh="世界互联网领先科技成果发布活动",
        kind=SessionKind.RELEASE,
        starts_at=at(7, "16:30"),
        ends_at=at(7, "18:30"),
        venue="wiicec-wuzhen-hall",
        provenance=SOURCED,
        source_note="S4, S24, S17",
        source_note_zh="S4、S24、S17",
        topics=("innovation", "artificial-intelligence", "5g", "big-data", "blockchain"),
        abstract=(
            "Fifteen leading achievements in fields such as AI, 5G, big data, cloud computing and"
            " blockchain were released. Submissions were invited in July 2018 and chosen by a"
            " recommendation committee."
        ),
        abstract_zh="发布15项世界互联网领先科技成果，涵盖人工智能、5G、大数据、云计算、区块链等领域。",
    ),
    SessionSpec(
        title="'Wuzhen Night' welcome banquet (by invitation)",
        title_zh="“乌镇之夜”欢迎晚宴（凭请柬）",
        kind=SessionKind.SOCIAL,
        starts_at=at(7, "19:00"),
        ends_at=at(7, "20:30"),
        venue="yunzhou-wuzhen-hall",
        provenance=SOURCED,
        source_note="S4",
        source_note_zh="S4",
    ),
    SessionSpec(
        title="Release of the World Internet Development Report 2018 and the China Internet"
        " Development Report 2018",
        title_zh="《世界互联网发展报告2018》和《中国互联网发展报告2018》蓝皮书发布",
        kind=SessionKind.RELEASE,
        starts_at=at(8, "10:00"),
        ends_at=at(8, "11:00"),
        venue="wiicec-internet-theatre",
        provenance=INFERRED,
        source_note="S19, S1 give the release on 8 November; the time and room are inferred",
        source_note_zh="S19、S1称于11月8日发布；时间和会场为推断",
        topics=("cyberspace-governance", "digital-economy"),
        abstract=(
            "The conference's two blue books, edited by the Chinese Academy of Cyberspace"
            " Studies, cover eight areas from information infrastructure to international"
            " cyberspace governance."
        ),
        abstract_zh="大会蓝皮书由中国网络空间研究院编撰，涵盖从信息基础设施到网络空间国际治理等八个方面。",
    ),
    SessionSpec(
        title="Arts performance",
        title_zh="文艺演出",
        kind=SessionKind.SOCIAL,
        starts_at=at(8, "19:30"),
        ends_at=at(8, "20:40"),
        venue="grand-theatre",
        provenance=SOURCED,
        source_note="S4",
        source_note_zh="S4",
    ),
    SessionSpec(
        title="Closing ceremony",
        title_zh="闭幕式",
        kind=SessionKind.CEREMONY,
        starts_at=at(9, "11:00"),
        ends_at=at(9, "12:00"),
        venue="wiicec-wuzhen-hall",
        provenance=SOURCED,
        source_note="S4, S12, S25",
        source_note_zh="S4、S12、S25",
        speakers=(("elliott-harris", SPEAKER), ("viviane-reding", SPEAKER)),
        abstract="Speeches by Elliott Harris of UN DESA and Viviane Reding.",
        abstract_zh="联合国经济和社会事务部助理秘书长埃利奥特·哈里斯和维维亚娜·雷丁致辞。",
    ),
)
# The High-level Advisory Council's closed meeting of 6 November (S29) is left out: it had no
# known time or room and was not open to delegates, so any slot for it would be invented.

HALL_AND_BOOTH = "hall and booth are demo placements"
HALL_AND_BOOTH_ZH = "展馆和展位为演示安排"

# slug, company, company_zh, sector, country, website, provenance, refs, refs in Chinese,
# description, its Chinese
NOTABLE_EXHIBITORS = [
    ("sogou", "Sogou", "搜狗", Sector.ARTIFICIAL_INTELLIGENCE, "CN", "https://www.sogou.com",
     SOURCED, "S21", "S21",
     "Showed the AI news anchors it developed with Xinhua News Agency at its booth on"
     " 7 November.",
     "11月7日在展台展示与新华社联合开发的AI合成主播。"),
    ("xinhua-news-agency", "Xinhua News Agency", "新华社", Sector.MEDIA, "CN",
     "https://www.xinhuanet.com", SOURCED, "S21, S39", "S21、S39",
     "AI news anchors: a Chinese-speaking one modelled on anchor Qiu Hao and an"
     " English-speaking one modelled on Zhang Zhao.",
     "AI合成主播：中文主播以邱浩为原型，英文主播以张昭为原型。"),
    ("huawei", "Huawei", "华为", Sector.TELECOM_5G, "CN", "https://www.huawei.com",
     SOURCED, "S22", "S22", "Showed 5G applications.", "展示5G应用。"),
    ("alipay-ant-financial", "Alipay (Ant Financial)", "支付宝（蚂蚁金服）", Sector.FINTECH, "CN",
     "https://www.alipay.com", SOURCED, "S22", "S22", "Showed 5G applications.", "展示5G应用。"),
    ("qualcomm", "Qualcomm", "高通", Sector.SEMICONDUCTORS, "US", "https://www.qualcomm.com",
     SOURCED, "S22", "S22", "Showed 5G applications.", "展示5G应用。"),
    ("bmw", "BMW", "宝马", Sector.SMART_MOBILITY, "DE", "https://www.bmw.com",
     SOURCED, "S22", "S22", "Showed 5G applications.", "展示5G应用。"),
    ("ericsson", "Ericsson", "爱立信", Sector.TELECOM_5G, "SE", "https://www.ericsson.com",
     SOURCED, "S22", "S22", "Showed 5G applications.", "展示5G应用。"),
    ("china-mobile", "China Mobile", "中国移动", Sector.TELECOM_5G, "CN",
     "https://www.chinamobileltd.com", SOURCED, "S18", "S18",
     "5G demonstration project, its first at the conference: 5G live video and a 5G ambulance"
     " for remote medical care.",
     "首次亮相世界互联网大会的5G示范项目：5G直播与5G远程医疗急救车。"),
    ("baidu", "Baidu", "百度", Sector.SMART_MOBILITY, "CN", "https://www.baidu.com",
     SOURCED, "S15; that the vehicle stood in the Expo hall is inferred",
     "S15；该车辆陈列于博览会展馆内为推断",
     "'Apollo' self-driving vehicle, shown on 7 November.",
     "11月7日展示“阿波罗”（Apollo）自动驾驶汽车。"),
    ("tongdun-technology", "Tongdun Technology", "同盾科技", Sector.FINTECH, "CN",
     "https://www.tongdun.cn", INFERRED,
     "S23 quotes its staff on voiceprint recognition at the conference; that it had a stand is"
     " inferred",
     "S23引用其员工在大会上谈声纹识别的发言；其设有展台为推断",
     "Voiceprint recognition.", "声纹识别。"),
    ("china-unicom", "China Unicom", "中国联通", Sector.TELECOM_5G, "CN",
     "https://www.chinaunicom.com.cn", INFERRED,
     "S23 quotes its staff at the conference; that it had a stand is inferred",
     "S23引用其员工在大会上的发言；其设有展台为推断",
     "Telecommunications operator.", "电信运营商。"),
    ("kaspersky", "Kaspersky", "卡巴斯基", Sector.CYBERSECURITY, "RU", "https://www.kaspersky.com",
     INFERRED, "S23 quotes a manager at the conference; that it had a stand is inferred",
     "S23引用其一位经理在大会上的发言；其设有展台为推断",
     "Cybersecurity.", "网络安全。"),
    ("ping-an-good-doctor", "Ping An Good Doctor", "平安好医生", Sector.DIGITAL_HEALTH, "CN",
     "https://www.jk.cn", INFERRED,
     "seen only in an unattributed search excerpt with no citable source",
     "仅见于一条没有出处的搜索摘要，无可引用的来源",
     "AI 'one-minute clinic'.", "AI“一分钟诊所”。"),
]  # fmt: skip

# The one launch the facts name; its hour is not known.
SOGOU_LAUNCH = {
    "exhibitor": "sogou",
    "product": "Xinhua–Sogou AI news anchors",
    "product_zh": "新华社—搜狗AI合成主播",
    "description": (
        "AI news anchors developed by Sogou with Xinhua News Agency, modelled on Xinhua anchors"
        " Qiu Hao (Chinese) and Zhang Zhao (English), shown at the Sogou booth."
    ),
    "description_zh": (
        "搜狗与新华社联合开发的AI合成主播，分别以新华社主播邱浩（中文）和张昭（英文）为原型，"
        "在搜狗展台亮相。"
    ),
    "starts_at": at(7, "10:00"),
    "ends_at": at(7, "10:30"),
    "stage": "Sogou booth",
    "stage_zh": "搜狗展台",
    "provenance": SOURCED,
    "source_note": (
        "S21, S39: shown with Xinhua News Agency at the Sogou booth on 7 November; the time of"
        " day is a demo placement"
    ),
    "source_note_zh": "S21、S39：11月7日与新华社一同在搜狗展台展示；具体时刻为演示安排",
}
