"""Default composition rules per school level (editable by Admin pusat) and the roster permissions of the groups."""

from django.db import migrations

# level, position, minimum, maximum, needs_class, required_classes
DEFAULT_COMPOSITION = [
    ("PAUD", "kepala_sekolah", 1, 1, False, ""),
    ("PAUD", "guru", 1, 2, True, "TK B"),
    ("PAUD", "penilik", 1, 1, False, ""),
    ("PAUD", "pengawas", 0, 0, False, ""),
    ("PAUD", "cadangan", 0, 2, False, ""),
    ("SD", "kepala_sekolah", 1, 1, False, ""),
    ("SD", "guru", 2, 2, True, "Kelas 1, Kelas 4"),
    ("SD", "pengawas", 1, 1, False, ""),
    ("SD", "penilik", 0, 0, False, ""),
    ("SD", "cadangan", 0, 2, False, ""),
    ("SMP", "kepala_sekolah", 1, 1, False, ""),
    ("SMP", "guru", 1, 3, True, "Kelas 7"),
    ("SMP", "pengawas", 1, 1, False, ""),
    ("SMP", "penilik", 0, 0, False, ""),
    ("SMP", "cadangan", 0, 2, False, ""),
    ("SMA", "kepala_sekolah", 1, 1, False, ""),
    ("SMA", "guru", 1, 3, True, "Kelas 10"),
    ("SMA", "pengawas", 1, 1, False, ""),
    ("SMA", "penilik", 0, 0, False, ""),
    ("SMA", "cadangan", 0, 2, False, ""),
    ("SMK", "kepala_sekolah", 1, 1, False, ""),
    ("SMK", "guru", 1, 3, True, "Kelas 10"),
    ("SMK", "pengawas", 1, 1, False, ""),
    ("SMK", "penilik", 0, 0, False, ""),
    ("SMK", "cadangan", 0, 2, False, ""),
    ("SLB", "kepala_sekolah", 1, 1, False, ""),
    ("SLB", "guru", 1, 3, True, ""),
    ("SLB", "pengawas", 1, 1, False, ""),
    ("SLB", "penilik", 0, 0, False, ""),
    ("SLB", "cadangan", 0, 2, False, ""),
]


def load_defaults(apps, schema_editor):
    CompositionRule = apps.get_model("participants", "CompositionRule")
    for level, position, minimum, maximum, needs_class, required in DEFAULT_COMPOSITION:
        CompositionRule.objects.get_or_create(
            level=level,
            position=position,
            defaults={"minimum": minimum, "maximum": maximum, "needs_class": needs_class, "required_classes": required},
        )


def sync(apps, schema_editor):
    from participants.groups import sync_groups

    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("participants", "0004_roster"), ("events", "0003_training_phase")]

    operations = [
        migrations.RunPython(load_defaults, migrations.RunPython.noop),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
