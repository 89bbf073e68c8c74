"""A campaign's e-mail for one delegate: queued as the kind "campaign" with the campaign's id,
rendered by the sender in the delegate's language with their name and their manage link (made
here, at render time, from their secret: no link is ever stored with the campaign).

The organizer's text is plain text: in the HTML part it is escaped, with paragraphs and line
breaks kept and the manage link made a link."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from typing import Protocol

from flask import Flask, current_app, has_request_context, request
from flask_babel import force_locale, gettext
from markupsafe import Markup, escape

from wuzhen_events.audit.actors import MAIL_SENDER
from wuzhen_events.campaigns.models import Campaign
from wuzhen_events.campaigns.placeholders import (
    BODY_PLACEHOLDERS,
    MANAGE_LINK,
    NAME,
    SUBJECT_PLACEHOLDERS,
    fill_html_paragraphs,
    fill_text,
)
from wuzhen_events.extensions import db
from wuzhen_events.i18n import localized
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.outbox import one_line_subject
from wuzhen_events.mail.rendering import MessageUnrenderable, RenderedMessage, register_renderer
from wuzhen_events.registration import rotation
from wuzhen_events.registration.models import Delegate
from wuzhen_events.registration.tokens import Secret
from wuzhen_events.text import one_line
from wuzhen_events.urls import external_url, is_trusted_base_url

CAMPAIGN_KIND = "campaign"
# The preview shows this in place of a delegate's secret: organizers never see one.
PREVIEW_TOKEN = "your-private-link"


class CampaignTexts(Protocol):
    subject: str
    subject_zh: str
    body: str
    body_zh: str


@dataclass(frozen=True)
class CampaignWording:
    """Every sentence around the organizer's text, translated, for both parts alike."""

    subject: str
    brand: str
    greeting: str
    signature: str
    footer: str


def register_renderers(app: Flask) -> None:
    """The sender renders campaign e-mails here; called from create_app."""
    register_renderer(app, (CAMPAIGN_KIND,), render_campaign_message)


def campaign_context(campaign: Campaign) -> dict[str, object]:
    """What each queued message keeps: the campaign, and the address its links point at when no
    PUBLIC_BASE_URL is set (the sender has no request to take it from)."""
    context: dict[str, object] = {"campaign_id": campaign.id}
    if not current_app.config.get("PUBLIC_BASE_URL") and has_request_context():
        context["base_url"] = request.url_root
    return context


def render_campaign_message(message: OutboxMessage) -> RenderedMessage:
    context = message.context or {}
    campaign = db.session.get(Campaign, context.get("campaign_id") or 0)
    if campaign is None:
        raise MessageUnrenderable("The campaign of this e-mail no longer exists.")
    delegate = db.session.get(Delegate, message.delegate_id) if message.delegate_id else None
    if delegate is None:
        raise MessageUnrenderable("The delegate this e-mail is for no longer exists.")
    if delegate.erased_at is not None:
        raise MessageUnrenderable("The delegate this e-mail is for erased their registration.")
    _renew_secret_hashes(delegate)
    base_url = context.get("base_url")
    with ExitStack() as stack:
        if (
            base_url
            and not current_app.config.get("PUBLIC_BASE_URL")
            and is_trusted_base_url(str(base_url))
        ):
            stack.enter_context(current_app.test_request_context(base_url=str(base_url)))
        manage_url = external_url(
            "registration.manage", token=rotation.secret_of(delegate, Secret.MANAGE)
        )
    return render_campaign(campaign, delegate, locale=message.locale, manage_url=manage_url)


def preview_campaign(campaign: CampaignTexts, delegate: Delegate) -> RenderedMessage:
    """The e-mail `delegate` would receive, with a stand-in for their private link."""
    manage_url = external_url("registration.manage", token=PREVIEW_TOKEN)
    return render_campaign(campaign, delegate, locale=delegate.locale, manage_url=manage_url)


def render_campaign(
    campaign: CampaignTexts, delegate: Delegate, *, locale: str, manage_url: str
) -> RenderedMessage:
    language = "zh" if locale == "zh" else "en"
    subject = campaign.subject_zh if language == "zh" else campaign.subject
    body = campaign.body_zh if language == "zh" else campaign.body
    # One line whatever is stored: a name cannot break the subject or the greeting.
    name = one_line(localized(delegate, "name", language))
    text_values = {NAME: name, MANAGE_LINK: manage_url}
    html_values = {
        NAME: escape(name),
        MANAGE_LINK: Markup('<a href="{0}" style="color:#0b4f8a;">{0}</a>').format(manage_url),
    }
    with force_locale(language):
        wording = CampaignWording(
            subject=one_line_subject(fill_text(subject, {NAME: name}, SUBJECT_PLACEHOLDERS)),
            brand=gettext("World Internet Conference 2018"),
            greeting=gettext("Dear %(name)s,", name=name),
            signature=gettext("The World Internet Conference 2018 team"),
            footer=gettext(
                "You receive this e-mail because this address was used to register for the "
                "Fifth World Internet Conference, Wuzhen, 7–9 November 2018."
            ),
        )
        context = {
            "t": wording,
            "text": fill_text(body, text_values, BODY_PLACEHOLDERS),
            "paragraphs": fill_html_paragraphs(body, html_values, BODY_PLACEHOLDERS),
            "lang": "zh-Hans" if language == "zh" else "en",
        }
        text_body = _render("emails/campaign.txt", context)
        html_body = _render("emails/campaign.html", context)
    return RenderedMessage(
        subject=wording.subject, text_body=text_body, html_body=html_body, attachments=[]
    )


def _render(template_name: str, context: dict) -> str:
    """Without the site's context processors: they read a request an e-mail may lack."""
    return current_app.jinja_env.get_template(template_name).render(context)


def _renew_secret_hashes(delegate: Delegate) -> None:
    """After a SECRET_KEY rotation the link is made with the new key, as registration's own
    e-mails do (registration.mails)."""
    from wuzhen_events.registration.services import renew_secret_hashes

    renew_secret_hashes(delegate, actor=MAIL_SENDER)
