"""Confirmation mails never reach a log (security probe, issue 12, finding 11): without mail configuration in
production they are not sent (the dummy backend, tests/core/test_deploy_settings.py), and neither sending nor
a failed sending logs the name, the address or the registration code, at any level."""

import logging
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from participants.notifications import send_registration_confirmation
from tests.factories import register

NAME, EMAIL = "Baiq Nurul Aini, S.Pd.", "baiq.nurul@example.invalid"


class RecipientRefusingBackend(BaseEmailBackend):
    """Stands in for a mail server that refuses the recipient: its error quotes the address, as smtplib's does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {m.to[0]: (550, f"5.1.1 <{m.to[0]}> unknown".encode()) for m in email_messages}
        )


def assert_nothing_personal(text: str, code: str) -> None:
    assert NAME not in text and EMAIL not in text and code not in text


@pytest.mark.django_db
def test_without_mail_configuration_nothing_is_sent_and_nothing_logged(bima, settings, caplog, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # production without mail settings
    registration = register(bima, "CGP", name=NAME, email=EMAIL)
    with caplog.at_level(logging.DEBUG):
        assert send_registration_confirmation(registration_id=registration.pk) is True
    captured = capsys.readouterr()
    assert_nothing_personal(caplog.text + captured.out + captured.err, registration.code)


@pytest.mark.django_db
def test_a_refused_mail_is_logged_without_the_address_or_the_mail(bima, settings, caplog, capsys):
    settings.EMAIL_BACKEND = f"{__name__}.RecipientRefusingBackend"
    registration = register(bima, "CGP", name=NAME, email=EMAIL)
    with caplog.at_level(logging.DEBUG):
        assert send_registration_confirmation(registration_id=registration.pk) is False
    captured = capsys.readouterr()
    assert_nothing_personal(caplog.text + captured.out + captured.err, registration.code)
    [record] = [r for r in caplog.records if r.name == "participants.notifications"]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert record.getMessage() == f"confirmation mail for registration {registration.pk} failed: SMTPRecipientsRefused"
