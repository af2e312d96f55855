"""Background tasks: each takes ids and calls a service (run in-process by the default backend)."""

from django_tasks import task

from reports.services import event_personal_data_purge, events_due


@task()
def purge_due_personal_data_task() -> list[str]:
    """Purge every event past its retention date (run daily by cron: see README, "Retention")."""
    return [event_personal_data_purge(event=event, actor=None, dry_run=False).event_slug for event in events_due()]
