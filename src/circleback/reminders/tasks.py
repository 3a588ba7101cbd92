"""The reminders' tasks. Each takes ids, never model instances, and is safe to run twice."""

from __future__ import annotations

from django_tasks import TaskContext, task

from circleback.reminders import services


@task(takes_context=True)
def send_digest(context: TaskContext, digest_id: int) -> str:
    worker_id = context.task_result.worker_ids[-1] if context.task_result.worker_ids else ""
    return services.digest_send(digest_id=digest_id, worker_id=worker_id)


@task()
def digests_due() -> int:
    return len(services.digests_due())


@task()
def clean_up() -> dict[str, int]:
    return services.clean_up()
