"""The portal's state as a backup must keep it, for tests/test_backup_restore.py, run in a subprocess against the
database and media storage the environment names (DATABASE_URL, DJANGO_MEDIA_ROOT):

    python -m tests.backup_scenario fill        an approved annual report (its PDF made by WeasyPrint), attachments
                                                on a deltagelse and on a statusmelding
    python -m tests.backup_scenario state FILE  JSON into FILE: every table's row count, every approved report's
                                                recorded and recomputed SHA-256, every attachment as downloaded

The state is read independently of portal/backup.py's own check: the restore is proven from outside."""

import hashlib
import io
import json
import os
import sys
import zipfile


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def fill() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from handlingsprogram.models import Handlingsprogram, User
    from nettverk.models import Deltagelse
    from nettverk.services import vedlegg_add
    from rapportering.models import Aarsrapport, PdfGenerering
    from rapportering.services import aarsrapport_draft_create, pdf_generering_request
    from tiltak.models import Tiltak
    from tiltak.services import default_report_date, statusmelding_create

    coordinator = User.objects.get(username="koordinator")
    programme = Handlingsprogram.objects.order_by("pk").first()
    rapport = aarsrapport_draft_create(programme=programme, aar=2021, user=coordinator)
    pdf_generering_request(aarsrapport=rapport, user=coordinator, formaal=PdfGenerering.Formaal.GODKJENNING)
    rapport.refresh_from_db()
    assert rapport.status == Aarsrapport.Status.GODKJENT and rapport.pdf_sha256, "the report was not approved"

    deltagelse = Deltagelse.objects.order_by("pk").first()
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document>Referat fra møtet</document>")
    uploads = [
        SimpleUploadedFile("referat.pdf", b"%PDF-1.4\n% referat\n%%EOF\n", content_type="application/pdf"),
        SimpleUploadedFile("notat.docx", docx.getvalue()),
        SimpleUploadedFile("bilde.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, content_type="image/png"),
    ]
    for upload in uploads:
        vedlegg_add(deltagelse=deltagelse, user=coordinator, uploaded=upload)

    # A status report with a document, written as staff write one (a programme that takes status reports).
    tiltak = next(
        t
        for t in Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").order_by("pk")
        if not (
            t.innsatsomraade.omraade.handlingsprogram.is_closed or t.innsatsomraade.omraade.handlingsprogram.is_draft
        )
    )
    melding = statusmelding_create(
        tiltak=tiltak,
        user=coordinator,
        date=default_report_date(tiltak),
        status="paagaar",
        vurdering="i_rute",
        gjennomfoert="Sluttrapport fra prosjektet er lagt ved.",
        vedlegg=[SimpleUploadedFile("sluttrapport.pdf", b"%PDF-1.4\n% sluttrapport\n%%EOF\n")],
    )
    print(
        f"filled: report {rapport.pk} approved, {len(uploads)} attachments on deltagelse {deltagelse.pk}, "
        f"1 on statusmelding {melding.pk}"
    )


def state() -> dict:
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from handlingsprogram.models import User
    from nettverk.models import Vedlegg
    from rapportering.models import Aarsrapport
    from tiltak.models import StatusmeldingVedlegg

    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    reports = {}
    for rapport in Aarsrapport.objects.exclude(pdf_sha256="").order_by("pk"):
        with rapport.pdf.open("rb") as pdf:
            reports[str(rapport.pk)] = {"recorded": rapport.pdf_sha256, "file": hashlib.sha256(pdf.read()).hexdigest()}
    attachments = {}
    # The login's session and access-log rows are rolled back: reading the state must not change it.
    with transaction.atomic():
        client = Client()
        client.force_login(User.objects.get(username="koordinator"))
        downloads = [(f"deltagelse/{v.pk}", "nettverk:vedlegg_download", v.pk) for v in Vedlegg.objects.order_by("pk")]
        downloads += [
            (f"statusmelding/{v.pk}", "tiltak:statusmelding_vedlegg_download", v.pk)
            for v in StatusmeldingVedlegg.objects.order_by("pk")
        ]
        for key, url_name, pk in downloads:
            response = client.get(reverse(url_name, args=[pk]))
            body = b"".join(response.streaming_content) if response.streaming else response.content
            attachments[key] = {"status": response.status_code, "sha256": hashlib.sha256(body).hexdigest()}
        transaction.set_rollback(True)
    return {"tables": counts, "approved_reports": reports, "attachments": attachments}


if __name__ == "__main__":
    _setup()
    if sys.argv[1:] == ["fill"]:
        fill()
    elif len(sys.argv) == 3 and sys.argv[1] == "state":
        with open(sys.argv[2], "w", encoding="utf-8") as out:
            json.dump(state(), out, indent=1)
    else:
        sys.exit("usage: python -m tests.backup_scenario fill | state FILE")
