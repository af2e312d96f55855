"""Mails to participants, sent after commit with ids (never objects).

Their content (name, address, registration code) is never logged, at any level: in production without mail
configuration they are not sent at all (settings: the dummy backend, never the console one).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from participants.models import Registration

logger = logging.getLogger(__name__)


def send_registration_confirmation(*, registration_id: int) -> bool:
    """Send the confirmation with the registration code to the e-mail given with this registration (never to
    one another event holds); False when none was given."""
    registration = Registration.objects.select_related("site__venue", "event", "role").get(pk=registration_id)
    if not registration.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("participants/email/confirmation_subject.txt", {"r": registration}).strip()
        body = render_to_string("participants/email/confirmation_body.txt", {"r": registration})
    try:
        send_mail(subject, body, None, [registration.email])
    except OSError as error:
        # Mail trouble must not undo a registration; the code is on the confirmation page anyway. The log says
        # which registration and what kind of failure, never the mail or the server's answer (an SMTP refusal
        # quotes the recipient's address): no traceback, no message text.
        logger.warning("confirmation mail for registration %s failed: %s", registration_id, type(error).__name__)
        return False
    return True
