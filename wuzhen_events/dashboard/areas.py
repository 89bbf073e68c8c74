"""The dashboard blueprint with every area nested in it (endpoints `dashboard.<area>.<view>`),
so the parent's guard runs before each area's pages. One line per area."""

from __future__ import annotations

from wuzhen_events.dashboard.account.views import bp as account_bp
from wuzhen_events.dashboard.accounts.views import bp as accounts_bp
from wuzhen_events.dashboard.applications.views import bp as applications_bp
from wuzhen_events.dashboard.audit.views import bp as audit_bp
from wuzhen_events.dashboard.checkin.views import bp as checkin_bp
from wuzhen_events.dashboard.delegates.views import bp as delegates_bp
from wuzhen_events.dashboard.email.views import bp as email_bp
from wuzhen_events.dashboard.expo.views import bp as expo_bp
from wuzhen_events.dashboard.exports.views import bp as exports_bp
from wuzhen_events.dashboard.invitations.views import bp as invitations_bp
from wuzhen_events.dashboard.program.views import bp as program_bp
from wuzhen_events.dashboard.program_import.views import bp as program_import_bp
from wuzhen_events.dashboard.statistics.views import bp as statistics_bp
from wuzhen_events.dashboard.views import bp

# In the order of the menu (dashboard/navigation.py).
AREAS = (
    program_bp,
    expo_bp,
    program_import_bp,
    delegates_bp,
    invitations_bp,
    applications_bp,
    email_bp,
    exports_bp,
    statistics_bp,
    checkin_bp,
    accounts_bp,
    audit_bp,
    account_bp,
)

for area in AREAS:
    bp.register_blueprint(area)

__all__ = ["bp"]
