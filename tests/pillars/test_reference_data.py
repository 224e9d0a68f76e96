import csv

import pytest
from django.utils import translation

from pillars.models import Element, Pillar
from pillars.reference import PILLARS_CSV, load_pillars

EXPECTED_PILLARS = ["GOV", "BRD", "ECO", "LIV", "SOC", "ENV"]


@pytest.mark.django_db
def test_data_migration_loads_six_pillars_in_order():
    assert list(Pillar.objects.values_list("code", flat=True)) == EXPECTED_PILLARS
    assert list(Pillar.objects.values_list("order", flat=True)) == [1, 2, 3, 4, 5, 6]


@pytest.mark.django_db
def test_data_migration_loads_eighteen_elements_three_per_pillar_each_in_its_pillar():
    assert Element.objects.count() == 18
    for pillar in Pillar.objects.prefetch_related("elements"):
        elements = list(pillar.elements.all())
        assert [element.order for element in elements] == [1, 2, 3]
        assert all(element.code.startswith(f"{pillar.code}-") for element in elements)


@pytest.mark.django_db
def test_every_pillar_and_element_has_both_names_and_descriptions():
    for item in [*Pillar.objects.all(), *Element.objects.all()]:
        assert item.name_id and item.name_en and item.description_id and item.description_en, item.code


@pytest.mark.django_db
def test_elements_match_the_bundled_csv():
    with PILLARS_CSV.open(encoding="utf-8") as handle:
        rows = {row["element_code"]: row for row in csv.DictReader(handle)}
    loaded = {element.code: element for element in Element.objects.select_related("pillar")}
    assert set(loaded) == set(rows)
    for code, row in rows.items():
        assert loaded[code].pillar.code == row["pillar_code"]
        assert loaded[code].name_id == row["element_name_id"]
        assert loaded[code].name_en == row["element_name_en"]


@pytest.mark.django_db
def test_loading_the_reference_data_again_changes_nothing():
    before = list(Element.objects.order_by("code").values())
    load_pillars(Pillar, Element)
    assert Pillar.objects.count() == 6
    assert list(Element.objects.order_by("code").values()) == before


@pytest.mark.django_db
def test_names_follow_the_active_language():
    element = Element.objects.get(code="GOV-SVC")
    with translation.override("id"):
        assert element.name == "Pelayanan Publik"
    with translation.override("en"):
        assert element.name == "Public Service"
