"""What Lighthouse asked of the public pages (issue 17, bench/lighthouse.py): each says what it is in a meta
description taken from its own content, in the page's language; HTML pages go out compressed (the API and static
files do not pass through this); the one web font the first screen needs is preloaded and no face swaps in late."""

import gzip
import html
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from handlingsprogram.models import PrioritertOmraade
from tiltak.selectors import tiltak_get_by_code


def description(page: str) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)">', page)
    assert len(found) == 1, found
    return html.unescape(found[0])


def get(client, url: str, language: str = "nb") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_public_pages_describe_themselves_from_their_own_content(client, programme):
    omraade = PrioritertOmraade.objects.get(handlingsprogram=programme, nummer=1)
    tiltak = tiltak_get_by_code(programme=programme, code="1.1.1")
    front = description(get(client, reverse("tiltak:overview")))
    assert front.startswith(programme.innledning[:60])
    assert len(front) <= 160
    area = description(get(client, omraade.get_absolute_url()))
    assert area.startswith(omraade.innledning_ingress[:60]) and len(area) <= 160
    measure = description(get(client, tiltak.get_absolute_url()))
    assert measure.startswith("Tiltak 1.1.1: " + tiltak.tekst[:40])
    networks = description(get(client, reverse("nettverk:list")))
    with translation.override("nb"):
        assert networks == translation.gettext(
            "The political and administrative arenas, organisations and clusters where Trøndelag takes part, and "
            "who holds which seat."
        )
    reports = description(get(client, reverse("rapportering:list_current")))
    assert programme.navn in reports and "fylkesutvalget" in reports.lower()
    # Every description differs, and none is the English msgid on a bokmål page.
    assert len({front, area, measure, networks, reports}) == 5
    assert "annual reports" not in reports


def test_a_page_without_its_own_description_has_the_portals_in_the_chosen_language(client, programme):
    nb = description(get(client, reverse("portal:kontakt")))
    en = description(get(client, reverse("portal:kontakt"), language="en"))
    assert nb.startswith("Internasjonalt handlingsprogram for Trøndelag fylkeskommune")
    assert en.startswith("Trøndelag County Council and Innovation Norway Trøndelag’s international action programme")


def test_pages_are_compressed_for_a_browser_that_accepts_gzip(client, programme):
    plain = client.get(reverse("tiltak:overview"))
    assert "Content-Encoding" not in plain
    response = client.get(reverse("tiltak:overview"), headers={"accept-encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    unpacked = gzip.decompress(response.content)
    assert programme.navn.encode() in unpacked
    assert len(response.content) < len(unpacked) / 3


def test_the_api_is_not_compressed_by_the_page_middleware(client, programme):
    response = client.get("/api/v1/", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert response["Content-Type"].startswith("application/json")


def test_the_regular_web_font_is_preloaded_and_no_face_swaps_in_late(client, programme):
    page = get(client, reverse("tiltak:overview"))
    preload = re.search(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', page)
    assert preload and preload.group(1).endswith("inter-latin-400-normal.woff2")
    assert page.index('rel="preload"') < page.index('rel="stylesheet"')
    # deploy/assets.sh writes the faces; `optional` keeps a late font from moving the text (layout shift).
    script = (Path(settings.BASE_DIR) / "deploy" / "assets.sh").read_text()
    assert "font-display: optional;" in script and "font-display: swap" not in script
