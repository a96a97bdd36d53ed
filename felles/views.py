from django.http import Http404


def or_404[T](found: T | None) -> T:
    """What a selector found, or "not found" when it found nothing: ``or_404(selectors.prosjekt_get(pk=pk))``.
    Selectors answer None rather than raise, so the same read serves views, services and the API."""
    if found is None:
        raise Http404
    return found
