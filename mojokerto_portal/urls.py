"""Root URLs: each app's own URLs, under its Indonesian prefix."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dashboard.urls")),
    path("", include("core.urls")),
    path("pilar/", include("pillars.urls")),
    path("usulan/", include("opd.urls")),
    path("opd/", include("opd.account_urls")),
    path("masterplan/", include("masterplan.urls")),
    path("bimtek/", include("bimtek.urls")),
    path("spbe/", include("spbe.urls")),
    path("terbuka/", include("publication.urls")),
    path("monev/", include("evaluation.urls")),
    path("admin/", admin.site.urls),
]

# Every refusal (PermissionDenied) is written to the security log before the 403 page is shown.
handler403 = "core.security.permission_denied"
# Indonesian pages in the portal's look that need nothing from the request (it may be what broke).
handler400 = "core.errors.bad_request"
handler500 = "core.errors.server_error"
