"""Background tasks of notifications (Django's tasks framework; the backend is settings.TASKS). E-mail is sent
only here, never from a web request: see utsending_services for what is guaranteed across a crash."""

from django.tasks import task

from . import utsending_services


@task
def send_utsending(utsending_id: int) -> str:
    return utsending_services.utsending_send(utsending_id=utsending_id)


@task
def build_digests(levering: str) -> int:
    """Make the daily or weekly digests that are due (each queues its own sending)."""
    return len(utsending_services.digests_build(levering=levering))


@task
def recover_utsendinger() -> dict:
    return utsending_services.utsendinger_recover()
