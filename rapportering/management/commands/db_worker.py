"""``manage.py db_worker``: django-tasks-db's worker, which also queues again the PDFs a dead worker left unfinished.

This app comes before django_tasks_db in INSTALLED_APPS, so this command is the one ``db_worker`` runs. The
worker itself is django-tasks-db's, unchanged; beside it a watchdog thread runs
``rapportering.services.pdf_generering_recover_stalled`` when the worker starts and then every two heartbeats, so
a PDF whose worker was killed mid-way is made again by whichever worker is alive, and its progress page says so.
"""

import contextlib
import threading

from django.conf import settings
from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from rapportering import services


class Command(DatabaseWorkerCommand):
    help = DatabaseWorkerCommand.help + " (and queue again the annual report PDFs a dead worker left unfinished)"

    def handle(self, *args, **options):
        stop = threading.Event()
        watchdog = threading.Thread(target=self._watch, args=(stop,), name="pdf-recovery", daemon=True)
        watchdog.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
            watchdog.join(timeout=30)

    @staticmethod
    def _watch(stop: threading.Event) -> None:
        try:
            while True:
                with contextlib.suppress(DatabaseError):  # the database is away; the next round tries again
                    services.pdf_generering_recover_stalled()
                if stop.wait(2 * settings.PDF_HEARTBEAT_SECONDS):
                    return
        finally:
            connections.close_all()
