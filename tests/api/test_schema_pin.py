"""The partner API's public contract, pinned: every path and method, every query parameter and every field name a
200 response can carry, as the OpenAPI schema describes them, against the committed snapshot schema_pin.json.

Partners' scripts and spreadsheets read these names, so nothing may be removed or renamed (a rename is a removal
plus an addition). Additions are fine, but they go into the snapshot on purpose, in the same commit, so a reviewer
sees them. Fields are written as paths through the response (``results[].ansvar[].aktoer.navn``), following $ref
components, so a field that moves to another place counts as removed too.

After a deliberate addition, rewrite the snapshot with::

    UPDATE_SCHEMA_PIN=1 DJANGO_DEBUG=1 .venv/bin/python -m pytest tests/api/test_schema_pin.py

and review its diff before committing."""

import json
import os
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

PIN_FILE = Path(__file__).resolve().parent / "schema_pin.json"
UPDATE_COMMAND = "UPDATE_SCHEMA_PIN=1 DJANGO_DEBUG=1 .venv/bin/python -m pytest tests/api/test_schema_pin.py"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def generated_schema() -> dict:
    """The OpenAPI document as /api/v1/schema/?format=json serves it (rendered, so lazy strings are plain)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


def _field_paths(schema: dict, components: dict, prefix: str, seen: frozenset, out: set) -> None:
    """Collect the path of every property reachable from ``schema`` into ``out``."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:  # a self-referencing component: its fields are already listed one level up
            return
        _field_paths(components[name], components, prefix, seen | {name}, out)
    for combinator in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(combinator, []):
            _field_paths(part, components, prefix, seen, out)
    if isinstance(schema.get("items"), dict):
        _field_paths(schema["items"], components, f"{prefix}[]", seen, out)
    if isinstance(schema.get("additionalProperties"), dict):
        _field_paths(schema["additionalProperties"], components, f"{prefix}{{}}", seen, out)
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        out.add(path)
        _field_paths(sub, components, path, seen, out)


def public_contract(schema: dict) -> dict:
    """``{"GET /api/v1/tiltak/": {"query_parameters": [...], "response_fields": [...]}, ...}``, all sorted."""
    components = schema.get("components", {}).get("schemas", {})
    contract = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            fields = set()
            for media in operation.get("responses", {}).get("200", {}).get("content", {}).values():
                _field_paths(media.get("schema", {}), components, "", frozenset(), fields)
            parameters = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            contract[f"{method.upper()} {path}"] = {
                "query_parameters": sorted(parameters),
                "response_fields": sorted(fields),
            }
    return dict(sorted(contract.items()))


def _as_items(contract: dict) -> set[str]:
    """Every pinned fact as one readable line, so two contracts compare as sets."""
    items = set()
    for operation, parts in contract.items():
        items.add(f"{operation}")
        items.update(f"{operation}  query parameter {name}" for name in parts["query_parameters"])
        items.update(f"{operation}  response field {name}" for name in parts["response_fields"])
    return items


def test_api_contract_matches_the_pinned_snapshot():
    current = public_contract(generated_schema())

    if os.environ.get("UPDATE_SCHEMA_PIN") == "1":
        if os.environ.get("CI") == "true":
            pytest.fail("UPDATE_SCHEMA_PIN=1 rewrites the snapshot; it is a developer's step, never CI's.")
        PIN_FILE.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    pinned = json.loads(PIN_FILE.read_text(encoding="utf-8"))
    if current == pinned:
        return

    now, before = _as_items(current), _as_items(pinned)
    removed, added = sorted(before - now), sorted(now - before)
    message = ["The partner API's schema differs from tests/api/schema_pin.json."]
    if removed:
        message += [
            "",
            f"REMOVED or RENAMED ({len(removed)}) — this breaks partners' integrations; the API is a public contract.",
            "Keep the old name (serializer `source=`, an alias URL, the old parameter) instead of removing it:",
            *(f"  - {item}" for item in removed),
        ]
    if added:
        message += [
            "",
            f"ADDED ({len(added)}) — fine, but not in the snapshot yet:",
            *(f"  + {item}" for item in added),
            "",
            f"If the additions are intended, rewrite the snapshot with `{UPDATE_COMMAND}` and commit its diff.",
        ]
    pytest.fail("\n".join(message), pytrace=False)
