"""The pages the law and good practice ask for, linked from every page's footer: the accessibility statement
(tilgjengelighetserklæring, after Digdir's model), the privacy statement (personvernerklæring) and the contact page.
Their changing facts are in portal/legal.py, the addresses in settings (DJANGO_CONTACT_EMAIL, DJANGO_PRIVACY_EMAIL)."""

from django.conf import settings
from django.shortcuts import render

from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import public

from . import legal


@public
def tilgjengelighet(request):
    context = {
        "statement_date": legal.ACCESSIBILITY_STATEMENT_DATE,
        "last_reviewed": legal.ACCESSIBILITY_LAST_REVIEWED,
        "deviations": legal.KNOWN_DEVIATIONS,
        "contact_email": settings.PORTAL_CONTACT_EMAIL,
        "uustatus_url": legal.UUSTATUS_URL,
        "uutilsynet_url": legal.UUTILSYNET_URL,
        "uutilsynet_name": legal.UUTILSYNET_NAME,
        "wcag_url": legal.WCAG_URL,
    }
    return render(request, "portal/tilgjengelighet.html", context)


@public
def personvern(request):
    context = {
        "statement_date": legal.PRIVACY_STATEMENT_DATE,
        "privacy_email": settings.PORTAL_PRIVACY_EMAIL,
        "datatilsynet_url": legal.DATATILSYNET_URL,
        "login_cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
    return render(request, "portal/personvern.html", context)


@public
def kontakt(request):
    programme = programme_selectors.programme_current()
    context = {
        "programme": programme,
        "owners": programme_selectors.programme_owners(programme=programme) if programme else [],
        "contact_email": settings.PORTAL_CONTACT_EMAIL,
    }
    return render(request, "portal/kontakt.html", context)
