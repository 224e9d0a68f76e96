import pytest
from django.urls import reverse

from pillars.models import Element


def test_pillar_list_requires_login(client, db):
    response = client.get(reverse("pillars:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_pillar_list_shows_every_pillar_and_element_in_a_fixed_number_of_queries(
    client, staff_dinkes, pillars, django_assert_num_queries
):
    client.force_login(staff_dinkes)
    # session, the user with their OPD (navigation), pillars, elements
    with django_assert_num_queries(4):
        response = client.get(reverse("pillars:list"))
    content = response.content.decode()
    assert response.status_code == 200
    for element in Element.objects.all():
        assert element.name_id in content


@pytest.mark.django_db
def test_pillar_detail_lists_its_three_elements(client, executive, pillars):
    client.force_login(executive)
    response = client.get(reverse("pillars:detail", args=["env"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Smart Environment" in content
    for name in ["Proteksi Lingkungan", "Tata Kelola Sampah dan Limbah", "Tata Kelola Energi yang Bertanggung Jawab"]:
        assert name in content
    assert "Pelayanan Publik" not in content


@pytest.mark.django_db
def test_unknown_pillar_answers_404(client, executive, pillars):
    client.force_login(executive)
    assert client.get(reverse("pillars:detail", args=["xyz"])).status_code == 404
