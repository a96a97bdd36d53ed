"""The page links of a long list as Designsystemet draws them (issue 19): on the first page no ellipsis stands
where the absent "previous" link would be, on the last none where "next" would be, and the current page is the
one link drawn filled, so a sighted user sees where they are as a screen reader hears it. At 320 px and 1280 px,
with axe-core clean."""

import pytest
from django.urls import reverse

from felles.pagination import PAGE_SIZE
from handlingsprogram.models import User
from tests.e2e.conftest import axe_violations
from tests.e2e.test_staff_progress import log_in, make_user
from tests.portal.test_pagination import add_tiltak

pytestmark = pytest.mark.e2e

# What the browser draws in each item of the page links: the text of the item's own ::before (Designsystemet's
# ellipsis for an empty item), whether its child is visible, and the child's background colour and text.
LINKS_AS_DRAWN = """() => [...document.querySelectorAll('nav.ds-pagination li')].map(li => {
    const child = li.firstElementChild;
    return {
        ellipsis: getComputedStyle(li, '::before').content,
        visible: child ? getComputedStyle(child).visibility === 'visible' : false,
        background: child ? getComputedStyle(child).backgroundColor : null,
        text: li.textContent.trim(),
        current: child ? child.getAttribute('aria-current') : null,
    };
})"""


@pytest.mark.parametrize("width", [320, 1280])
def test_page_links_show_where_the_user_is(live_server, page, loaded_programme, width):
    kari = make_user("kari", User.Rolle.SAKSBEHANDLER, "avdeling-for-utdanning")
    add_tiltak(loaded_programme, kari.enhet, 2 * PAGE_SIZE)  # three pages of Mine tiltak
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, kari.username)

    page.goto(live_server.url + reverse("tiltak:mine"))
    first = page.evaluate(LINKS_AS_DRAWN)
    # The first item holds the hidden placeholder for "previous": nothing drawn, no ellipsis.
    assert first[0]["text"] == "" and not first[0]["visible"], first[0]
    assert all(item["ellipsis"] in ("none", "normal") for item in first), first
    current = [item for item in first if item["current"] == "true"]
    assert [item["text"] for item in current] == ["1"], first
    others = [item for item in first[1:-1] if item["current"] is None and item["text"].isdigit()]
    assert others and all(item["background"] == "rgba(0, 0, 0, 0)" for item in others), others
    assert current[0]["background"] != "rgba(0, 0, 0, 0)", current
    assert first[-1]["visible"] and first[-1]["text"] == "Neste side"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Side 3").click()
    page.wait_for_load_state()
    last = page.evaluate(LINKS_AS_DRAWN)
    assert [item["text"] for item in last if item["current"] == "true"] == ["3"], last
    assert last[0]["visible"] and last[0]["text"] == "Forrige side"
    assert last[-1]["text"] == "" and not last[-1]["visible"], last[-1]
    assert all(item["ellipsis"] in ("none", "normal") for item in last), last
    assert page.evaluate("document.documentElement.scrollWidth") <= width
