"""The Entra ID provider's settings, built from the environment by ``portal/settings.py``. Nothing here imports Django
or allauth: settings import it before either is set up."""

from urllib.parse import urlsplit

PROVIDER_ID = "entra"


def provider_settings(*, server_url: str, client_id: str, secret: str) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for one OpenID Connect app named ``entra``; no app when unconfigured."""
    apps = []
    if client_id:
        apps.append(
            {
                "provider_id": PROVIDER_ID,
                "name": "Microsoft Entra ID",
                "client_id": client_id,
                "secret": secret,
                "settings": {
                    # Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0
                    "server_url": server_url,
                    # Entra puts "groups" in the ID token by the app registration's group claim setting; other
                    # providers (and the test provider) release it for this scope. Entra ignores it.
                    "scope": ["openid", "profile", "email", "groups"],
                    "token_auth_method": "client_secret_post",
                },
            }
        )
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": apps}}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
