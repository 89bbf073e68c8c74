"""The Expo area: exhibitors and their product launches, for organizers (EDIT_EXPO)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.audit.queries import object_history
from wuzhen_events.dashboard.access import current_actor, requires
from wuzhen_events.dashboard.editing import (
    ListQuery,
    ListRow,
    PageAction,
    in_zone,
    list_query,
    local,
    render_list,
    show_refusal,
)
from wuzhen_events.dashboard.expo.forms import (
    ExhibitorForm,
    LaunchForm,
    NewExhibitorForm,
    NewLaunchForm,
)
from wuzhen_events.dashboard.history import history_lines
from wuzhen_events.dashboard.navigation import MenuItem
from wuzhen_events.errors import DomainError
from wuzhen_events.expo import queries
from wuzhen_events.expo import services as expo
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.forms import form_problems
from wuzhen_events.i18n import clock_time, localized, short_datetime
from wuzhen_events.pagination import Page
from wuzhen_events.program.queries import conference_or_404

bp = Blueprint("expo", __name__, url_prefix="/expo")

EXHIBITOR_FIELDS = (
    "company",
    "company_zh",
    "country",
    "hall",
    "booth",
    "website",
    "description",
    "description_zh",
)
LAUNCH_FIELDS = (
    "product",
    "product_zh",
    "stage",
    "stage_zh",
    "description",
    "description_zh",
)
TABS = ((".exhibitors", _l("Exhibitors")), (".launches", _l("Product launches")))


@bp.get("/")
@requires(Permission.EDIT_EXPO)
def exhibitors():
    wanted = list_query()
    found = queries.dashboard_exhibitors(q=wanted.q, page=wanted.page, per_page=wanted.per_page)
    rows = [
        ListRow(
            [
                localized(exhibitor, "company"),
                exhibitor.sector.label,
                exhibitor.country,
                _("Hall %(hall)s, booth %(booth)s", hall=exhibitor.hall, booth=exhibitor.booth),
                str(launches),
            ],
            url_for(".edit_exhibitor", exhibitor_id=exhibitor.id),
        )
        for exhibitor, launches in found.items
    ]
    columns = [_("Company"), _("Sector"), _("Country"), _("Booth"), _("Launches")]
    return _list(_("Exhibitors"), columns, rows, found, wanted, url_for(".new_exhibitor"))


@bp.route("/exhibitors/new", methods=["GET", "POST"])
@requires(Permission.EDIT_EXPO)
def new_exhibitor():
    conference = conference_or_404()
    form = NewExhibitorForm()
    if form.validate_on_submit():
        try:
            exhibitor = expo.add_exhibitor(
                conference,
                actor=current_actor(),
                slug=form.slug.data,
                sector=Sector(form.sector.data),
                **_fields(form, EXHIBITOR_FIELDS),
            )
        except DomainError as refusal:
            show_refusal(form, refusal, {})
        else:
            flash(_("The exhibitor is added."), "success")
            return redirect(url_for(".edit_exhibitor", exhibitor_id=exhibitor.id), 303)
    return _edit_page(form, _("New exhibitor"), url_for(".exhibitors"))


@bp.route("/exhibitors/<int:exhibitor_id>/", methods=["GET", "POST"])
@requires(Permission.EDIT_EXPO)
def edit_exhibitor(exhibitor_id: int):
    exhibitor = _or_404(Exhibitor, exhibitor_id)
    form = ExhibitorForm(obj=exhibitor, data={"sector": exhibitor.sector.value})
    if form.validate_on_submit():
        try:
            expo.update_exhibitor(
                exhibitor,
                actor=current_actor(),
                sector=Sector(form.sector.data),
                **_fields(form, EXHIBITOR_FIELDS),
            )
        except DomainError as refusal:
            show_refusal(form, refusal, {})
        else:
            flash(_("The exhibitor is saved."), "success")
            return redirect(url_for(".edit_exhibitor", exhibitor_id=exhibitor_id), 303)
    actions = [
        PageAction(url_for(".delete_exhibitor", exhibitor_id=exhibitor_id), _("Delete"), True)
    ]
    return _edit_page(
        form,
        _("Exhibitor: %(company)s", company=localized(exhibitor, "company")),
        url_for(".exhibitors"),
        actions=actions,
        history=("exhibitors", exhibitor_id),
    )


@bp.post("/exhibitors/<int:exhibitor_id>/delete")
@requires(Permission.EDIT_EXPO)
def delete_exhibitor(exhibitor_id: int):
    exhibitor = _or_404(Exhibitor, exhibitor_id)
    try:
        expo.delete_exhibitor(exhibitor, actor=current_actor())
    except DomainError as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".edit_exhibitor", exhibitor_id=exhibitor_id), 303)
    flash(_("The exhibitor is deleted."), "success")
    return redirect(url_for(".exhibitors"), 303)


@bp.get("/launches/")
@requires(Permission.EDIT_EXPO)
def launches():
    wanted = list_query()
    found = queries.dashboard_launches(q=wanted.q, page=wanted.page, per_page=wanted.per_page)
    rows = [
        ListRow(
            [
                localized(launch, "product"),
                localized(launch.exhibitor, "company"),
                f"{short_datetime(launch.starts_at)}–{clock_time(launch.ends_at)}",
                localized(launch, "stage"),
            ],
            url_for(".edit_launch", launch_id=launch.id),
        )
        for launch in found.items
    ]
    columns = [_("Product"), _("Exhibitor"), _("When"), _("Stage")]
    return _list(_("Product launches"), columns, rows, found, wanted, url_for(".new_launch"))


@bp.route("/launches/new", methods=["GET", "POST"])
@requires(Permission.EDIT_EXPO)
def new_launch():
    conference = conference_or_404()
    form = NewLaunchForm()
    form.exhibitor.choices = [
        (exhibitor.id, localized(exhibitor, "company"))
        for exhibitor in queries.exhibitors_to_choose()
    ]
    if form.validate_on_submit():
        try:
            launch = expo.schedule_launch(
                db.session.get(Exhibitor, form.exhibitor.data),
                conference,
                actor=current_actor(),
                **_launch_fields(form, conference.timezone),
            )
        except DomainError as refusal:
            show_refusal(form, refusal, {})
        else:
            flash(_("The launch is scheduled."), "success")
            return redirect(url_for(".edit_launch", launch_id=launch.id), 303)
    return _edit_page(form, _("New product launch"), url_for(".launches"))


@bp.route("/launches/<int:launch_id>/", methods=["GET", "POST"])
@requires(Permission.EDIT_EXPO)
def edit_launch(launch_id: int):
    launch = _or_404(ProductLaunch, launch_id)
    conference = conference_or_404()
    form = LaunchForm(
        obj=launch,
        data={
            "starts_at": local(launch.starts_at, conference.timezone),
            "ends_at": local(launch.ends_at, conference.timezone),
        },
    )
    if form.validate_on_submit():
        try:
            expo.update_launch(
                launch,
                conference,
                actor=current_actor(),
                **_launch_fields(form, conference.timezone),
            )
        except DomainError as refusal:
            show_refusal(form, refusal, {})
        else:
            flash(_("The launch is saved."), "success")
            return redirect(url_for(".edit_launch", launch_id=launch_id), 303)
    actions = [PageAction(url_for(".delete_launch", launch_id=launch_id), _("Delete"), True)]
    return _edit_page(
        form,
        _("Product launch: %(product)s", product=localized(launch, "product")),
        url_for(".launches"),
        actions=actions,
        history=("product_launches", launch_id),
    )


@bp.post("/launches/<int:launch_id>/delete")
@requires(Permission.EDIT_EXPO)
def delete_launch(launch_id: int):
    launch = _or_404(ProductLaunch, launch_id)
    expo.delete_launch(launch, actor=current_actor())
    flash(_("The launch is deleted."), "success")
    return redirect(url_for(".launches"), 303)


def _fields(form, names: tuple[str, ...]) -> dict:
    return {name: form[name].data for name in names}


def _launch_fields(form: LaunchForm, timezone: str) -> dict:
    return {
        **_fields(form, LAUNCH_FIELDS),
        "starts_at": in_zone(form.starts_at.data, timezone),
        "ends_at": in_zone(form.ends_at.data, timezone),
    }


def _or_404(model, row_id: int):
    row = db.session.get(model, row_id)
    if row is None:
        abort(404)
    return row


def _list(
    heading: str,
    columns: list[str],
    rows: list[ListRow],
    found: Page,
    wanted: ListQuery,
    new_url: str,
):
    tabs = [
        MenuItem(url_for(endpoint), str(label), request.endpoint == f"dashboard.expo{endpoint}")
        for endpoint, label in TABS
    ]
    return render_list(
        heading=heading,
        columns=columns,
        rows=rows,
        found=found,
        wanted=wanted,
        tabs=tabs,
        area_label=_("Expo"),
        new_url=new_url,
    )


def _edit_page(form, heading: str, back_url: str, *, actions=(), history=None):
    problems = form_problems(form)
    return render_template(
        "dashboard/expo/edit.html",
        heading=heading,
        form=form,
        problems=problems,
        back_url=back_url,
        back_label=_("Back to the list"),
        actions=list(actions),
        notify_url="",
        history=history_lines(object_history(*history)) if history else [],
        history_caption=_("History"),
    ), 422 if problems else 200
