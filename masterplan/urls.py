from django.urls import path

from . import views

app_name = "masterplan"
urlpatterns = [
    path("", views.masterplan_list, name="list"),
    path("baru/", views.masterplan_create, name="create"),
    path("<int:pk>/", views.masterplan_detail, name="detail"),
    path("<int:pk>/ubah/", views.masterplan_edit, name="edit"),
    path("<int:pk>/final/", views.masterplan_finalize, name="finalize"),
    path("<int:pk>/salin/", views.masterplan_copy, name="copy"),
    path("<int:pk>/analisis/<slug:pillar_code>/", views.analysis_edit, name="analysis"),
    path("<int:pk>/susun/", views.assembly, name="assembly"),
    path("<int:pk>/program/baru/", views.programme_create, name="programme_create"),
    path("<int:pk>/program/<int:programme_pk>/ubah/", views.programme_edit, name="programme_edit"),
    path("<int:pk>/program/<int:programme_pk>/pindah/", views.programme_move, name="programme_move"),
    path("<int:pk>/program/<int:programme_pk>/hapus/", views.programme_delete, name="programme_delete"),
    path("<int:pk>/program.xlsx", views.programmes_xlsx, name="programmes_xlsx"),
    path("<int:pk>/pdf/", views.export_start, name="export_start"),
    path("<int:pk>/pdf/<int:export_pk>/", views.export_status, name="export_status"),
    path("<int:pk>/pdf/<int:export_pk>/unduh/", views.export_download, name="export_download"),
]
