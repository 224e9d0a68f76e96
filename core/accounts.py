"""One-time links with which a person sets their own password: for a new account, or after a reset by Kominfo.

Built on Django's password-reset token: the link carries the account's id and a signed token that stops
working once the password is set (the token covers the password hash), once the account is deactivated
(it covers `is_active`), or after PASSWORD_RESET_TIMEOUT. Nobody else ever knows the password.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class AccountLinkTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token, void as well once the account is deactivated."""

    key_salt = "core.accounts.AccountLinkTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{int(user.is_active)}"


account_link_tokens = AccountLinkTokenGenerator()


def password_setup_link(user) -> str:
    """Return the absolute one-time link with which the account's owner sets their password."""
    path = reverse(
        "password_setup",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": account_link_tokens.make_token(user)},
    )
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def link_lifetime_hours() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 3600


class PasswordSetupView(auth_views.PasswordResetConfirmView):
    """Set one's own password from a one-time link (Django's view: it moves the token out of the URL first)."""

    token_generator = account_link_tokens
    template_name = "registration/password_setup_form.html"
    success_url = reverse_lazy("password_setup_done")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # A deactivated account's link is void (the token covers is_active); say so rather than offer a form.
        return user if user is not None and user.is_active else None


class PasswordSetupDoneView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_setup_done.html"
