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


class ApplicationStatus(enum.StrEnum):
    """An exhibitor application waits as APPLIED until an organizer approves or rejects it."""

    APPLIED = "applied"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(APPLICATION_STATUS_LABELS[self])


APPLICATION_STATUS_LABELS = {
    ApplicationStatus.APPLIED: _l("Applied"),
    ApplicationStatus.APPROVED: _l("Approved"),
    ApplicationStatus.REJECTED: _l("Rejected"),
}


class BoothSize(enum.StrEnum):
    """The standard shell-scheme sizes in square metres, or a custom space agreed later."""

    SQM_9 = "9"
    SQM_18 = "18"
    SQM_36 = "36"
    SQM_72 = "72"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return str(BOOTH_SIZE_LABELS[self])


BOOTH_SIZE_LABELS = {
    BoothSize.SQM_9: _l("9 m²"),
    BoothSize.SQM_18: _l("18 m²"),
    BoothSize.SQM_36: _l("36 m²"),
    BoothSize.SQM_72: _l("72 m²"),
    BoothSize.CUSTOM: _l("Custom size (the organizers will contact you)"),
}
