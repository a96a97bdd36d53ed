"""Who may do what with notifications: a user reads and marks only their own, sets only their own preferences;
staff (case officers and coordinators) follow networks and areas."""


def can_read(user, varsel) -> bool:
    return bool(user.is_authenticated and user.is_active and varsel.user_id == user.pk)


def can_set_innstillinger(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_follow(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.rolle in (user.Rolle.SAKSBEHANDLER, user.Rolle.KOORDINATOR)
    )


def can_manage_foelging(user, foelging) -> bool:
    return bool(user.is_authenticated and user.is_active and foelging.user_id == user.pk)
