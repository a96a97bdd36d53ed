from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from handlingsprogram.models import Handlingsprogram
from tiltak.reminders import paaminnelser_send
from tiltak.selectors import reporting_year

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "E-mail each case officer whose unit (or organisation) has measures without a status report in the "
        "reporting year the list of those measures. Each user is reminded once per programme and year, so it "
        "is safe to run from cron as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument("--program", metavar="SLUG", help="The programme (default: the current one).")
        parser.add_argument(
            "--aar", type=int, metavar="YEAR", help="The reporting year (default: this year, within the period)."
        )

    def handle(self, *args, program: str | None, aar: int | None, **options):
        if program:
            programme = Handlingsprogram.objects.filter(slug=program).first()
            if programme is None:
                raise CommandError(f"No programme with the slug {program!r}.")
        else:
            programme = Handlingsprogram.objects.current()
            if programme is None:
                raise CommandError("There is no programme yet.")
        year = reporting_year(programme) if aar is None else aar
        if not programme.start_year <= year <= programme.end_year:
            raise CommandError(
                f"{year} is outside the period of {programme.slug} ({programme.start_year}–{programme.end_year})."
            )
        if programme.is_closed:
            self.stdout.write(f"{programme.slug} is closed and takes no status reports; no reminders sent.")
            return
        site_url = settings.SITE_URL
        if not settings.DEBUG and site_url == DEFAULT_SITE_URL:
            self.stderr.write(f"DJANGO_SITE_URL is not set; the links in the e-mails point to {site_url}.")

        failures = []
        sent = paaminnelser_send(
            programme=programme,
            year=year,
            site_url=site_url,
            on_skip=lambda user: self.stdout.write(f"Skipped {user.get_username()}: no e-mail address."),
            on_failure=lambda user, error: failures.append(f"{user.get_username()}: {error}"),
        )
        for paaminnelse in sent:
            self.stdout.write(
                f"Reminded {paaminnelse.user.get_username()} <{paaminnelse.user.email}> "
                f"of {paaminnelse.antall_tiltak} measure(s)."
            )
        self.stdout.write(f"{programme.slug} {year}: {len(sent)} reminder(s) sent.")
        if failures:
            raise CommandError(f"{len(failures)} reminder(s) could not be sent: " + "; ".join(failures))
