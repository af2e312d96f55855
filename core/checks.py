"""System checks of the app's own configuration, shown once when the app starts (`runserver`, `migrate`,
`check`): what an operator must know but what does not stop the app.

- core.W001: DEBUG is on and a key fell back to its development value (SECRET_KEY, FIELD_ENCRYPTION_KEYS,
  FIELD_HASH_KEY; `settings.DEVELOPMENT_KEYS`). Fine on a laptop; data encrypted with them is readable by
  anyone who has the source code.
- core.W002: production without any mail configuration: mails are not sent (the dummy backend).
- core.W003: production with a backend that writes mails out (console, file): participants' names, addresses
  and registration codes would land in the server log or on disk.

The test settings silence core.W001 (the suite runs on the development keys on purpose).
"""

from django.conf import settings
from django.core.checks import Warning, register

DUMMY_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
WRITING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register()
def development_keys_check(app_configs, **kwargs) -> list[Warning]:
    keys = list(getattr(settings, "DEVELOPMENT_KEYS", []))
    if not keys:
        return []
    return [
        Warning(
            f"DEBUG is on and these keys are the development ones written in the source code: {', '.join(keys)}.",
            hint="Fine on a laptop with demo data. For real personal data set them in the environment "
            "(README, Configuration) and DEBUG=false.",
            id="core.W001",
        )
    ]


@register()
def mail_configuration_check(app_configs, **kwargs) -> list[Warning]:
    if settings.DEBUG:
        return []
    if settings.EMAIL_BACKEND == DUMMY_BACKEND:
        return [
            Warning(
                "No mail is configured (neither EMAIL_HOST nor EMAIL_BACKEND): confirmation mails are not sent.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) to send "
                "them over SMTP. Participants still see their code on the confirmation page.",
                id="core.W002",
            )
        ]
    if settings.EMAIL_BACKEND in WRITING_BACKENDS:
        return [
            Warning(
                f"EMAIL_BACKEND {settings.EMAIL_BACKEND} writes every mail (participants' names, e-mail addresses "
                "and registration codes) into the server log or onto the disk.",
                hint="Set EMAIL_HOST to send mails over SMTP, or leave both EMAIL_BACKEND and EMAIL_HOST unset "
                "to send none.",
                id="core.W003",
            )
        ]
    return []
