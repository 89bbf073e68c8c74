"""The upload and the confirmation of a schedule import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from wuzhen_events.dashboard.program_import.uploads import TOKEN_PATTERN


class UploadForm(FlaskForm):
    schedule = FileField(
        _l("Schedule file (schedule.xml or schedule.json)"),
        validators=[FileRequired(_l("Choose a schedule file to upload."))],
    )


class ConfirmForm(FlaskForm):
    """Names the kept upload and the checksum of the file that was previewed."""

    upload = HiddenField(validators=[DataRequired(), Regexp(f"^{TOKEN_PATTERN}$")])
    sha256 = HiddenField(validators=[DataRequired(), Regexp("^[0-9a-f]{64}$")])
