"""The old free-text "related system" of a submission moves into its SPBE notes, and back; nothing is lost."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("spbe", "0002_trigram_extension"), ("opd", "0010_export_background_job")]
AFTER = [("opd", "0012_remove_submission_related_system")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_related_system_moves_into_notes_and_back():
    old = migrate(BEFORE)
    try:
        Opd = old.get_model("opd", "Opd")
        User = old.get_model("opd", "User")
        Submission = old.get_model("opd", "Submission")
        opd = Opd.objects.create(code="DINKES", name="Dinas Kesehatan", short_name="Dinkes", kind="dinas")
        user = User.objects.create(username="staf.lama", role="opd_staff", opd=opd)
        with_text = Submission.objects.create(
            opd=opd, created_by=user, kind="kebutuhan", title="A", related_system="SIMPUS v2\nterhubung ke P-Care"
        )
        without = Submission.objects.create(opd=opd, created_by=user, kind="kebutuhan", title="B", related_system="")

        new = migrate(AFTER)
        Notes = new.get_model("spbe", "SubmissionNotes")
        assert dict(Notes.objects.values_list("submission_id", "notes")) == {
            with_text.pk: "SIMPUS v2\nterhubung ke P-Care"
        }
        assert "related_system" not in {field.name for field in new.get_model("opd", "Submission")._meta.fields}

        back = migrate(BEFORE)
        restored = dict(back.get_model("opd", "Submission").objects.values_list("pk", "related_system"))
        assert restored == {with_text.pk: "SIMPUS v2\nterhubung ke P-Care", without.pk: ""}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
