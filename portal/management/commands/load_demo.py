from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import (
    demo_deltagelser_create,
    demo_oppfoelging_create,
    demo_resultater_create,
    demo_sluttevaluering_create,
    demo_statusmeldinger_create,
    demo_successor_create,
    demo_users_create,
)


class Command(BaseCommand):
    help = (
        "Load demo users of each role, their status reports, participation in international arenas, projects, "
        "indicator values and exchange rates, and a draft successor programme rolled over from the current one "
        "(development only; safe to run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help="Load even with DEBUG off (e.g. a demo server)."
        )

    def handle(self, *args, allow_production: bool, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Demo accounts share a published password; refusing to load them with DEBUG off.")
        created = demo_users_create()
        self.stdout.write(f"Demo users created: {', '.join(created) if created else 'none (all there)'}")
        reports = demo_statusmeldinger_create()
        self.stdout.write(f"Demo status reports created: {reports if reports else 'none (already there)'}")
        meetings = demo_deltagelser_create()
        self.stdout.write(f"Demo participation created: {meetings if meetings else 'none (already there)'}")
        projects = demo_resultater_create()
        self.stdout.write(f"Demo projects created: {projects if projects else 'none (already there)'}")
        # After the statusmeldinger: a new statusmelding answers the open requests on its tiltak.
        followup = demo_oppfoelging_create()
        self.stdout.write(f"Demo round and request created: {followup if followup else 'none (already there)'}")
        # Last: the successor is rolled over from the current programme with the demo content above in place.
        successor = demo_successor_create()
        self.stdout.write(f"Demo successor programme: {successor.navn if successor else 'none (already there)'}")
        # After the successor: the draft final evaluation recommends what the successor's decisions carry out.
        evaluation = demo_sluttevaluering_create()
        self.stdout.write(f"Demo final evaluation (draft): {'created' if evaluation else 'none (already there)'}")
