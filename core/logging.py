"""A safety net for the logs: national identifiers and phone numbers never reach a log line.

Code should not log them in the first place; this filter masks what slips through (a URL with a
NIK in its query, an exception message quoting a value) in every record of every handler.
"""

import logging
import re

# 16-digit runs (NIK, NUPTK), 18-digit runs (NIP) and Indonesian phone numbers (+62 / 62 / 08…).
_IDENTIFIER = re.compile(r"(?<!\d)(?:\d{18}|\d{16})(?!\d)")
_PHONE = re.compile(r"(?<![\w])(?:\+?62|0)8[\d\s\-]{7,14}\d(?!\d)")
MASK = "[disamarkan]"


def mask_identifiers(text: str) -> str:
    return _PHONE.sub(MASK, _IDENTIFIER.sub(MASK, text))


class MaskIdentifiersFilter(logging.Filter):
    """Render the record's message once, mask it, and keep the masked text (args dropped)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the formatter's own error path
            return True
        record.msg = mask_identifiers(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_identifiers(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_identifiers(record.exc_text)
        return True


def install_record_factory() -> None:
    """Mask every record when it is made, so that every handler (tests' capture included) gets the masked text."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_identifiers", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:
            return record
        masked = mask_identifiers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    factory.masks_identifiers = True
    logging.setLogRecordFactory(factory)
