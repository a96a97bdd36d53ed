"""Scheduled tasks of tiltak (Django's tasks framework), queued by ``manage.py enqueue_scheduled_tasks`` and run by
the task worker. The management commands ``send_paaminnelser`` runs the same code by hand."""

from django.conf import settings
from django.tasks import task

from handlingsprogram.models import Handlingsprogram

from .oppfoelging_services import runde_paaminnelser_send
from .reminders import paaminnelser_send
from .selectors import reporting_year


@task
def runde_paaminnelser() -> dict:
    """Remind the staff who still owe a report in an open round nearing its deadline (7 and 1 days before)."""
    return {str(pk): count for pk, count in runde_paaminnelser_send().items()}


@task
def paaminnelser() -> int:
    """The yearly reminder by e-mail of tiltak without a statusmelding in the reporting year (what the
    ``send_paaminnelser`` command does for the current programme); once per user, programme and year."""
    programme = Handlingsprogram.objects.current()
    if programme is None or programme.is_closed:
        return 0
    return len(paaminnelser_send(programme=programme, year=reporting_year(programme), site_url=settings.SITE_URL))
