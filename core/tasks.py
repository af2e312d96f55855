"""Background tasks of the kit: each takes an id and calls a service (run in-process by the default backend)."""

from django_tasks import task

from core.exports import export_job_run


@task()
def export_job_run_task(job_id: str) -> None:
    export_job_run(job_id=job_id)
