"""Background tasks: each takes ids and calls a service (run in-process by the default backend)."""

from django_tasks import task


@task()
def report_job_run_task(job_id: str) -> None:
    from participants.services.reports import report_job_run

    report_job_run(job_id=job_id)
