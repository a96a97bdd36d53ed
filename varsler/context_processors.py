from . import selectors


class _UnreadCount:
    """The user's unread count, counted on first use and then kept for the request: one query, and only on pages
    whose template shows it (``{% if %}`` needs ``__bool__``, which SimpleLazyObject does not give an int)."""

    def __init__(self, user):
        self._user = user
        self._value = None

    @property
    def value(self) -> int:
        if self._value is None:
            self._value = selectors.unread_count(user=self._user) if self._user is not None else 0
        return self._value

    def __bool__(self) -> bool:
        return self.value > 0

    def __int__(self) -> int:
        return self.value

    def __str__(self) -> str:
        return str(self.value)


def varsler(request):
    return {"unread_varsler": _UnreadCount(getattr(request, "user", None))}
