"""The partner API's OpenAPI document, as the tests read it: built on first use, then kept for the session.

drf-spectacular inspects every view and serializer to build it, so it is built once, and only when a test asks
for it, not whenever a module that might need it is collected. Each caller gets its own copy (parsed from the
kept JSON), so a test that changes what it got cannot change what the next one reads."""

import functools
import json

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer


@functools.cache
def _rendered() -> bytes:
    document = SchemaGenerator().get_schema(request=None, public=True)
    # Rendered as the API serves it, so lazy translation strings are plain text.
    return OpenApiJsonRenderer().render(document, renderer_context={})


def openapi_document() -> dict:
    """The OpenAPI document as /api/v1/schema/?format=json serves it."""
    return json.loads(_rendered())
