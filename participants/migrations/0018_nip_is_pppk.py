"""A person's NIP may be an NI PPPK (issue 15): marked on every channel (forms, imports, admin) and stored, so
the NI PPPK's own rule, not the PNS structure, checks it wherever it is validated again (rosters)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0017_registration_keeps_its_personal_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="nip_is_pppk",
            field=models.BooleanField(default=False, verbose_name="the NIP is an NI PPPK"),
        ),
        migrations.AddField(
            model_name="registration",
            name="nip_is_pppk",
            field=models.BooleanField(default=False, verbose_name="the NIP is an NI PPPK"),
        ),
    ]
