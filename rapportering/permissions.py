"""Who may do what with annual reports: anyone reads approved (and superseded) reports; only coordinators see
drafts, write, approve and reopen."""

from handlingsprogram.permissions import user_is_koordinator

from .models import Aarsrapport


def can_view(user, aarsrapport: Aarsrapport) -> bool:
    return aarsrapport.is_public or user_is_koordinator(user)


def can_edit(user) -> bool:
    return user_is_koordinator(user)
