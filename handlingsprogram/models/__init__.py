from .aktoer import Aktoer, Enhet
from .api_token import ApiToken
from .entra_gruppe import EntraGruppe
from .kilde import WHOLE_ROW, HasKilder, Kilde
from .kommentar import HasKommentarer, Kommentar
from .program import Handlingsprogram, Innsatsomraade, PrioritertOmraade
from .programtekst import Programtekst
from .reference import Baerekraftsmaal, Finansieringsprogram, Maal, Styringsdokument
from .user import User

__all__ = [
    "Aktoer",
    "ApiToken",
    "Baerekraftsmaal",
    "Enhet",
    "EntraGruppe",
    "Finansieringsprogram",
    "Handlingsprogram",
    "HasKilder",
    "HasKommentarer",
    "Innsatsomraade",
    "Kilde",
    "Kommentar",
    "Maal",
    "PrioritertOmraade",
    "Programtekst",
    "Styringsdokument",
    "User",
    "WHOLE_ROW",
]
