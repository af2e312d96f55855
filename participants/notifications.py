"""Mails to participants, sent after commit with ids (never objects).

Their content (name, address, registration code) is never logged, at any level: in production without mail
configuration they are not sent at all (settings: the dummy backend, never the console one).
"""

import logging
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from core.qr import qr_png
from participants.models import Registration

logger = logging.getLogger(__name__)
QR_CONTENT_ID = "qr-pendaftaran"


def send_registration_confirmation(*, registration_id: int) -> bool:
    """Send the confirmation with the registration code to the e-mail given with this registration (never to
    one another event holds); False when none was given. A registration on the waiting list is told its place."""
    return _send(registration_id, "confirmation")


def send_waitlist_promotion(*, registration_id: int) -> bool:
    """Tell a participant who waited that a seat is now theirs (promoted from the waiting list)."""
    return _send(registration_id, "waitlist_promotion")


def send_waitlist_removal(*, registration_id: int, reason: str) -> bool:
    """Tell a participant that the organizer took the registration off the waiting list, and why."""
    return _send(registration_id, "waitlist_removal", reason=reason)


def _send(registration_id: int, template: str, *, reason: str = "") -> bool:
    registration = Registration.objects.select_related("site__venue", "event", "role").get(pk=registration_id)
    if not registration.email:
        return False
    context = {"r": registration, "qr_cid": QR_CONTENT_ID, "admits": registration.admits, "reason": reason}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"participants/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"participants/email/{template}_body.txt", context)
        html = render_to_string(f"participants/email/{template}_body.html", context)
    message = EmailMultiAlternatives(subject, body, None, [registration.email])
    message.attach_alternative(html, "text/html")
    if registration.admits:
        # The QR code travels inside the mail (a related inline image), not as a link carrying the code.
        message.mixed_subtype = "related"
        image = MIMEImage(qr_png(registration.code), "png")
        image.add_header("Content-ID", f"<{QR_CONTENT_ID}>")
        image.add_header("Content-Disposition", "inline", filename="qr-pendaftaran.png")
        message.attach(image)
    try:
        message.send()
    except OSError as error:
        # Mail trouble must not undo a registration; the code is on the confirmation page anyway. The log says
        # which registration and what kind of failure, never the mail or the server's answer (an SMTP refusal
        # quotes the recipient's address): no traceback, no message text.
        logger.warning("%s mail for registration %s failed: %s", template, registration_id, type(error).__name__)
        return False
    return True
