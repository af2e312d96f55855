"""Fewer indexes to maintain on every registration (issue 16).

PostgreSQL got, for each indexed or unique CharField, a second index with varchar_pattern_ops (for LIKE 'x%'):
on the keyed hashes of NIK and phone (person and registration) and on the registration code, none of which is
ever compared by prefix. The hashes are now indexed by plain Meta.indexes, the code unique by a constraint; the
registration's own indexes on event and site go too (registration_event_status and registration_site_role_status
lead with those columns). Seven fewer index entries are written per public registration. The new indexes and the
constraint come first (the migration is one transaction on PostgreSQL).
"""

import core.fields
import django.db.models.deletion
import participants.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_event_required_event"),
        ("participants", "0021_registration_covering_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["nik_hash"], name="person_nik_hash"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["phone_hash"], name="person_phone_hash"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["nik_hash"], name="registration_nik_hash"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["phone_hash"], name="registration_phone_hash"),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(fields=("code",), name="registration_unique_code"),
        ),
        # Django's AlterField drops every index on the column alone, the partial unique index of this constraint
        # with it: taken off first and put back after.
        migrations.RemoveConstraint(model_name="person", name="person_unique_nik"),
        migrations.AlterField(
            model_name="person",
            name="nik_hash",
            field=core.fields.KeyedHashField(db_index=False, kind="nik", source="nik"),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("nik_hash", ""), _negated=True), fields=("nik_hash",), name="person_unique_nik"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone_hash",
            field=core.fields.KeyedHashField(db_index=False, kind="phone", source="phone"),
        ),
        migrations.AlterField(
            model_name="registration",
            name="code",
            field=models.CharField(
                default=participants.models.new_registration_code, editable=False, max_length=16, verbose_name="code"
            ),
        ),
        migrations.AlterField(
            model_name="registration",
            name="event",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="registrations",
                to="events.event",
                verbose_name="event",
            ),
        ),
        migrations.AlterField(
            model_name="registration",
            name="nik_hash",
            field=core.fields.KeyedHashField(db_index=False, kind="nik", source="nik"),
        ),
        migrations.AlterField(
            model_name="registration",
            name="phone_hash",
            field=core.fields.KeyedHashField(db_index=False, kind="phone", source="phone"),
        ),
        migrations.AlterField(
            model_name="registration",
            name="site",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="registrations",
                to="events.eventsite",
                verbose_name="site",
            ),
        ),
    ]
