from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from opd.forms import LoginForm

from . import views

urlpatterns = [
    path("", views.home, name="home"),
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
handler403 = "mojokerto_portal.security.permission_denied"

# The benchmark's floor page, routed only when the benchmark asks for it (never useful in production).
if settings.BENCHMARK_FLOOR_VIEW:
    urlpatterns.append(path("bench/floor/", views.benchmark_floor, name="benchmark_floor"))
