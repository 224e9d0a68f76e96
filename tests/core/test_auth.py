import pytest
from django.urls import reverse

DASHBOARDS = {
    "staff_dinkes": "dashboard-opd-staff",
    "staff_dlh": "dashboard-opd-staff",
    "kominfo_admin": "dashboard-kominfo-admin",
    "executive": "dashboard-executive",
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", DASHBOARDS)
def test_each_role_logs_in_and_lands_on_its_dashboard(client, request, password, pillars, who):
    user = request.getfixturevalue(who)
    response = client.post(reverse("login"), {"username": user.username, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    content = response.content.decode()
    assert f'data-testid="{DASHBOARDS[who]}"' in content
    for other in set(DASHBOARDS.values()) - {DASHBOARDS[who]}:
        assert other not in content


@pytest.mark.django_db
def test_opd_staff_dashboard_names_their_own_opd(client, staff_dlh, pillars):
    client.force_login(staff_dlh)
    assert "Dinas Lingkungan Hidup" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_wrong_password_shows_an_indonesian_message_and_no_session(client, staff_dinkes):
    response = client.post(reverse("login"), {"username": "staf.dinkes", "password": "salah"})
    assert response.status_code == 200
    assert "Masukkan nama pengguna dan kata sandi yang benar." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_dashboard_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client, executive):
    client.force_login(executive)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change(client, executive, password):
    client.force_login(executive)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Sandi-Baru-2026!", "new_password2": "Sandi-Baru-2026!"},
    )
    assert response.status_code == 302
    executive.refresh_from_db()
    assert executive.check_password("Sandi-Baru-2026!")


@pytest.mark.django_db
def test_password_change_errors_are_summarised_with_links(client, executive):
    client.force_login(executive)
    response = client.post(
        reverse("password_change"), {"old_password": "salah", "new_password1": "a", "new_password2": "b"}
    )
    content = response.content.decode()
    assert 'data-testid="error-summary"' in content
    assert 'href="#id_old_password"' in content


def add_opds_with_submissions(count: int, creator_opd=None) -> None:
    """Add OPDs, each with staff and a sent submission, so the dashboards have more rows to show."""
    from opd.models import Submission
    from pillars.models import Element
    from tests.factories import OpdFactory, UserFactory

    element = Element.objects.select_related("pillar").first()
    for number in range(count):
        opd = creator_opd or OpdFactory()
        staff = UserFactory(role="opd_staff", opd=opd)
        Submission.objects.create(
            opd=opd,
            created_by=staff,
            kind="kebutuhan",
            title=f"Usulan {number}",
            pillar=element.pillar,
            element=element,
            status="submitted",
            reference=f"SC-2026-{9000 + number}",
        )
        Submission.objects.create(opd=opd, created_by=staff, kind="inovasi", title=f"Draf {number}")


@pytest.mark.django_db
# Session and user (with the user's OPD), then the role's figures. Kominfo and the Bupati's office: the
# submissions counted in one grouping, the OPDs, the pillars, the OPD overview (two), the Bimtek continuity
# summary (one while no masterplan has stages), the current masterplan (one while there is none), then the
# account counts (Kominfo) or the pillars with their elements (the Bupati's office, one). OPD staff: their
# counts by status and kind (one grouping), the waiting list, Kominfo's comments and decisions, the reporting
# periods of its due programme reports (one while no period is open), and the pillars with their elements
# (one). The same again with more data.
@pytest.mark.parametrize(("who", "queries"), [("staff_dinkes", 8), ("kominfo_admin", 10), ("executive", 10)])
def test_dashboards_issue_a_fixed_number_of_queries(client, request, pillars, django_assert_num_queries, who, queries):
    user = request.getfixturevalue(who)
    client.force_login(user)
    with django_assert_num_queries(queries):
        client.get(reverse("home"))
    add_opds_with_submissions(15, creator_opd=user.opd)
    with django_assert_num_queries(queries):
        response = client.get(reverse("home"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_navigation_shows_the_accounts_link_only_to_kominfo(client, kominfo_admin, executive, pillars):
    admin_link = reverse("accounts:opd_list")
    client.force_login(kominfo_admin)
    assert admin_link in client.get(reverse("home")).content.decode()
    client.force_login(executive)
    assert admin_link not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_user_of_a_request_comes_with_their_opd_in_one_query(staff_dinkes, django_assert_num_queries):
    from opd.backends import AccountBackend

    with django_assert_num_queries(1):
        user = AccountBackend().get_user(staff_dinkes.pk)
        assert user.opd.short_name == staff_dinkes.opd.short_name
    staff_dinkes.is_active = False
    staff_dinkes.save()
    assert AccountBackend().get_user(staff_dinkes.pk) is None
    assert AccountBackend().get_user(10**9) is None
