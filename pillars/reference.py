"""The bundled reference data of the six pillars and their eighteen elements."""

import csv
from pathlib import Path

PILLARS_CSV = Path(__file__).resolve().parent / "data" / "pillars.csv"


def read_pillar_rows(path: Path = PILLARS_CSV) -> list[dict[str, str]]:
    """Return the rows of the pillars CSV, one per element."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_pillars(pillar_model, element_model, path: Path = PILLARS_CSV) -> None:
    """Create or update every pillar and element of the CSV; safe to run again."""
    pillars = {}
    for row in read_pillar_rows(path):
        code = row["pillar_code"]
        if code not in pillars:
            pillars[code], _ = pillar_model.objects.update_or_create(
                code=code,
                defaults={
                    "order": int(row["pillar_order"]),
                    "name_id": row["pillar_name_id"],
                    "name_en": row["pillar_name_en"],
                    "description_id": row["pillar_description_id"],
                    "description_en": row["pillar_description_en"],
                },
            )
        element_model.objects.update_or_create(
            code=row["element_code"],
            defaults={
                "pillar": pillars[code],
                "order": int(row["element_order"]),
                "name_id": row["element_name_id"],
                "name_en": row["element_name_en"],
                "description_id": row["element_description_id"],
                "description_en": row["element_description_en"],
            },
        )
