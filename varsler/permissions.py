"""Who may do what with notifications: a user reads and marks only their own."""


def can_read(user, varsel) -> bool:
    return bool(user.is_authenticated and user.is_active and varsel.user_id == user.pk)
