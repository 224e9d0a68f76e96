from django.urls import path

from .views import exports, masterplans, parts, programmes

app_name = "masterplan"
urlpatterns = [
    path("", masterplans.masterplan_list, name="list"),
    path("baru/", masterplans.masterplan_create, name="create"),
    path("<int:pk>/", masterplans.masterplan_detail, name="detail"),
    path("<int:pk>/ubah/", masterplans.masterplan_edit, name="edit"),
    path("<int:pk>/final/", masterplans.masterplan_finalize, name="finalize"),
    path("<int:pk>/salin/", masterplans.masterplan_copy, name="copy"),
    path("<int:pk>/analisis/<slug:pillar_code>/", masterplans.analysis_edit, name="analysis"),
    path("<int:pk>/pengantar/", parts.part_front_matter, name="part_front_matter"),
    path("<int:pk>/ringkasan/", parts.part_executive_summary, name="part_executive_summary"),
    path("<int:pk>/profil/", parts.part_profile, name="part_profile"),
    path("<int:pk>/rpjmd/", parts.part_rpjmd, name="part_rpjmd"),
    path("<int:pk>/tata-kelola/", parts.part_governance, name="part_governance"),
    path("<int:pk>/penetapan/", parts.part_adoption, name="part_adoption"),
    path("<int:pk>/lambang/", parts.part_emblem, name="part_emblem"),
    path("<int:pk>/susun/", programmes.assembly, name="assembly"),
    path("<int:pk>/program/baru/", programmes.programme_create, name="programme_create"),
    path("<int:pk>/program/<int:programme_pk>/ubah/", programmes.programme_edit, name="programme_edit"),
    path("<int:pk>/program/<int:programme_pk>/pindah/", programmes.programme_move, name="programme_move"),
    path("<int:pk>/program/<int:programme_pk>/hapus/", programmes.programme_delete, name="programme_delete"),
    path("<int:pk>/program.xlsx", exports.programmes_xlsx, name="programmes_xlsx"),
    path("<int:pk>/pdf/", exports.export_start, name="export_start"),
    path("<int:pk>/pdf/<int:export_pk>/", exports.export_status, name="export_status"),
    path("<int:pk>/pdf/<int:export_pk>/unduh/", exports.export_download, name="export_download"),
]
