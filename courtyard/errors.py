"""Domain errors raised by services; views turn them into messages next to the field."""


class DomainError(Exception):
    """A rule of the domain was broken by the input; ``field`` names the form field, if any."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field
