"""Expo sectors, with the labels pages show for them."""

from flask_babel import lazy_gettext as _l

from wuzhen_events.enums import LabelledEnum


class Sector(LabelledEnum):
    ARTIFICIAL_INTELLIGENCE = "artificial-intelligence", _l("Artificial intelligence")
    TELECOM_5G = "5g-telecom", _l("5G and telecommunications")
    CLOUD_BIG_DATA = "cloud-big-data", _l("Cloud and big data")
    CYBERSECURITY = "cybersecurity", _l("Cybersecurity")
    FINTECH = "fintech", _l("Fintech")
    INDUSTRIAL_INTERNET = "industrial-internet", _l("Industrial internet")
    INTERNET_OF_THINGS = "internet-of-things", _l("Internet of Things")
    SMART_MOBILITY = "smart-mobility", _l("Autonomous driving and smart mobility")
    E_COMMERCE = "e-commerce", _l("E-commerce and digital services")
    DIGITAL_HEALTH = "digital-health", _l("Digital health")
    ONLINE_EDUCATION = "online-education", _l("Online education")
    VR_AR = "vr-ar", _l("VR and AR")
    ROBOTICS = "robotics", _l("Robotics")
    SEMICONDUCTORS = "semiconductors", _l("Semiconductors")
    MEDIA = "digital-media", _l("Digital media")


class ApplicationStatus(LabelledEnum):
    """An exhibitor application waits as APPLIED until an organizer approves or rejects it."""

    APPLIED = "applied", _l("Applied")
    APPROVED = "approved", _l("Approved")
    REJECTED = "rejected", _l("Rejected")


class BoothSize(LabelledEnum):
    """The standard shell-scheme sizes in square metres, or a custom space agreed later."""

    SQM_9 = "9", _l("9 m²")
    SQM_18 = "18", _l("18 m²")
    SQM_36 = "36", _l("36 m²")
    SQM_72 = "72", _l("72 m²")
    CUSTOM = "custom", _l("Custom size (the organizers will contact you)")
