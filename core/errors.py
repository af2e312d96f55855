"""The one base of every refusal by a business rule.

A service raises a `DomainError` (or a subclass of its area) when a rule refuses the request; the
view turns it into a message, next to `field` when the form has that field. `message` is shown to
the user as it is (a lazy translation), `code` names the rule for tests and logs.
"""

from typing import Any


class DomainError(Exception):
    """A business rule refused the request: `message` for the user, `code` for the program, `field` for the form."""

    def __init__(self, message: Any, *, code: str = "", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
