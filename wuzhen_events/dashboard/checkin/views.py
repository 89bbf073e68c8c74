"""Check-in at the doors: the doors an account scans at, the scanning page (a plain form that
works without JavaScript, with hooks for the page's script), its JSON, and the organizers'
pages for doors, who scans where, scanner devices and conflicts."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from wuzhen_events import clock
from wuzhen_events.accounts.enums import Permission
from wuzhen_events.checkin import queries, services
from wuzhen_events.checkin.enums import Direction, DoorKind
from wuzhen_events.checkin.models import Door, ScannerDevice
from wuzhen_events.checkin.payloads import BODY_LIMIT, BadScan, scan_fields
from wuzhen_events.dashboard.access import current_account, current_actor, requires
from wuzhen_events.dashboard.checkin.forms import (
    AdmitForm,
    ConfirmForm,
    ConflictReviewForm,
    DeviceForm,
    DoorForm,
    ScanForm,
    SearchForm,
    StaffForm,
)
from wuzhen_events.errors import DomainError
from wuzhen_events.extensions import db
from wuzhen_events.forms import form_problems
from wuzhen_events.i18n import localized
from wuzhen_events.program.models import Subforum
from wuzhen_events.program.queries import conference_or_404
from wuzhen_events.registration import rotation
from wuzhen_events.registration.tokens import Secret

bp = Blueprint("checkin", __name__, url_prefix="/checkin")

# The server's clock in every check-in answer: the scanning page times its scans by it, since a
# device's own clock may be minutes wrong, and a scan "made" in the future is refused.
SERVER_TIME_HEADER = "X-Server-Time"


@bp.after_request
def tell_the_time(response):
    response.headers[SERVER_TIME_HEADER] = clock.now().isoformat(timespec="milliseconds")
    return response


# --- scanning -------------------------------------------------------------------------------------


@bp.get("/")
@requires(Permission.CHECK_IN)
def index():
    conference = conference_or_404()
    account = current_account()
    return render_template(
        "dashboard/checkin/index.html",
        doors=[
            (door, queries.door_caption(door)) for door in queries.doors_for(account, conference)
        ],
        manages=account.can(Permission.MANAGE_CHECKIN),
    )


@bp.route("/doors/<int(min=1, max=2147483647):door_id>/", methods=["GET", "POST"])
@requires(Permission.CHECK_IN)
def door(door_id: int):
    door = _door_or_404(door_id)
    form = ScanForm()
    result = None
    if form.validate_on_submit():
        try:
            result = services.record_scan(
                door,
                form.code.data,
                direction=Direction(form.direction.data),
                nonce=form.nonce.data,
                device_label=form.device.data or "",
                actor=current_actor(),
            )
        except DomainError as refusal:
            _show(form, refusal, default="code")
    return _scan_page(door, form, result)


@bp.post("/doors/<int(min=1, max=2147483647):door_id>/admit")
@requires(Permission.CHECK_IN)
def admit(door_id: int):
    """A delegate found by name: the server scans their own code, which is never shown."""
    door = _door_or_404(door_id)
    form = AdmitForm()
    result = None
    if form.validate_on_submit():
        delegate = queries.delegate_at_door(door, form.delegate_id.data)
        if delegate is None:
            form.delegate_id.errors = [_("This delegate is not on this door's list.")]
        else:
            try:
                result = services.record_scan(
                    door,
                    rotation.secret_of(delegate, Secret.CHECKIN),
                    direction=Direction(form.direction.data),
                    nonce=form.nonce.data,
                    device_label=form.device.data or "",
                    actor=current_actor(),
                )
            except DomainError as refusal:
                _show(form, refusal, default="delegate_id")
    return _scan_page(door, ScanForm(formdata=None), result, problems_of=form)


@bp.get("/doors/<int(min=1, max=2147483647):door_id>/counts.json")
@requires(Permission.CHECK_IN)
def counts(door_id: int):
    return jsonify(queries.door_counts(_door_or_404(door_id)).to_dict())


@bp.get("/doors/<int(min=1, max=2147483647):door_id>/offline.json")
@requires(Permission.CHECK_IN)
def offline(door_id: int):
    return jsonify(queries.offline_data(_door_or_404(door_id)))


@bp.post("/doors/<int(min=1, max=2147483647):door_id>/scans.json")
@requires(Permission.CHECK_IN)
def scans(door_id: int):
    door = _door_or_404(door_id)
    if (request.content_length or 0) > BODY_LIMIT:
        return _json_error(400, _("The request body is too large for a scan."), None)
    try:
        fields = scan_fields(request.get_json(silent=True))
        result = services.record_scan(door, **fields, actor=current_actor())
    except BadScan as refusal:
        return _json_error(400, refusal.message, refusal.field)
    except services.CheckinError as refusal:
        status = 409 if isinstance(refusal, services.NonceReused) else 400
        return _json_error(status, refusal.message, refusal.field)
    body = queries.scan_reply(result.scan, duplicate=result.duplicate)
    return jsonify(body), 200 if result.duplicate else 201


def _json_error(status: int, message: str, field: str | None):
    codes = {400: "bad_request", 401: "unauthorized", 404: "not_found", 409: "conflict"}
    body = {"status": status, "code": codes[status], "message": str(message), "field": field}
    return jsonify({"error": body}), status


# --- managing doors, staff, devices and conflicts --------------------------------------------


@bp.get("/manage/doors/")
@requires(Permission.MANAGE_CHECKIN)
def doors():
    conference = conference_or_404()
    doors = queries.all_doors(conference)
    return render_template(
        "dashboard/checkin/doors.html",
        doors=doors,
        conflicts=queries.open_conflict_counts(conference),
        confirm=ConfirmForm(),
    )


@bp.route("/manage/doors/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_CHECKIN)
def new_door():
    conference = conference_or_404()
    form = DoorForm()
    form.subforum_id.choices = _subforum_choices(conference.id)
    if form.validate_on_submit():
        try:
            door = services.create_door(conference, _door_details(form), actor=current_actor())
        except DomainError as refusal:
            _show(form, refusal)
        else:
            flash(_("The door %(name)s is created.", name=door.name), "success")
            return redirect(url_for("dashboard.checkin.doors"), 303)
    return _form_page("dashboard/checkin/door_form.html", form, door=None)


@bp.route("/manage/doors/<int(min=1, max=2147483647):door_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_CHECKIN)
def edit_door(door_id: int):
    door = _managed_door_or_404(door_id)
    form = DoorForm(obj=None if request.method == "POST" else _DoorValues(door))
    form.subforum_id.choices = _subforum_choices(door.conference_id)
    if form.validate_on_submit():
        try:
            services.update_door(door, _door_details(form), actor=current_actor())
        except DomainError as refusal:
            _show(form, refusal)
        else:
            flash(_("The door %(name)s is saved.", name=door.name), "success")
            return redirect(url_for("dashboard.checkin.doors"), 303)
    return _form_page("dashboard/checkin/door_form.html", form, door=door)


@bp.post("/manage/doors/<int(min=1, max=2147483647):door_id>/delete")
@requires(Permission.MANAGE_CHECKIN)
def delete_door(door_id: int):
    door = _managed_door_or_404(door_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = door.name
    try:
        services.delete_door(door, actor=current_actor())
    except DomainError as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("The door %(name)s is deleted.", name=name), "success")
    return redirect(url_for("dashboard.checkin.doors"), 303)


@bp.route("/manage/doors/<int(min=1, max=2147483647):door_id>/staff", methods=["GET", "POST"])
@requires(Permission.MANAGE_CHECKIN)
def door_staff(door_id: int):
    door = _managed_door_or_404(door_id)
    form = StaffForm()
    people = queries.checkin_accounts()
    form.accounts.choices = [
        (account.id, f"{account.name} ({account.role.label})") for account in people
    ]
    if request.method == "GET":
        form.accounts.data = [account.id for account in door.staff]
    if form.validate_on_submit():
        chosen = [account for account in people if account.id in set(form.accounts.data or ())]
        try:
            services.assign_door_staff(door, chosen, actor=current_actor())
        except DomainError as refusal:
            _show(form, refusal, default="accounts")
        else:
            flash(_("Who scans at %(name)s is saved.", name=door.name), "success")
            return redirect(url_for("dashboard.checkin.doors"), 303)
    return _form_page("dashboard/checkin/staff.html", form, door=door)


@bp.get("/manage/devices/")
@requires(Permission.MANAGE_CHECKIN)
def devices():
    conference = conference_or_404()
    return render_template(
        "dashboard/checkin/devices.html",
        devices=queries.devices(conference),
        confirm=ConfirmForm(),
    )


@bp.route("/manage/devices/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_CHECKIN)
def new_device():
    conference = conference_or_404()
    doors = queries.all_doors(conference)
    form = DeviceForm()
    form.doors.choices = [(door.id, queries.door_label(door)) for door in doors]
    if form.validate_on_submit():
        chosen = [door for door in doors if door.id in set(form.doors.data or ())]
        try:
            device, token = services.create_device(
                conference,
                form.name.data,
                chosen,
                created_by=current_account(),
                actor=current_actor(),
            )
        except DomainError as refusal:
            _show(form, refusal)
        else:
            return render_template(
                "dashboard/checkin/device_created.html", device=device, token=token
            )
    return _form_page("dashboard/checkin/device_form.html", form)


@bp.post("/manage/devices/<int(min=1, max=2147483647):device_id>/revoke")
@requires(Permission.MANAGE_CHECKIN)
def revoke_device(device_id: int):
    device = db.session.get(ScannerDevice, device_id)
    if device is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.revoke_device(device, actor=current_actor())
    flash(_("The token of %(name)s is revoked.", name=device.name), "success")
    return redirect(url_for("dashboard.checkin.devices"), 303)


CONFLICT_STATES = {"open": False, "reviewed": True, "all": None}


@bp.get("/manage/conflicts/")
@requires(Permission.MANAGE_CHECKIN)
def conflicts():
    conference = conference_or_404()
    door = None
    door_arg = request.args.get("door", "")
    if door_arg:
        if not door_arg.isdigit() or len(door_arg) > 9:
            abort(404)
        door = _managed_door_or_404(int(door_arg))
    state = request.args.get("state", "open")
    if state not in CONFLICT_STATES:
        state = "open"
    return render_template(
        "dashboard/checkin/conflicts.html",
        door=door,
        state=state,
        scans=queries.conflicts(conference, door, reviewed=CONFLICT_STATES[state]),
        doors=queries.all_doors(conference),
    )


@bp.get("/manage/conflicts/<int(min=1, max=2147483647):scan_id>")
@requires(Permission.MANAGE_CHECKIN)
def conflict(scan_id: int):
    return _conflict_page(_conflict_or_404(scan_id), ConflictReviewForm())


@bp.post("/manage/conflicts/<int(min=1, max=2147483647):scan_id>/review")
@requires(Permission.MANAGE_CHECKIN)
def review_conflict(scan_id: int):
    scan = _conflict_or_404(scan_id)
    form = ConflictReviewForm()
    if form.validate_on_submit():
        try:
            services.review_conflict(scan, form.note.data, actor=current_actor())
        except DomainError as refusal:
            form.note.errors = [*form.note.errors, refusal.message]
        else:
            flash(_("The conflict is marked as reviewed."), "success")
            return redirect(url_for("dashboard.checkin.conflict", scan_id=scan_id), 303)
    return _conflict_page(_conflict_or_404(scan_id), form, status=422)


def _conflict_or_404(scan_id: int):
    scan = queries.conflict(conference_or_404(), scan_id)
    if scan is None:
        abort(404)
    return scan


def _conflict_page(scan, form: ConflictReviewForm, status: int = 200):
    return render_template(
        "dashboard/checkin/conflict.html",
        scan=scan,
        door_label=queries.door_label(scan.door),
        that_day=queries.scans_that_day(scan),
        form=form,
        problems=form_problems(form),
        scanner=queries.scanner,
    ), status


# --- helpers -------------------------------------------------------------------------------------


def _door_or_404(door_id: int) -> Door:
    door = queries.door_for(current_account(), door_id)
    if door is None:
        abort(404)
    return door


def _managed_door_or_404(door_id: int) -> Door:
    door = db.session.get(Door, door_id)
    if door is None:
        abort(404)
    return door


def _scan_page(door: Door, form: ScanForm, result, *, problems_of=None):
    search = SearchForm(request.args)
    query = search.q.data if search.validate() else ""
    answer = queries.answer_for(result.scan) if result is not None else None
    erring = problems_of if problems_of is not None else form
    problems = form_problems(erring) if erring.errors or erring.form_errors else []
    form = ScanForm(formdata=None, direction=form.direction.data or Direction.ENTRY.value)
    form.fresh_nonce()
    results = queries.search_delegates(door, query) if query else []
    admit = AdmitForm(formdata=None)
    status = 422 if problems else 200
    page = render_template(
        "dashboard/checkin/door.html",
        door=door,
        form=form,
        answer=answer,
        duplicate=bool(result and result.duplicate),
        conflict=bool(result and result.scan.conflict),
        problems=problems,
        counts=queries.door_counts(door),
        history=queries.door_history(door),
        search=search,
        query=query,
        results=results,
        admit=admit,
        new_nonce=_nonces(len(results)),
        scanner=queries.scanner,
        door_label=queries.door_label(door),
    )
    return page, status  # its camera policy: site/security.py's CAMERA_PAGES


def _nonces(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def _show(form, refusal: DomainError, default: str | None = None) -> None:
    field = refusal.field if refusal.field in form else default
    if field is None or field not in form:
        form.form_errors.append(refusal.message)
    else:
        form[field].errors = [*form[field].errors, refusal.message]


def _form_page(template: str, form, **context):
    status = 422 if form.errors or form.form_errors else 200
    return render_template(template, form=form, problems=form_problems(form), **context), status


def _subforum_choices(conference_id: int) -> list[tuple[int | None, str]]:
    subforums = db.session.scalars(
        db.select(Subforum).where(Subforum.conference_id == conference_id).order_by(Subforum.id)
    )
    return [(None, _("None (the main entrance)"))] + [
        (subforum.id, localized(subforum, "title")) for subforum in subforums
    ]


class _DoorValues:
    def __init__(self, door: Door) -> None:
        self.name = door.name
        self.name_zh = door.name_zh
        self.kind = door.kind.value
        self.subforum_id = door.subforum_id
        self.admits_walk_ins = door.admits_walk_ins


def _door_details(form: DoorForm) -> services.DoorDetails:
    return services.DoorDetails(
        name=form.name.data or "",
        name_zh=form.name_zh.data or "",
        kind=DoorKind(form.kind.data),
        subforum_id=form.subforum_id.data,
        admits_walk_ins=bool(form.admits_walk_ins.data),
    )
