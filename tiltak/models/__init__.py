from .prosjekt import Prosjekt, ProsjektImport, Valutakurs
from .resultater import Indikator, Indikatorverdi
from .tiltak import Ansvar, Paaminnelse, Statusmelding, Tiltak

__all__ = [
    "Ansvar",
    "Indikator",
    "Indikatorverdi",
    "Paaminnelse",
    "Prosjekt",
    "ProsjektImport",
    "Statusmelding",
    "Tiltak",
    "Valutakurs",
]
