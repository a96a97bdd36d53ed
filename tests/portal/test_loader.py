"""Loading the programme file is safe to repeat: nothing duplicated, nothing a coordinator changed is lost."""

from handlingsprogram.models import Baerekraftsmaal, Handlingsprogram
from nettverk.models import Medlemskap, Nettverk
from portal.loader import programme_file_load
from tests.conftest import PROGRAMME_FILE
from tiltak.models import Ansvar, Tiltak


def table_sizes():
    return [m.objects.count() for m in (Handlingsprogram, Tiltak, Ansvar, Nettverk, Medlemskap, Baerekraftsmaal)]


def test_second_load_creates_nothing(programme):
    before = table_sizes()
    result = programme_file_load(path=PROGRAMME_FILE)
    assert sum(result.created.values()) == 0
    assert table_sizes() == before


def test_reload_keeps_coordinator_edits(programme):
    tiltak = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).first()
    tiltak.tekst = "Endret av koordinator"
    tiltak.save()
    area = programme.omraader.get(nummer=1)
    removed = area.baerekraftsmaal.first()
    area.baerekraftsmaal.remove(removed)

    programme_file_load(path=PROGRAMME_FILE)

    tiltak.refresh_from_db()
    assert tiltak.tekst == "Endret av koordinator"
    assert removed not in area.baerekraftsmaal.all()


def test_reload_restores_a_deleted_row(programme):
    tiltak = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).last()
    code = tiltak.kode
    tiltak.delete()
    programme_file_load(path=PROGRAMME_FILE)
    assert code in {t.kode for t in Tiltak.objects.select_related("innsatsomraade__omraade")}
