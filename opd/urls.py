from django.urls import path

from .views import exports, files, history, review, submissions

app_name = "submissions"
urlpatterns = [
    path("", submissions.submission_list, name="list"),
    path("baru/", submissions.submission_create, name="create"),
    path("elemen/", submissions.element_options, name="element_options"),
    path("ekspor/", exports.export_list, name="exports"),
    path("ekspor/<int:export_pk>/", exports.export_status, name="export_status"),
    path("ekspor/<int:export_pk>/unduh/", exports.export_download, name="export_download"),
    path("ekspor/<int:export_pk>/ulang/", exports.export_retry, name="export_retry"),
    path("<int:pk>/", submissions.submission_detail, name="detail"),
    path("<int:pk>/ubah/", submissions.submission_edit, name="edit"),
    path("<int:pk>/kirim/", submissions.submission_submit, name="submit"),
    path("<int:pk>/tarik/", submissions.submission_withdraw, name="withdraw"),
    path("<int:pk>/hapus/", submissions.submission_delete_draft, name="delete_draft"),
    path("<int:pk>/riwayat/", history.submission_history, name="history"),
    path("<int:pk>/telaah/", review.submission_start_review, name="start_review"),
    path("<int:pk>/keputusan/<str:decision>/", review.submission_decide, name="decide"),
    path("<int:pk>/penelaah/", review.submission_assign, name="assign"),
    path("<int:pk>/komentar/", review.comment_create, name="comment"),
    path("<int:pk>/lampiran/", files.attachment_upload, name="attachment_upload"),
    path("<int:pk>/data-dukung/", files.evidence_upload, name="evidence_upload"),
    path("<int:pk>/lampiran/<int:attachment_pk>/", files.attachment_download, name="attachment_download"),
    path("<int:pk>/lampiran/<int:attachment_pk>/hapus/", files.attachment_delete, name="attachment_delete"),
]
