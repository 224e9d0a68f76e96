"""The exports' book: every existing PDF becomes a version of the whole set, kept as it was, and back again."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("masterplan", "0007_drop_programme_budget_and_text_indicators")]
AFTER = [("masterplan", "0008_masterplan_export_book")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_exports_become_versions_of_the_whole_set_and_each_book_counts_its_own():
    old = migrate(BEFORE)
    try:
        user = old.get_model("opd", "User").objects.create(username="admin.lama", role="kominfo_admin")
        plan = old.get_model("masterplan", "Masterplan").objects.create(
            title="Masterplan", start_year=2023, end_year=2032, short_term_end_year=2026, created_by=user
        )
        OldPdf = old.get_model("masterplan", "MasterplanExport")
        done = OldPdf.objects.create(
            masterplan=plan, version=1, requested_by=user, status="done", file="masterplan/1.pdf"
        )
        running = OldPdf.objects.create(masterplan=plan, version=2, requested_by=user, status="running")

        new = migrate(AFTER)

        Pdf = new.get_model("masterplan", "MasterplanExport")
        assert {row.pk: (row.book, row.version, row.status) for row in Pdf.objects.all()} == {
            done.pk: ("set", 1, "done"),
            running.pk: ("set", 2, "running"),
        }
        assert Pdf.objects.get(pk=done.pk).file.name == "masterplan/1.pdf"
        # Buku I renders beside the running set and starts its own versions at 1; a second running set is refused.
        Pdf.objects.create(masterplan_id=plan.pk, book="analysis", version=1, requested_by_id=user.pk)
        with pytest.raises(IntegrityError), transaction.atomic():
            Pdf.objects.create(masterplan_id=plan.pk, book="set", version=3, requested_by_id=user.pk)
        Pdf.objects.filter(book="analysis").delete()

        migrate(BEFORE)  # and back: the rows stay
        assert OldPdf.objects.count() == 2
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to today's schema
