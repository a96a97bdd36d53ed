from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nettverk.reminders import deltagelse_paaminnelser_send
from nettverk.selectors import OVERDUE_DAYS


class Command(BaseCommand):
    help = (
        f"E-mail the participants of every meeting held more than {OVERDUE_DAYS} days ago without a report-back. "
        "Each meeting is reminded about once, so it is safe to run from cron as often as you like."
    )

    def handle(self, *args, **options):
        failures = []
        reminded = deltagelse_paaminnelser_send(
            today=timezone.localdate(),
            site_url=settings.SITE_URL,
            on_failure=lambda deltagelse, error: failures.append(f"{deltagelse.pk}: {error}"),
        )
        for deltagelse in reminded:
            self.stdout.write(f"Reminded the participants of {deltagelse}.")
        self.stdout.write(f"{len(reminded)} reminder(s) sent.")
        if failures:
            raise CommandError(f"{len(failures)} reminder(s) could not be sent: " + "; ".join(failures))
