from django.urls import path

from .views import attendance, checkin, documents, participants, reports, stages

app_name = "bimtek"
urlpatterns = [
    path("", stages.index, name="index"),
    # Typed on a phone from the screen in the room: short, and open without an account.
    path("hadir/", checkin.checkin, name="checkin"),
    path("masterplan/<int:masterplan_pk>/", stages.stage_list, name="stage_list"),
    path("masterplan/<int:masterplan_pk>/tahap/baru/", stages.stage_create, name="stage_create"),
    path("masterplan/<int:masterplan_pk>/kesinambungan/", reports.continuity, name="continuity"),
    path("masterplan/<int:masterplan_pk>/kesinambungan.xlsx", reports.continuity_xlsx, name="continuity_xlsx"),
    path("masterplan/<int:masterplan_pk>/kesinambungan/pdf/", documents.continuity_recap_start, name="recap_start"),
    path("tahap/<int:stage_pk>/", stages.stage_detail, name="stage_detail"),
    path("tahap/<int:stage_pk>/ubah/", stages.stage_edit, name="stage_edit"),
    path("tahap/<int:stage_pk>/sesi/baru/", stages.session_create, name="session_create"),
    path("sesi/<int:session_pk>/", stages.session_detail, name="session_detail"),
    path("sesi/<int:session_pk>/ubah/", stages.session_edit, name="session_edit"),
    path("sesi/<int:session_pk>/kode-baru/", stages.session_new_code, name="session_new_code"),
    path("sesi/<int:session_pk>/presensi/", attendance.attendance, name="attendance"),
    path("sesi/<int:session_pk>/daftar-hadir/", documents.attendance_list_start, name="attendance_list_start"),
    path("dokumen/<int:document_pk>/", documents.document_status, name="document_status"),
    path("dokumen/<int:document_pk>/unduh/", documents.document_download, name="document_download"),
    path("peserta/", participants.participants, name="participants"),
    path("peserta/baru/", participants.participant_create, name="participant_create"),
    path("peserta/<int:participant_pk>/ubah/", participants.participant_edit, name="participant_edit"),
    path("peserta/<int:participant_pk>/ganti/", participants.participant_replace, name="participant_replace"),
    path("peserta/<int:participant_pk>/hapus/", participants.participant_remove, name="participant_remove"),
    path("peserta/semua-opd/", participants.participants_overview, name="participants_overview"),
    path("pergantian/", participants.replacements, name="replacements"),
]
