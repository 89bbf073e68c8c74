"""The domain error every service raises, so views turn failures into messages, not 500s."""


class DomainError(Exception):
    """A rule of the domain refused a change; the message is safe to show to the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
