from django.core.management.base import BaseCommand
from django.utils import timezone

from nettverk import tasks as nettverk_tasks
from tiltak import tasks as tiltak_tasks
from varsler import tasks as varsler_tasks
from varsler.models import Levering
from varsler.utsending_services import DIGEST_HOUR


class Command(BaseCommand):
    help = (
        "Queue the scheduled background tasks for the task worker (manage.py db_worker): the reporting rounds' "
        "deadline reminders, the report-back reminders, moving held meetings along, the e-mail digests (from "
        f"{DIGEST_HOUR}:00; weekly ones on Mondays) and the recovery of the e-mail outbox. Every task is safe to "
        "run again, so run this from a timer as often as you like (hourly is plenty)."
    )

    def handle(self, *args, **options):
        now = timezone.localtime()
        queued = [
            tiltak_tasks.runde_paaminnelser,
            nettverk_tasks.advance,
            nettverk_tasks.deltagelse_paaminnelser,
            varsler_tasks.recover_utsendinger,
        ]
        for task in queued:
            task.enqueue()
        names = [task.name for task in queued]
        if now.hour >= DIGEST_HOUR:
            varsler_tasks.build_digests.enqueue(Levering.DAGLIG)
            names.append(f"{varsler_tasks.build_digests.name}({Levering.DAGLIG})")
            if now.isoweekday() == 1:
                varsler_tasks.build_digests.enqueue(Levering.UKENTLIG)
                names.append(f"{varsler_tasks.build_digests.name}({Levering.UKENTLIG})")
        self.stdout.write(f"Queued {len(names)} task(s): {', '.join(names)}.")
