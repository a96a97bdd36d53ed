from .oppfoelging import Oppfoelgingsforespoersel, Rapporteringsrunde
from .rullering import TiltakRullering
from .tiltak import Ansvar, Paaminnelse, Statusmelding, StatusmeldingVedlegg, Tiltak

__all__ = [
    "Ansvar",
    "Oppfoelgingsforespoersel",
    "Paaminnelse",
    "Rapporteringsrunde",
    "Statusmelding",
    "StatusmeldingVedlegg",
    "Tiltak",
    "TiltakRullering",
]
