"""Expo sectors, with the labels pages show for them."""

import enum

from flask_babel import lazy_gettext as _l


class Sector(enum.StrEnum):
    ARTIFICIAL_INTELLIGENCE = "artificial-intelligence"
    TELECOM_5G = "5g-telecom"
    CLOUD_BIG_DATA = "cloud-big-data"
    CYBERSECURITY = "cybersecurity"
    FINTECH = "fintech"
    INDUSTRIAL_INTERNET = "industrial-internet"
    INTERNET_OF_THINGS = "internet-of-things"
    SMART_MOBILITY = "smart-mobility"
    E_COMMERCE = "e-commerce"
    DIGITAL_HEALTH = "digital-health"
    ONLINE_EDUCATION = "online-education"
    VR_AR = "vr-ar"
    ROBOTICS = "robotics"
    SEMICONDUCTORS = "semiconductors"
    MEDIA = "digital-media"

    @property
    def label(self) -> str:
        return str(SECTOR_LABELS[self])


SECTOR_LABELS = {
    Sector.ARTIFICIAL_INTELLIGENCE: _l("Artificial intelligence"),
    Sector.TELECOM_5G: _l("5G and telecommunications"),
    Sector.CLOUD_BIG_DATA: _l("Cloud and big data"),
    Sector.CYBERSECURITY: _l("Cybersecurity"),
    Sector.FINTECH: _l("Fintech"),
    Sector.INDUSTRIAL_INTERNET: _l("Industrial internet"),
    Sector.INTERNET_OF_THINGS: _l("Internet of Things"),
    Sector.SMART_MOBILITY: _l("Autonomous driving and smart mobility"),
    Sector.E_COMMERCE: _l("E-commerce and digital services"),
    Sector.DIGITAL_HEALTH: _l("Digital health"),
    Sector.ONLINE_EDUCATION: _l("Online education"),
    Sector.VR_AR: _l("VR and AR"),
    Sector.ROBOTICS: _l("Robotics"),
    Sector.SEMICONDUCTORS: _l("Semiconductors"),
    Sector.MEDIA: _l("Digital media"),
}
