"""Demo content for development and trying the portal: clearly separate from the programme data."""

import tomllib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Enhet, User

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.toml"


@transaction.atomic
def demo_users_create(*, path: Path = DEMO_FILE) -> list[str]:
    """Create the demo users that are missing; existing accounts are left as they are."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    created = []
    for row in data["users"]:
        if User.objects.filter(username=row["username"]).exists():
            continue
        enhet = Enhet.objects.get(aktoer__slug=row["aktoer"], slug=row["enhet"]) if row.get("enhet") else None
        user = User(
            username=row["username"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            email=row["email"],
            rolle=row["rolle"],
            enhet=enhet,
        )
        user.set_password(data["password"])
        user.full_clean()
        user.save()
        created.append(user.username)
    return created
