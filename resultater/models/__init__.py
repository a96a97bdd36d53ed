from .indikator import Indikator, Indikatorverdi
from .prosjekt import Prosjekt, ProsjektImport, Valuta, Valutakurs

__all__ = ["Indikator", "Indikatorverdi", "Prosjekt", "ProsjektImport", "Valuta", "Valutakurs"]
