"""Who may do what with annual reports and the final evaluation: anyone reads approved (and superseded) reports;
only coordinators see annual report drafts, write, approve and reopen. A final evaluation's draft may also be
read by staff (case officers), whose measures it judges; only coordinators create, edit and approve it."""

from handlingsprogram.permissions import user_is_koordinator, user_may_see_drafts

from .models import Aarsrapport, Sluttevaluering


def can_view(user, aarsrapport: Aarsrapport) -> bool:
    return aarsrapport.is_public or user_is_koordinator(user)


def can_edit(user) -> bool:
    return user_is_koordinator(user)


def can_view_evaluation(user, sluttevaluering: Sluttevaluering) -> bool:
    return sluttevaluering.is_public or user_may_see_drafts(user)


def can_edit_evaluation(user) -> bool:
    return user_is_koordinator(user)
