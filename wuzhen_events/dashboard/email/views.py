"""E-mail to delegates: the campaigns, the composer (for the delegates table's filter), a
campaign's preview and recipient count before it is sent, and its message log after."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.campaigns import queries, services
from wuzhen_events.campaigns.mails import preview_campaign
from wuzhen_events.campaigns.models import Campaign
from wuzhen_events.campaigns.services import CampaignDraft, CampaignError
from wuzhen_events.dashboard.access import current_account, current_actor, current_scope, requires
from wuzhen_events.dashboard.email.forms import (
    PLACEHOLDER_HINT,
    ActionForm,
    CampaignForm,
    RecipientsForm,
    new_idempotency_key,
)
from wuzhen_events.dashboard.filters import delegate_filter_from, filter_args
from wuzhen_events.extensions import db
from wuzhen_events.forms import form_problems
from wuzhen_events.i18n import localized, short_datetime
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.program.queries import conference_or_404, subforums_for_conference

bp = Blueprint("email", __name__, url_prefix="/email")

PAGE_LIMIT = 10**6
# The states of a message as the log names them.
STATUS_LABELS = {
    OutboxStatus.PENDING: _l("Waiting"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
    OutboxStatus.SUPERSEDED: _l("Not needed"),
}


@bp.get("/")
@requires(Permission.SEND_EMAIL)
def index():
    conference = conference_or_404()
    return render_template(
        "dashboard/email/index.html",
        summaries=queries.campaign_summaries(conference.id),
        statuses=STATUS_LABELS,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.SEND_EMAIL)
def compose():
    conference = conference_or_404()
    wanted = delegate_filter_from(request.args)
    scope = current_scope().subforum_ids
    form = CampaignForm()
    if form.validate_on_submit():
        draft = CampaignDraft(
            subject=form.subject.data,
            subject_zh=form.subject_zh.data,
            body=form.body.data,
            body_zh=form.body_zh.data,
        )
        try:
            campaign = services.create_campaign(
                conference,
                draft,
                recipients=wanted,
                subforum_ids=scope,
                idempotency_key=form.idempotency_key.data or "",
                created_by=current_account().id,
                actor=current_actor(),
            )
        except CampaignError as refusal:
            if refusal.field in form:
                form[refusal.field].errors.append(refusal.message)
            else:
                flash(refusal.message, "error")
                form.idempotency_key.data = new_idempotency_key()
                return _compose_page(conference, wanted, scope, form, status=422)
        else:
            return redirect(url_for(".campaign", campaign_id=campaign.id), 303)
    if not form.idempotency_key.data:
        form.idempotency_key.data = new_idempotency_key()
    refused = any(field.errors for field in form)
    return _compose_page(conference, wanted, scope, form, status=422 if refused else 200)


def _compose_page(conference, wanted, scope, form: CampaignForm, *, status: int):
    recipients_form = RecipientsForm(request.args)
    recipients_form.subforum.choices = [("", _("Any"))] + [
        (str(subforum.id), localized(subforum, "title"))
        for subforum in subforums_for_conference(conference)
    ]
    args = filter_args(wanted)
    return render_template(
        "dashboard/email/compose.html",
        form=form,
        problems=form_problems(form),
        recipients_form=recipients_form,
        recipient_count=queries.recipient_count(conference.id, wanted, subforum_ids=scope),
        action=url_for(".compose", **args),
        placeholder_hint=PLACEHOLDER_HINT,
    ), status


@bp.get("/<int:campaign_id>/")
@requires(Permission.SEND_EMAIL)
def campaign(campaign_id: int):
    campaign = _campaign_or_404(campaign_id)
    if campaign.is_draft:
        return _draft_page(campaign)
    status = _status(request.args.get("state"))
    page_number = request.args.get("page", 1, type=int) or 1
    log = queries.campaign_log(campaign, status=status, page=min(max(1, page_number), PAGE_LIMIT))
    log = replace(
        log,
        url_for_page=lambda number: url_for(
            ".campaign",
            campaign_id=campaign.id,
            page=number,
            **({"state": status.value} if status else {}),
        ),
    )
    counts = queries.message_counts([campaign.id])[campaign.id]
    return render_template(
        "dashboard/email/campaign.html",
        campaign=campaign,
        counts=counts,
        statuses=STATUS_LABELS,
        status_filter=status,
        failed_count=counts[OutboxStatus.FAILED],
        log=log,
        action_form=ActionForm(),
        queued_at=short_datetime(campaign.queued_at),
    )


def _draft_page(campaign: Campaign):
    wanted, scope = queries.campaign_filter(campaign)
    chosen = queries.preview_recipient(campaign, request.args.get("recipient", type=int))
    return render_template(
        "dashboard/email/draft.html",
        campaign=campaign,
        recipient_count=queries.recipient_count(campaign.conference_id, wanted, subforum_ids=scope),
        candidates=queries.preview_candidates(campaign.conference_id, wanted, subforum_ids=scope),
        chosen=chosen,
        preview=preview_campaign(campaign, chosen) if chosen is not None else None,
        interval_seconds=queries.campaign_interval().total_seconds(),
        action_form=ActionForm(),
    )


@bp.post("/<int:campaign_id>/send")
@requires(Permission.SEND_EMAIL)
def send(campaign_id: int):
    campaign = _campaign_or_404(campaign_id)
    if ActionForm().validate_on_submit():
        try:
            result = services.queue_campaign(campaign.id, actor=current_actor())
        except CampaignError as refusal:
            flash(refusal.message, "error")
        else:
            flash(
                _(
                    "Queued %(count)d e-mails. They go out at the pace set for campaigns; "
                    "the last is due at %(last)s.",
                    count=result.queued,
                    last=short_datetime(result.last_due),
                ),
                "success",
            )
    return redirect(url_for(".campaign", campaign_id=campaign_id), 303)


@bp.post("/<int:campaign_id>/retry")
@requires(Permission.SEND_EMAIL)
def retry(campaign_id: int):
    campaign = _campaign_or_404(campaign_id)
    if ActionForm().validate_on_submit():
        count = services.retry_failed_campaign_messages(campaign, actor=current_actor())
        if count:
            flash(_("%(count)d failed e-mails will be sent again.", count=count), "success")
        else:
            flash(_("No e-mail of this campaign has failed: nothing to send again."), "info")
    return redirect(url_for(".campaign", campaign_id=campaign_id), 303)


def _campaign_or_404(campaign_id: int) -> Campaign:
    conference = conference_or_404()
    campaign = db.session.get(Campaign, campaign_id) if campaign_id <= 2**31 - 1 else None
    if campaign is None or campaign.conference_id != conference.id:
        abort(404)
    return campaign


def _status(value: str | None) -> OutboxStatus | None:
    try:
        return OutboxStatus((value or "").strip())
    except ValueError:
        return None
