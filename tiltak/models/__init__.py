from .rullering import TiltakRullering
from .tiltak import Ansvar, Paaminnelse, Statusmelding, Tiltak

__all__ = ["Ansvar", "Paaminnelse", "Statusmelding", "Tiltak", "TiltakRullering"]
