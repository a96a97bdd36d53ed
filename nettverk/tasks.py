"""Scheduled tasks of deltagelser (Django's tasks framework), queued by ``manage.py enqueue_scheduled_tasks`` and
run by the task worker; ``send_deltagelse_paaminnelser`` and ``advance_deltagelser`` run the same code by hand."""

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .reminders import deltagelse_paaminnelser_send
from .services import deltagelser_advance


@task
def advance() -> int:
    """Held meetings become gjennomført (or rapportert, telling the network's followers)."""
    return len(deltagelser_advance(today=timezone.localdate()))


@task
def deltagelse_paaminnelser() -> int:
    """Remind the participants of a meeting held a while ago without a report-back (once per meeting)."""
    return len(deltagelse_paaminnelser_send(today=timezone.localdate(), site_url=settings.SITE_URL))
