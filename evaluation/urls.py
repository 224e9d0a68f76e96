from django.urls import path

from .views import figures, periods, reports

app_name = "evaluation"
urlpatterns = [
    path("", periods.period_list, name="periods"),
    path("laporan-saya/", periods.my_reports, name="my_reports"),
    path("verifikasi/", reports.verification_queue, name="queue"),
    path("periode/<int:period_pk>/", periods.period_detail, name="period_detail"),
    path("periode/<int:period_pk>/tutup/", periods.period_close, name="period_close"),
    path("periode/<int:period_pk>/buka-kembali/", periods.period_reopen, name="period_reopen"),
    path("periode/<int:period_pk>/program/<int:programme_pk>/", periods.report_start, name="report_start"),
    path("periode/<int:period_pk>/evaluasi/", figures.evaluation, name="evaluation"),
    path("periode/<int:period_pk>/evaluasi.xlsx", figures.evaluation_xlsx, name="evaluation_xlsx"),
    path("periode/<int:period_pk>/evaluasi/pdf/", figures.export_start, name="export_start"),
    path("periode/<int:period_pk>/evaluasi/pdf/<int:export_pk>/", figures.export_download, name="export_download"),
    path("program/<int:programme_pk>/", figures.programme_years, name="programme_years"),
    path("laporan/<int:report_pk>/", reports.report_detail, name="report_detail"),
    path("laporan/<int:report_pk>/ubah/", reports.report_edit, name="report_edit"),
    path("laporan/<int:report_pk>/kirim/", reports.report_submit, name="report_submit"),
    path("laporan/<int:report_pk>/putuskan/<str:decision>/", reports.report_decide, name="report_decide"),
    path("laporan/<int:report_pk>/komentar/", reports.report_comment, name="report_comment"),
    path("laporan/<int:report_pk>/bagian/", reports.report_contribute, name="report_contribute"),
    path("laporan/<int:report_pk>/bukti/", reports.evidence_upload, name="evidence_upload"),
    path("laporan/<int:report_pk>/bukti/<int:evidence_pk>/", reports.evidence_download, name="evidence_download"),
    path("laporan/<int:report_pk>/bukti/<int:evidence_pk>/hapus/", reports.evidence_delete, name="evidence_delete"),
]
