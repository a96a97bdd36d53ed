"""Input that the databases cannot take, refused before it reaches them.

PostgreSQL refuses a NUL character in a string ("A string literal cannot contain NUL (0x00) characters"), and
SQLite an integer beyond 64 bits (OverflowError). Django's form fields refuse a NUL, and a single choice an id
out of range, but a view that reads a query parameter itself (``request.GET.get("nettverk")``), the admin's list
filters and the lookup a multiple choice field checks its ids with passed such values on, and the request ended
in a 500. Two guards, each at the depth where it covers every case:

- ``JunkParameterMiddleware`` answers 400 to any parameter (query string, form field, URL segment) holding a
  NUL, which no page has a use for, and to a query-string value longer than any address a web server passes on
  (the admin's search made a LIKE pattern of 100 000 characters, over SQLite's limit). The partner API is left
  to its own checks, which answer in JSON and name the parameter.
- ``IntegerFieldIn`` leaves integers outside the column's range out of ``__in`` lookups, as Django's own exact
  and range lookups already treat them: they cannot match a row. A ModelMultipleChoiceField checks the ids it
  is sent with such a lookup, so an id of 99999999999999999999 is now "not one of the available choices"."""

from django.db.models import IntegerField
from django.db.models.lookups import In
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from felles.formatting import format_number

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Web servers refuse a request line over 4–8 KB (gunicorn 4 094 bytes, nginx 8 KB), so no real address holds
# more; SQLite refuses a LIKE pattern over 50 000 bytes, which 8 000 characters stay under whatever they are.
MAX_QUERY_VALUE_LENGTH = 8000


class JunkParameterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            return None
        query = list(request.GET.lists())
        # The form's fields; an uploaded file's content is data, not a parameter.
        form = list(request.POST.lists()) if request.content_type in FORM_CONTENT_TYPES else []
        path = [(name, [value]) for name, value in view_kwargs.items() if isinstance(value, str)]
        for name, values in query + form + path:
            if NUL in name or any(NUL in value for value in values):
                message = _("«%(name)s» contains a NUL character, which is not allowed. Remove it and try again.")
                return refuse(request, message, name)
        for name, values in query:
            if any(len(value) > MAX_QUERY_VALUE_LENGTH for value in values):
                return refuse(request, _("«%(name)s» is too long: at most %(max)s characters."), name)
        return None


def refuse(request, message: str, name: str):
    shown = name.replace(NUL, "\ufffd")[:100]
    context = {"message": message % {"name": shown, "max": format_number(MAX_QUERY_VALUE_LENGTH)}}
    return render(request, "400.html", context, status=400)


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register_lookups() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
