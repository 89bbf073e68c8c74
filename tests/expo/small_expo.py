"""A small Expo, built through the services, that the Expo tests read."""

from __future__ import annotations

from dataclasses import dataclass

from tests import factories
from tests.factories import utc
from wuzhen_events.db import Provenance
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.program.models import Conference

# Every company, in the order the directory lists them (by name, ignoring case).
ALL_COMPANIES = [
    "100% Digital Media",
    "Alibaba Cloud",
    "Cloud Rise Technologies",
    "Nokia",
    "Qualcomm",
    "Under_Score Robotics",
    "Zeta Security",
]


@dataclass
class SmallExpo:
    conference: Conference
    exhibitors: dict[str, Exhibitor]
    launches: dict[str, ProductLaunch]


def make_small_expo() -> SmallExpo:
    """Seven exhibitors in four halls and five countries; five of them launch a product."""
    conference = factories.make_conference()
    make = factories.make_exhibitor
    exhibitors = {
        "alibaba": make(
            conference,
            slug="alibaba-cloud",
            company="Alibaba Cloud",
            company_zh="阿里云",
            sector=Sector.CLOUD_BIG_DATA,
            country="CN",
            hall="1",
            booth="A01",
            website="https://www.alibabacloud.com/",
            description="Cloud computing and city-scale data platforms.",
            description_zh="云计算与城市数据平台。",
            provenance=Provenance.SOURCED,
        ),
        "cloud-rise": make(
            conference,
            slug="cloud-rise",
            company="Cloud Rise Technologies",
            company_zh="云启科技",
            sector=Sector.ARTIFICIAL_INTELLIGENCE,
            country="CN",
            hall="2",
            booth="B07",
        ),
        "nokia": make(
            conference,
            slug="nokia",
            company="Nokia",
            company_zh="诺基亚",
            sector=Sector.TELECOM_5G,
            country="FI",
            hall="10",
            booth="C03",
            provenance=Provenance.INFERRED,
        ),
        "qualcomm": make(
            conference,
            slug="qualcomm",
            company="Qualcomm",
            sector=Sector.SEMICONDUCTORS,
            country="US",
            hall="2",
            booth="B01",
        ),
        "media": make(
            conference,
            slug="digital-media-100",
            company="100% Digital Media",
            sector=Sector.MEDIA,
            country="CN",
            hall="10",
            booth="C09",
        ),
        "robotics": make(
            conference,
            slug="under-score",
            company="Under_Score Robotics",
            sector=Sector.ROBOTICS,
            country="JP",
            hall="1",
            booth="A02",
        ),
        "zeta": make(
            conference,
            slug="zeta-security",
            company="Zeta Security",
            sector=Sector.CYBERSECURITY,
            country="DE",
            hall="A",
            booth="1",
        ),
    }
    launch = factories.make_launch
    launches = {
        "city-brain": launch(
            exhibitors["alibaba"],
            conference,
            product="ET City Brain 2.0",
            product_zh="城市大脑2.0",
            starts_at=utc(7, 6),
            stage="Launch Stage A",
            stage_zh="发布台A",
            description="A traffic platform for whole cities.",
            description_zh="面向整座城市的交通平台。",
        ),
        "edge-box": launch(
            exhibitors["cloud-rise"],
            conference,
            product="Rise Edge AI Box",
            starts_at=utc(7, 6),
            stage="Launch Stage B",
            provenance=Provenance.DEMO,
        ),
        "base-station": launch(
            exhibitors["nokia"],
            conference,
            product="5G Base Station",
            starts_at=utc(8, 2),
            stage="Launch Stage A",
            stage_zh="发布台A",
        ),
        # 23:30 UTC on the 6th is 07:30 on the 7th in Wuzhen: it belongs to the 7th.
        "helper-robot": launch(
            exhibitors["robotics"],
            conference,
            product="Helper Robot",
            starts_at=utc(6, 23, 30),
            stage="Launch Stage B",
        ),
        "vr-tour": launch(
            exhibitors["media"],
            conference,
            product="Wuzhen VR Tour",
            starts_at=utc(6, 2),
            stage="Internet Theatre",
            stage_zh="网剧场",
        ),
    }
    return SmallExpo(conference, exhibitors, launches)
