from .aktoer import Aktoer, Enhet
from .program import Handlingsprogram, Innsatsomraade, PrioritertOmraade
from .reference import Baerekraftsmaal, Finansieringsprogram, Maal, Styringsdokument
from .user import User

__all__ = [
    "Aktoer",
    "Baerekraftsmaal",
    "Enhet",
    "Finansieringsprogram",
    "Handlingsprogram",
    "Innsatsomraade",
    "Maal",
    "PrioritertOmraade",
    "Styringsdokument",
    "User",
]
