"""The API documentation works in a real browser, offline and under the portal's Content-Security-Policy."""

import pytest

pytestmark = pytest.mark.e2e


def test_swagger_ui_renders_every_operation_without_csp_violations(live_server, page, loaded_programme):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    external = []
    page.on(
        "request", lambda request: external.append(request.url) if not request.url.startswith(live_server.url) else None
    )

    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=90_000)  # the schema is built and rendered: slow on a busy machine
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/tiltak/" in [s.replace("\u200b", "") for s in summaries]
    assert len(summaries) >= 20  # list and detail of ten resources, plus the root
    assert [url for url in external if not url.startswith("data:")] == []  # nothing fetched from elsewhere
    assert violations == []
