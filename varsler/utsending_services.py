"""E-mail of notifications through the outbox (``Utsending``): made in the transaction that creates the
notification (or by the digest task), sent by the task worker, never from a web request.

What is guaranteed, and how (``utsending_send``):

1. **Claim before sending.** A conditional UPDATE moves the row from "ventende" to "sender" and records the
   Message-ID, in its own committed transaction, *before* the SMTP conversation starts. The UPDATE is atomic on
   every database, so of two workers given the same row (a task enqueued twice, a retry) exactly one claims it;
   the other sends nothing.
2. **Mark after sending.** When the server has answered "250 OK" the row becomes "sendt".
3. **A crash in between** (the worker killed after the server accepted the message, before the row was marked)
   leaves the row "sender". No one sends a row in that state again: ``utsendinger_recover`` marks it "usikker"
   once its lease has run out, for an operator to look at (the Message-ID tells which message to look for in the
   mail server's log). So each (user, key) is e-mailed **at most once**. SMTP itself is at-least-once and a
   crash can thus cost an e-mail, never duplicate one; the notification itself stays in the portal's list, so
   nothing is lost to the user.
4. **A refusal the server gave before accepting** (connection refused, sender or recipients refused) means
   nothing was delivered: the row goes back to "ventende" (or "feilet" for a refused address) and the next
   recovery run queues it again."""

import datetime
import logging
import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import selectors
from .models import Levering, Utsending, Varsel

log = logging.getLogger(__name__)

# A row "sender" for longer than this was left by a worker that died mid-send.
CLAIM_LEASE = datetime.timedelta(minutes=15)
# A row still "ventende" this long after it was made lost its task (the worker was down): queue it again.
REQUEUE_AFTER = datetime.timedelta(minutes=2)
# Digests go out on the first scheduler run from this local hour on.
DIGEST_HOUR = 7
SUBJECT_PREFIX = "Handlingsprogram: "


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path else settings.SITE_URL


def _footer() -> str:
    return _("You get this e-mail because of your notification preferences. Change them here: %(url)s") % {
        "url": _absolute(reverse("varsler:innstillinger"))
    }


def _enqueue(utsending_ids: list[int]) -> None:
    from .tasks import send_utsending

    for pk in utsending_ids:
        send_utsending.enqueue(pk)


def utsendinger_for_new(varsler: list[Varsel]) -> list[Utsending]:
    """Outbox rows for the new notifications whose users want them e-mailed at once; called in the transaction
    that creates them, and the sending tasks are queued only once it has committed (a rolled-back notification
    is never e-mailed). Demo notifications and users without an address or not active get none."""
    candidates = [v for v in varsler if not v.demo and v.user.is_active and v.user.email]
    if not candidates:
        return []
    levering = selectors.levering_for(user_ids={v.user_id for v in candidates})
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for varsel in candidates:
            if levering[varsel.user_id][varsel.kind] != Levering.STRAKS:
                continue
            body = f"{varsel.text}\n\n{_absolute(varsel.link)}\n\n-- \n{_footer()}\n"
            rows.append(
                Utsending(
                    user_id=varsel.user_id,
                    key=f"varsel:{varsel.pk}",
                    to_email=varsel.user.email,
                    subject=(SUBJECT_PREFIX + varsel.text)[:300],
                    body=body,
                )
            )
    if not rows:
        return []
    created = Utsending.objects.bulk_create(rows)
    by_key = {u.key: u for u in created}
    for varsel in candidates:
        if (utsending := by_key.get(f"varsel:{varsel.pk}")) is not None:
            varsel.utsending = utsending
    Varsel.objects.bulk_update([v for v in candidates if v.utsending_id], ["utsending"])
    ids = [u.pk for u in created]
    transaction.on_commit(lambda: _enqueue(ids))
    return created


def _digest_key(levering: str, today: datetime.date) -> str:
    if levering == Levering.DAGLIG:
        return f"daglig:{today.isoformat()}"
    year, week, _day = today.isocalendar()
    return f"ukentlig:{year}-W{week:02d}"


def digests_build(*, levering: str, now: datetime.datetime | None = None) -> list[Utsending]:
    """One digest e-mail per user who has unread, un-e-mailed notifications of the kinds they want in this
    digest (``levering`` is daily or weekly), made before ``now``. The key names the day (or ISO week), so the
    scheduler may run this as often as it likes: a user gets one daily digest a day, one weekly digest a week.
    A fixed number of queries plus one insert per digest."""
    if levering not in (Levering.DAGLIG, Levering.UKENTLIG):
        raise ValueError(levering)
    now = now or timezone.now()
    key = _digest_key(levering, timezone.localdate(now))
    due = list(
        Varsel.objects.filter(
            utsending__isnull=True,
            emailed_at__isnull=True,
            read_at__isnull=True,
            demo=False,
            created_at__lte=now,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "created_at", "id")
    )
    if not due:
        return []
    wanted = selectors.levering_for(user_ids={v.user_id for v in due})
    per_user: dict[int, list[Varsel]] = {}
    for varsel in due:
        if wanted[varsel.user_id][varsel.kind] == levering:
            per_user.setdefault(varsel.user_id, []).append(varsel)
    already = set(
        Utsending.objects.filter(user_id__in=per_user, key=key).values_list("user_id", flat=True)
    )  # made by an earlier run today (this week): what came since waits for the next one
    made = []
    with translation.override(settings.LANGUAGE_CODE):
        for user_id, varsler in per_user.items():
            if user_id in already:
                continue
            user = varsler[0].user
            if levering == Levering.DAGLIG:
                subject = _("Your notifications of %(date)s") % {"date": timezone.localdate(now).strftime("%d.%m.%Y")}
            else:
                subject = _("Your notifications this week")
            lines = [
                f"* {v.text} ({timezone.localtime(v.created_at):%d.%m.%Y %H:%M})\n  {_absolute(v.link)}"
                for v in varsler
            ]
            body = "\n".join(
                [
                    _("You have %(count)s new notifications in the portal:") % {"count": len(varsler)},
                    "",
                    *lines,
                    "",
                    _("All your notifications: %(url)s") % {"url": _absolute(reverse("varsler:list"))},
                    "",
                    "-- ",
                    _footer(),
                    "",
                ]
            )
            try:
                with transaction.atomic():
                    utsending = Utsending.objects.create(
                        user=user, key=key, to_email=user.email, subject=SUBJECT_PREFIX + subject, body=body
                    )
                    Varsel.objects.filter(pk__in=[v.pk for v in varsler], utsending__isnull=True).update(
                        utsending=utsending
                    )
            except IntegrityError:
                continue  # another run made this user's digest a moment ago
            made.append(utsending)
    ids = [u.pk for u in made]
    transaction.on_commit(lambda: _enqueue(ids))
    return made


def utsending_send(*, utsending_id: int) -> str:
    """Send one outbox row if nobody has claimed it; return its status afterwards. See the module's docstring
    for what is guaranteed across a crash."""
    message_id = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None)
    now = timezone.now()
    # 1. The claim, committed on its own before any byte goes to the SMTP server (durable: refused inside a
    # caller's transaction, where it would not be committed before the sending).
    with transaction.atomic(durable=True):
        claimed = Utsending.objects.filter(pk=utsending_id, status=Utsending.Status.VENTENDE).update(
            status=Utsending.Status.SENDER, claimed_at=now, message_id=message_id, attempts=F("attempts") + 1
        )
    utsending = Utsending.objects.filter(pk=utsending_id).first()
    if not claimed or utsending is None:
        return utsending.status if utsending else "missing"
    message = EmailMessage(
        subject=utsending.subject,
        body=utsending.body,
        to=[utsending.to_email],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
    )
    # 2. The SMTP conversation.
    try:
        message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        Utsending.objects.filter(pk=utsending_id, status=Utsending.Status.SENDER).update(
            status=Utsending.Status.FEILET, error=str(error)[:2000]
        )
        log.warning("E-mail %s to %s refused: %s", utsending.key, utsending.to_email, error)
        return Utsending.Status.FEILET
    except (smtplib.SMTPConnectError, ConnectionRefusedError) as error:
        # Not connected, so not delivered: free the claim for the next recovery run.
        Utsending.objects.filter(pk=utsending_id, status=Utsending.Status.SENDER).update(
            status=Utsending.Status.VENTENDE, error=str(error)[:2000]
        )
        log.warning("E-mail %s not sent, will try again: %s", utsending.key, error)
        return Utsending.Status.VENTENDE
    except Exception as error:
        # Anything else may have struck after the server accepted the message: never send it again.
        Utsending.objects.filter(pk=utsending_id, status=Utsending.Status.SENDER).update(
            status=Utsending.Status.USIKKER, error=str(error)[:2000]
        )
        log.exception("E-mail %s (%s) may or may not have been delivered.", utsending.key, message_id)
        return Utsending.Status.USIKKER
    # 3. Marked sent; the notifications it carried with it.
    sent_at = timezone.now()
    with transaction.atomic():
        Utsending.objects.filter(pk=utsending_id, status=Utsending.Status.SENDER).update(
            status=Utsending.Status.SENDT, sent_at=sent_at, error=""
        )
        Varsel.objects.filter(utsending_id=utsending_id).update(emailed_at=sent_at)
    return Utsending.Status.SENDT


def utsendinger_recover(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run by the scheduler: a row claimed longer than the lease ago was left by a worker that died mid-send and
    becomes "usikker" (never sent again); a row still waiting after a while lost its task and is queued again
    (queuing one twice is harmless: only one claim succeeds)."""
    now = now or timezone.now()
    uncertain = Utsending.objects.filter(status=Utsending.Status.SENDER, claimed_at__lt=now - CLAIM_LEASE).update(
        status=Utsending.Status.USIKKER, error=_("The sender stopped during sending; the e-mail may not have arrived.")
    )
    waiting = list(
        Utsending.objects.filter(status=Utsending.Status.VENTENDE, created_at__lt=now - REQUEUE_AFTER).values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(lambda: _enqueue(waiting))
    return {"usikker": uncertain, "queued_again": len(waiting)}
