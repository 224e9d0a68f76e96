"""The account pages every role uses: log in, log out, change or set the password, switch the language."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from .accounts import PasswordSetupDoneView, PasswordSetupView
from .forms import LoginForm

urlpatterns = [
    path(
        "akun/masuk/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # The one-time link of a new account or a password reset (core/accounts.py); no login needed.
    path("akun/sandi-baru/<uidb64>/<token>/", PasswordSetupView.as_view(), name="password_setup"),
    path("akun/sandi-baru/selesai/", PasswordSetupDoneView.as_view(), name="password_setup_done"),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
