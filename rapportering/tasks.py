"""Background tasks of the annual report (Django's tasks framework; the backend is settings.TASKS)."""

from django.tasks import task

from . import services


@task
def generate_pdf(generering_id: int) -> None:
    """Make the PDF of a queued ``PdfGenerering``: a draft PDF, or the approval that freezes the report."""
    services.pdf_generering_run(generering_id=generering_id)
