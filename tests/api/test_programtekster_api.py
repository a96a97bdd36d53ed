"""/api/v1/programtekster/: the programme document, word for word, part by part in the document's order."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from handlingsprogram.models import Programtekst
from tests.api.test_api import PROGRAM

LIST = reverse("api:programtekst-list")


def detail(key, program=PROGRAM):
    return reverse("api:programtekst-detail", kwargs={"program": program, "key": key})


def test_root_lists_the_resource(client, programme):
    assert client.get(reverse("api:root")).json()["programtekster"] == "http://testserver" + LIST


def test_list_has_every_part_in_document_order(client, programme):
    data = client.get(LIST, {"handlingsprogram": PROGRAM, "page_size": 100}).json()
    assert data["count"] == 27
    keys = [row["key"] for row in data["results"]]
    assert keys[:5] == ["figur-plansystemet", "1", "1.1", "fotnote-1", "faktaboks-fire-hovedtiltak"]
    assert keys[-1] == "vedlegg-5"
    assert [row["position"] for row in data["results"]] == list(range(1, 28))


def test_filter_by_type_and_free_text(client, programme):
    footnotes = client.get(LIST, {"type": "fotnote"}).json()["results"]
    assert [row["key"] for row in footnotes] == ["fotnote-1", "fotnote-2", "fotnote-3"]
    found = client.get(LIST, {"q": "China 2022"}).json()["results"]
    assert [row["key"] for row in found] == ["vedlegg-5"]
    backwards = client.get(LIST, {"ordering": "-position"}).json()["results"]
    assert backwards[0]["key"] == "vedlegg-5"


def test_detail_of_a_footnote(client, programme):
    response = client.get(detail("fotnote-2"))
    assert response.status_code == 200
    data = response.json()
    assert data == data | {
        "handlingsprogram": PROGRAM,
        "key": "fotnote-2",
        "type": "fotnote",
        "number": "2",
        "title": "",
        "text": "Med forbehold om norsk deltagelse i programmene.",
        "forelder": "2.3",
        "refers_to": "EØS-ordningene og LIFE",
        "modelled_as": "",
        "omraade": None,
        "source": "Internasjonalt handlingsprogram 2020–2023, fotnote 2 (kap. 2.3)",
        "source_url": "",
        "content_url": None,
        "url": "http://testserver" + detail("fotnote-2"),
        "portal_url": f"http://testserver/program/{PROGRAM}/programdokument/#fotnote-2",
    }


def test_detail_of_a_chapter_and_of_an_area_chapter(client, programme):
    data = client.get(detail("1.4")).json()
    assert "• Deltagelse på internasjonale arenaer vil bli gjensidig rapportert fortløpende." in data["text"]
    assert data["portal_url"].endswith("/programdokument/#kapittel-1-4") and data["forelder"] == "1"

    area = client.get(detail("2.2")).json()
    assert area["modelled_as"] == "priority_area" and area["omraade"] == "utdanning-og-kompetanse"
    assert area["text"] == ""
    assert area["content_url"] == "http://testserver" + programme.omraader.get(nummer=2).get_absolute_url()


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"type": "kapitel"}, "type"),
        ({"handlingsprogram": "finnes-ikke"}, "handlingsprogram"),
        ({"ordering": "title"}, "ordering"),
        ({"kind": "fotnote"}, "kind"),
        ({"type": ""}, "type"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_bad_parameters_give_400_naming_the_parameter(client, programme, params, parameter):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize(
    ("program", "key"),
    [(PROGRAM, "9.9"), (PROGRAM, "Vedlegg 5"), (PROGRAM, "1..4"), ("finnes-ikke", "1.4"), (PROGRAM, "fotnote-2%00")],
)
def test_unknown_or_impossible_parts_give_404(client, programme, program, key):
    response = client.get(detail(key, program))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_writes_are_refused(client, programme):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(detail("1.4")).status_code == 405
    assert Programtekst.objects.filter(key="1.4").exists()


def test_csv(client, programme):
    response = client.get(LIST, {"format": "csv", "type": "fotnote"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "Med forbehold om norsk deltagelse i programmene." in response.content.decode()


def test_list_queries_do_not_grow_with_rows(client, programme, django_assert_num_queries):
    params = {"page_size": 500}
    client.get(LIST, params)  # warm-up
    with django_assert_num_queries(2):  # count, rows (with programme, forelder and area)
        assert client.get(LIST, params).status_code == 200
    chapter = programme.tekster.get(key="1.4")
    for i in range(1, 4):
        Programtekst.objects.create(
            handlingsprogram=programme, type="faktaboks", key=f"boks-{i}", title="BOKS", text="Fakta.",
            position=100 + i, forelder=chapter, source="Test",
        )  # fmt: skip
    cache.clear()
    with django_assert_num_queries(2):
        assert client.get(LIST, params).json()["count"] == 30
