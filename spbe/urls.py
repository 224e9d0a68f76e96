from django.urls import path

from .views import catalogue, coverage, links

app_name = "spbe"
urlpatterns = [
    path("", links.index, name="index"),
    path("aplikasi/", catalogue.application_list, name="application_list"),
    path("aplikasi/baru/", catalogue.application_create, name="application_create"),
    path("aplikasi/impor/", catalogue.application_import, name="application_import"),
    path("aplikasi.<str:fmt>", catalogue.application_export, name="application_export"),
    path("aplikasi/<int:pk>/", catalogue.application_detail, name="application_detail"),
    path("aplikasi/<int:pk>/ubah/", catalogue.application_edit, name="application_edit"),
    path("aplikasi/<int:pk>/hapus/", catalogue.application_delete, name="application_delete"),
    path("data/", catalogue.dataset_list, name="dataset_list"),
    path("data/baru/", catalogue.dataset_create, name="dataset_create"),
    path("data/<int:pk>/", catalogue.dataset_detail, name="dataset_detail"),
    path("data/<int:pk>/ubah/", catalogue.dataset_edit, name="dataset_edit"),
    path("usulan/<int:pk>/", links.submission_links, name="submission_links"),
    path("masterplan/<int:masterplan_pk>/program/<int:pk>/", links.programme_links, name="programme_links"),
    path("masterplan/<int:pk>/", coverage.masterplan_chapter, name="masterplan_chapter"),
    path("cakupan/", coverage.coverage, name="coverage"),
]
