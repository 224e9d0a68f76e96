"""Indexes for the list's search on PostgreSQL (full text and substring); nothing on other databases.

The expressions are the very ones opd.filters.search_filter generates, so the planner can use them:
without them a search over 100,000 submissions computes every row's text vector (seconds).
"""

from django.db import migrations

VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A') || "
    "to_tsvector('simple'::regconfig, COALESCE(current_condition, '') || ' ' || COALESCE(proposed_solution, '')))"
)
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS submission_search_vector_idx ON opd_submission USING gin ({VECTOR})",
    "CREATE INDEX IF NOT EXISTS submission_title_trgm_idx ON opd_submission USING gin ((upper(title::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS submission_condition_trgm_idx ON opd_submission "
    "USING gin ((upper(current_condition)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS submission_solution_trgm_idx ON opd_submission "
    "USING gin ((upper(proposed_solution)) gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS submission_search_vector_idx",
    "DROP INDEX IF EXISTS submission_title_trgm_idx",
    "DROP INDEX IF EXISTS submission_condition_trgm_idx",
    "DROP INDEX IF EXISTS submission_solution_trgm_idx",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("opd", "0005_list_and_dashboard_indexes")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
