"""Kominfo's pages for OPDs and accounts (under /opd/)."""

from django.urls import path

from .views import accounts

app_name = "accounts"
urlpatterns = [
    path("", accounts.opd_list, name="opd_list"),
    path("impor/", accounts.opd_import, name="opd_import"),
    path("<int:opd_pk>/", accounts.opd_detail, name="opd_detail"),
    path("akun/<int:account_pk>/", accounts.account_detail, name="account_detail"),
    path("akun/<int:account_pk>/nonaktifkan/", accounts.account_deactivate, name="account_deactivate"),
    path("akun/<int:account_pk>/aktifkan/", accounts.account_activate, name="account_activate"),
    path("akun/<int:account_pk>/buka-kunci/", accounts.account_unlock, name="account_unlock"),
    path("akun/<int:account_pk>/atur-ulang-sandi/", accounts.account_reset_password, name="account_reset_password"),
]
