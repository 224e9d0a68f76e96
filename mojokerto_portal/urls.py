from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

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
    path("i18n/", include("django.conf.urls.i18n")),
    path("pilar/", include("pillars.urls")),
    path("usulan/", include("opd.urls")),
    path("masterplan/", include("masterplan.urls")),
    path("admin/", admin.site.urls),
]

# The benchmark's floor page, routed only when the benchmark asks for it (never useful in production).
if settings.BENCHMARK_FLOOR_VIEW:
    urlpatterns.append(path("bench/floor/", views.benchmark_floor, name="benchmark_floor"))
