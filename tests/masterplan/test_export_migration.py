"""The exports' move onto the abstract background job keeps every row, run forwards on a database with data."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("masterplan", "0003_programme_version"), ("opd", "0009_approved_index")]
AFTER = [("masterplan", "0004_export_background_job"), ("opd", "0010_export_background_job")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_exports_keep_their_rows_and_a_rendering_pdf_becomes_running():
    old = migrate(BEFORE)
    try:
        user = old.get_model("opd", "User").objects.create(username="admin.lama", role="kominfo_admin")
        Masterplan = old.get_model("masterplan", "Masterplan")
        plans = [
            Masterplan.objects.create(
                title=f"Masterplan {number}", start_year=2023, end_year=2032, short_term_end_year=2026, created_by=user
            )
            for number in range(2)
        ]
        OldPdf = old.get_model("masterplan", "MasterplanExport")
        rendering = OldPdf.objects.create(masterplan=plans[0], version=2, requested_by=user, status="rendering")
        done = OldPdf.objects.create(
            masterplan=plans[0], version=1, requested_by=user, status="done", file="masterplan/v1.pdf", sha256="ab" * 32
        )
        queued = OldPdf.objects.create(masterplan=plans[1], version=1, requested_by=user)
        queued_at = {row.pk: row.queued_at for row in (rendering, done, queued)}
        old_list = old.get_model("opd", "SubmissionExport").objects.create(
            requested_by=user, file_format="xlsx", status="done", file="exports/1/a.xlsx", size=1234, row_count=7
        )

        new = migrate(AFTER)

        Pdf = new.get_model("masterplan", "MasterplanExport")
        assert {row.pk: (row.status, row.created_at) for row in Pdf.objects.all()} == {
            rendering.pk: ("running", queued_at[rendering.pk]),
            done.pk: ("done", queued_at[done.pk]),
            queued.pk: ("queued", queued_at[queued.pk]),
        }
        assert Pdf.objects.get(pk=done.pk).file.name == "masterplan/v1.pdf"
        listed = new.get_model("opd", "SubmissionExport").objects.get()
        assert (listed.pk, listed.file.name, listed.size, listed.row_count, listed.sha256) == (
            old_list.pk,
            "exports/1/a.xlsx",
            1234,
            7,
            "",
        )
        # Still one unfinished export per masterplan, now counted with the new status.
        with pytest.raises(IntegrityError), transaction.atomic():
            Pdf.objects.create(masterplan_id=plans[0].pk, version=3, requested_by_id=user.pk)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to today's schema
