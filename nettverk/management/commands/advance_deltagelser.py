from django.core.management.base import BaseCommand
from django.utils import timezone

from nettverk.services import deltagelser_advance


class Command(BaseCommand):
    help = (
        "Mark every prepared meeting whose first day has come as held (gjennomført). Changes only what is due, so "
        "it is safe to run from cron as often as you like (once a day is enough)."
    )

    def handle(self, *args, **options):
        moved = deltagelser_advance(today=timezone.localdate())
        for deltagelse in moved:
            self.stdout.write(f"{deltagelse}: {deltagelse.get_status_display()}")
        self.stdout.write(f"{len(moved)} deltagelse(r) moved on.")
