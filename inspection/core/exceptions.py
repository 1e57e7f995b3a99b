class DomainError(Exception):
    """A refused business action. The message is Chinese and reaches the user as-is (form error or API 400)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    pass
