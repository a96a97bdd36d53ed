"""Login with Microsoft Entra ID over OpenID Connect, through django-allauth's ``openid_connect`` provider.

The provider's settings come from the environment (``settings.SOCIALACCOUNT_PROVIDERS``). At every login the
user's group claims decide access, role and unit (``EntraGruppe``, kept in the admin): a user in no mapped group
is refused and nothing is stored. allauth validates the tokens (issuer, audience, PKCE); this module only maps."""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render

from . import selectors, services


def claims(extra_data: dict) -> dict:
    """The ID token's claims overlaid with the userinfo response's (allauth keeps both in ``extra_data``)."""
    return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}


def group_ids(extra_data: dict) -> list[str]:
    groups = claims(extra_data).get("groups") or []
    return [str(group).lower() for group in groups if isinstance(group, str)]


class EntraSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Refuses users without a mapped group, and sets role and unit from the groups at every login, so a change
    of groups in Entra ID takes effect the next time the user logs in."""

    def _access_or_refuse(self, request, sociallogin) -> selectors.EntraAccess:
        access = selectors.entra_access(group_ids(sociallogin.account.extra_data))
        if access is None:
            raise ImmediateHttpResponse(render(request, "konto/entra_no_access.html", status=403))
        return access

    def pre_social_login(self, request, sociallogin):
        access = self._access_or_refuse(request, sociallogin)
        if sociallogin.is_existing:
            services.user_entra_access_apply(user=sociallogin.user, access=access)

    def is_open_for_signup(self, request, sociallogin):
        return True  # pre_social_login has already refused anyone without a mapped group

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        services.user_entra_access_apply(user=user, access=self._access_or_refuse(request, sociallogin))
        # allauth's save_user does this too; stated here because the rule is ours (permissions.py): an account
        # made by Entra ID never has a password, so only Entra ID and its groups let it in.
        user.set_unusable_password()
        return user
