"""gunicorn's settings for production, inside the package so a wheel carries them. Run
`gunicorn -c python:wuzhen_events.gunicorn_conf -w 4 -b 127.0.0.1:8000 'wuzhen_events:create_app()'`

The access log (standard output, gunicorn's combined format) and the error log (standard error)
never show a private link's secret: the logger class masks them as `wuzhen_events.logs` does
for the app's own logs. Anything else is set on the command line as usual.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from wuzhen_events.logs import SECRET_MASKING_FILTER, mask_secrets


class MaskingLogger(Logger):
    """gunicorn's logger with every value an access log line can print masked: the request
    line, path, query string, referrer and any header or environ value a format names."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if SECRET_MASKING_FILTER not in log.filters:
                log.addFilter(SECRET_MASKING_FILTER)  # e.g. "Error handling request /me/..."

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: mask_secrets(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }


logger_class = MaskingLogger
accesslog = "-"
errorlog = "-"
# A whole conference's badges (1,500 in one PDF) take about 8 s of CPU, more on a busy server:
# gunicorn's default 30 s would kill the worker mid-file (benchmarks/README.md, "Badges").
timeout = 120
