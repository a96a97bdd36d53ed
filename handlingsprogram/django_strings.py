"""Messages from Django itself that its Norwegian bokmål catalogue does not translate yet.

Marked here so that ``makemessages`` puts them in our catalogue, which LOCALE_PATHS makes win over Django's.
Nothing imports this module; it exists for the message extractor only."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
    # Django REST framework's catalogue (an installed app, so it outranks Django's) words this one differently;
    # the portal's forms keep Django's wording.
    gettext_noop("This field is required."),  # new in Django 6.1: the blank choice of model fields with choices
]
