from .oppfoelging import Oppfoelgingsforespoersel, Rapporteringsrunde
from .rullering import TiltakRullering
from .tiltak import Aarsstatus, Ansvar, Paaminnelse, Statusmelding, StatusmeldingVedlegg, Tiltak

__all__ = [
    "Aarsstatus",
    "Ansvar",
    "Oppfoelgingsforespoersel",
    "Paaminnelse",
    "Rapporteringsrunde",
    "Statusmelding",
    "StatusmeldingVedlegg",
    "Tiltak",
    "TiltakRullering",
]
