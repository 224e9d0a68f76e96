"""The benchmark's data generator (`python -m bench.generate`)."""

import pytest

from bench.data import (
    EXECUTIVE_ACCOUNTS,
    KOMINFO_ACCOUNTS,
    SIZES,
    STAFF_PER_OPD,
    Size,
    first_staff_username,
    generate,
)
from bench.generate import main as generate_main
from core.roles import Role
from masterplan.models import Masterplan, Programme
from opd.models import Opd, ReferenceCounter, Submission, SubmissionEvent, User


@pytest.mark.django_db
def test_generator_refuses_without_confirmation(settings):
    settings.DEBUG = True
    with pytest.raises(SystemExit, match="--yes"):
        generate_main(["--size", "S"])
    with pytest.raises(SystemExit, match="whole numbers"):
        generate_main(["--size", "S", "--yes", "--pdf-masterplans", "ten"])
    assert not Opd.objects.exists()


@pytest.mark.django_db
def test_generator_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(SystemExit, match="DEBUG"):
        generate_main(["--size", "S", "--yes"])


@pytest.mark.django_db
def test_generated_data_is_deterministic_and_keeps_the_reference_counters_valid(pillars):
    size = Size("T", 300, 20)
    generate(size=size, password="x-bench-password", pdf_programmes=(5,), log=lambda text: None)
    first = list(Submission.objects.order_by("pk").values_list("reference", "title", "status"))
    generate(size=size, password="x-bench-password", pdf_programmes=(5,), log=lambda text: None)
    assert list(Submission.objects.order_by("pk").values_list("reference", "title", "status")) == first
    assert Submission.objects.count() == 300
    assert Opd.objects.count() == 50
    assert User.objects.filter(username__in=["admin.kominfo", "pimpinan", "staf.dinkes"]).count() == 3
    # Enough accounts that the simulated users spread over every OPD, several people per OPD.
    staff = User.objects.filter(role=Role.OPD_STAFF)
    assert staff.count() == 50 * STAFF_PER_OPD
    assert set(staff.values_list("opd", flat=True)) == set(Opd.objects.values_list("pk", flat=True))
    assert User.objects.filter(username="staf.dinkes.4", opd__code="DINKES").exists()
    assert User.objects.filter(role=Role.KOMINFO_ADMIN).count() == KOMINFO_ACCOUNTS
    assert User.objects.filter(role=Role.EXECUTIVE).count() == EXECUTIVE_ACCOUNTS
    assert all(user.check_password("x-bench-password") for user in User.objects.filter(username__endswith=".2")[:3])
    # The submissions are written by the first staff account of each OPD.
    assert set(Submission.objects.values_list("created_by__username", flat=True)) <= {
        first_staff_username(opd) for opd in Opd.objects.all()
    }
    assert Masterplan.objects.count() == 2
    assert Programme.objects.count() == 25
    assert SubmissionEvent.objects.count() >= 300
    # The next reference of each year continues after the generated ones.
    for counter in ReferenceCounter.objects.all():
        used = Submission.objects.filter(reference__startswith=f"SC-{counter.year}-").count()
        assert counter.last_number == used
    assert not Submission.objects.filter(status="draft", reference__isnull=False).exists()
    assert SIZES["L"].submissions == 100_000
