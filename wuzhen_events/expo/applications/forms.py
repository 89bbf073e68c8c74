"""The exhibitor application form: Flask-WTF (CSRF on the POST); limits live on the fields."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import EmailInput, TelInput, URLInput

from wuzhen_events.expo.applications.services import (
    COMPANY_LIMIT,
    CONTACT_NAME_LIMIT,
    DESCRIPTION_LIMIT,
    EMAIL_LIMIT,
    HALLS,
    PHONE_LIMIT,
    PHONE_RE,
    PRODUCT_LIMIT,
    WEBSITE_LIMIT,
    ApplicationDetails,
    is_web_address,
)
from wuzhen_events.expo.enums import BoothSize, Sector
from wuzhen_events.forms import (
    ChoiceField,
    CountryField,
    MailableEmail,
    MultiLineField,
    OneLineField,
    country_choices,
    max_length,
)
from wuzhen_events.i18n import short_day

NO_PREFERENCE = "any"
LAUNCH_FIELDS = ("launch_product", "launch_description", "launch_day")
# One message per missing field: the same sentence under two fields read as two problems.
LAUNCH_MISSING = {
    "launch_product": _l("Please enter the product's name: a launch needs all three fields."),
    "launch_description": _l("Please describe the product: a launch needs all three fields."),
    "launch_day": _l("Please choose a launch day: a launch needs all three fields."),
}


def web_address(form, field) -> None:
    if field.data and not is_web_address(field.data):
        raise ValidationError(_("Please enter a web address starting with http:// or https://."))


class ExhibitorApplicationForm(FlaskForm):
    company = OneLineField(
        _l("Company name (English)"),
        validators=[
            DataRequired(_l("Please enter the company's name in English.")),
            max_length(COMPANY_LIMIT),
        ],
    )
    company_zh = OneLineField(
        _l("Company name in Chinese (optional)"),
        validators=[Optional(), max_length(COMPANY_LIMIT)],
    )
    sector = ChoiceField(
        _l("Sector"),
        validators=[InputRequired(_l("Please choose your company's sector."))],
        invalid_message=_l("Please choose a sector from the list."),
    )
    country = CountryField(
        _l("Country or region"),
        validators=[InputRequired(_l("Please choose your company's country or region."))],
    )
    contact_name = OneLineField(
        _l("Contact person"),
        validators=[
            DataRequired(_l("Please enter the name of a contact person.")),
            max_length(CONTACT_NAME_LIMIT),
        ],
    )
    contact_email = OneLineField(
        _l("Contact e-mail address"),
        widget=EmailInput(),
        validators=[
            DataRequired(_l("Please enter the contact's e-mail address.")),
            max_length(EMAIL_LIMIT),
            MailableEmail(),
        ],
    )
    contact_phone = OneLineField(
        _l("Contact phone (optional)"),
        widget=TelInput(),
        validators=[
            Optional(),
            max_length(PHONE_LIMIT),
            Regexp(
                rf"^{PHONE_RE.pattern}\Z",
                message=_l("Please use only digits, spaces and + - ( ) in the phone number."),
            ),
        ],
    )
    website = OneLineField(
        _l("Website (optional)"),
        widget=URLInput(),
        validators=[Optional(), max_length(WEBSITE_LIMIT), web_address],
    )
    requested_hall = ChoiceField(
        _l("Requested hall"),
        default=NO_PREFERENCE,
        invalid_message=_l("Please choose a hall from the list, or no preference."),
    )
    booth_size = ChoiceField(
        _l("Booth size"),
        validators=[InputRequired(_l("Please choose a booth size."))],
        invalid_message=_l("Please choose a booth size from the list."),
    )
    launch_product = OneLineField(
        _l("Product name"), validators=[Optional(), max_length(PRODUCT_LIMIT)]
    )
    launch_description = MultiLineField(
        _l("Product description"),
        render_kw={"rows": 6},
        validators=[Optional(), max_length(DESCRIPTION_LIMIT)],
    )
    launch_day = ChoiceField(
        _l("Preferred launch day"),
        default="",
        invalid_message=_l("Please choose a launch day from the list."),
    )

    def __init__(self, *args, expo_days: list[date], **kwargs):
        super().__init__(*args, **kwargs)
        choose = ("", _("Choose…"))
        self.sector.choices = [choose, *((sector.value, sector.label) for sector in Sector)]
        self.country.choices = [choose, *country_choices()]
        self.requested_hall.choices = [
            (NO_PREFERENCE, _("No preference")),
            *((hall, _("Hall %(hall)s", hall=hall)) for hall in HALLS),
        ]
        self.booth_size.choices = [choose, *((size.value, size.label) for size in BoothSize)]
        self.launch_day.choices = [
            ("", _("No launch")),
            *((day.isoformat(), short_day(day)) for day in expo_days),
        ]

    def validate(self, extra_validators=None) -> bool:
        """The launch fields go together: all three, or none, each missing one marked."""
        valid = super().validate(extra_validators)
        given = [name for name in LAUNCH_FIELDS if self[name].data or self[name].errors]
        if given and len(given) < len(LAUNCH_FIELDS):
            for name in LAUNCH_FIELDS:
                if name not in given:
                    self[name].errors.append(str(LAUNCH_MISSING[name]))
            return False
        return valid

    def details(self) -> ApplicationDetails:
        hall = self.requested_hall.data
        return ApplicationDetails(
            company=self.company.data,
            company_zh=self.company_zh.data or "",
            sector=Sector(self.sector.data),
            country=self.country.data,
            contact_name=self.contact_name.data,
            contact_email=self.contact_email.data,
            contact_phone=self.contact_phone.data or "",
            website=self.website.data or "",
            requested_hall=None if hall == NO_PREFERENCE else hall,
            booth_size=BoothSize(self.booth_size.data),
            launch_product=self.launch_product.data or "",
            launch_description=self.launch_description.data or "",
            launch_day=date.fromisoformat(self.launch_day.data) if self.launch_day.data else None,
        )
