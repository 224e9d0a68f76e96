"""Root URLs: the dashboards, the accounts pages, and each app's own URLs under its Indonesian prefix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from core.forms import LoginForm
from dashboard.views import home

urlpatterns = [
    path("", home, name="home"),
    path(
        "akun/masuk/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("pilar/", include("pillars.urls")),
    path("usulan/", include("opd.urls")),
    path("masterplan/", include("masterplan.urls")),
    path("admin/", admin.site.urls),
]

# Every refusal (PermissionDenied) is written to the security log before the 403 page is shown.
handler403 = "core.security.permission_denied"
