"""Hostile values posted to every masterplan form: never a 500, no partial write, text escaped in pages and PDFs."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from masterplan import services
from masterplan.models import (
    Indicator,
    IndicatorTarget,
    Masterplan,
    MasterplanExport,
    PillarAnalysis,
    Programme,
    ProgrammeBudget,
)
from masterplan.pdf import render_masterplan_pdf
from opd.models import Opd
from pillars.models import Element
from tests.masterplan.factories import programme_parts_post
from tests.opd.submission_factories import (  # noqa: F401  (fast_password_hasher: autouse fixture)
    SubmissionFactory,
    approved,
    fast_password_hasher,
    sent,
)
from tests.strategies import (
    SCRIPT,
    assert_escaped,
    hostile_id,
    hostile_number,
    hostile_settings,
    hostile_text,
    hostile_year,
    rolled_back,
    with_payload,
)

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def masterplan_state(masterplan: Masterplan) -> tuple:
    row = Masterplan.objects.get(pk=masterplan.pk)
    return (
        tuple(getattr(row, name) for name in Masterplan.CONTENT_FIELDS),
        row.status,
        row.updated_at,
        Masterplan.objects.count(),
        tuple(Programme.objects.filter(masterplan=row).order_by("pk").values_list("pk", "title", "order", "version")),
        tuple(ProgrammeBudget.objects.filter(programme__masterplan=row).order_by("pk").values_list()),
        tuple(Indicator.objects.filter(programme__masterplan=row).order_by("pk").values_list()),
        tuple(IndicatorTarget.objects.filter(indicator__programme__masterplan=row).order_by("pk").values_list()),
        tuple(PillarAnalysis.objects.filter(masterplan=row).order_by("pk").values_list()),
        MasterplanExport.objects.count(),
    )


@pytest.fixture
def lead_opd(db) -> Opd:
    return Opd.objects.get_or_create(
        code="DISKOMINFO", defaults={"name": "Dinas Kominfo", "short_name": "Kominfo", "kind": "dinas"}
    )[0]


@pytest.fixture
def programme(masterplan, kominfo_admin, lead_opd):
    data = {
        "title": "Super App",
        "element": Element.objects.get(code="GOV-SVC"),
        "description": "Integrasi",
        "lead_opd": lead_opd,
        "start_year": 2024,
        "end_year": 2026,
    }
    budgets = {(2024, "apbd_kabupaten"): 1_000_000}
    first = services.programme_create(masterplan=masterplan, by=kominfo_admin, data=data, budgets=budgets)
    services.programme_create(masterplan=masterplan, by=kominfo_admin, data={**data, "title": "Kedua"})
    return first


def url(name: str, *args) -> str:
    return reverse(f"masterplan:{name}", args=args)


# --- The masterplan form ------------------------------------------------------------------------------------------


@st.composite
def masterplan_posts(draw):
    return {
        "title": draw(with_payload()),
        "start_year": draw(st.one_of(st.just("2023"), hostile_year)),
        "end_year": draw(st.one_of(st.just("2032"), hostile_year)),
        "short_term_end_year": draw(st.one_of(st.just("2027"), hostile_year)),
        "vision": draw(st.one_of(with_payload(), hostile_text)),
        "missions": draw(st.one_of(with_payload(), hostile_text)),
        "targets": draw(hostile_text),
        "regulation_basis": draw(hostile_text),
    }


def test_masterplan_create_and_edit_with_hostile_values(kominfo_admin, masterplan, programme):
    client = logged_in(kominfo_admin)
    outcomes = set()

    @hostile_settings
    @given(data=masterplan_posts(), edit=st.booleans())
    def attempt(data, edit):
        with rolled_back():
            before = masterplan_state(masterplan)
            path = url("edit", masterplan.pk) if edit else url("create")
            response = client.post(path, data)
            assert response.status_code in (200, 302)
            outcomes.add(response.status_code)
            if response.status_code == 200:
                assert masterplan_state(masterplan) == before
                assert_escaped(response.content)
                return
            saved = Masterplan.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
            assert 2020 <= saved.start_year <= saved.short_term_end_year < saved.end_year <= 2050
            page = client.get(saved.get_absolute_url())
            assert page.status_code == 200
            assert_escaped(page.content)

    attempt()
    assert outcomes == {200, 302}


# --- Strategic analysis ----------------------------------------------------------------------------------------------


def test_pillar_analysis_with_scores_out_of_range_and_hostile_text(kominfo_admin, masterplan):
    client = logged_in(kominfo_admin)
    score = st.one_of(st.sampled_from(["1", "5", ""]), hostile_number)

    @hostile_settings
    @given(
        scores=st.tuples(score, score, score),
        text=st.one_of(with_payload(), hostile_text),
        pillar_code=st.one_of(st.sampled_from(["gov", "GOV", "env"]), hostile_text.filter(lambda t: "/" not in t)),
    )
    def attempt(scores, text, pillar_code):
        with rolled_back():
            before = masterplan_state(masterplan)
            data = {"structure_score": scores[0], "infrastructure_score": scores[1], "superstructure_score": scores[2]}
            data |= {"strengths": text, "strategy": text}
            try:
                path = url("analysis", masterplan.pk, pillar_code)
            except Exception:  # not an address of the site at all (the slug converter refuses it)
                return
            response = client.post(path, data)
            assert response.status_code in (200, 302, 404)
            if response.status_code != 302:
                assert masterplan_state(masterplan) == before
                assert_escaped(response.content)
                return
            analysis = PillarAnalysis.objects.get(masterplan=masterplan, pillar__code=pillar_code.upper())
            for value in (analysis.structure_score, analysis.infrastructure_score, analysis.superstructure_score):
                assert value is None or 1 <= value <= 5
            assert_escaped(client.get(masterplan.get_absolute_url()).content)

    attempt()


# --- Programmes ----------------------------------------------------------------------------------------------------


@st.composite
def programme_posts(draw, foreign_ids):
    elements = list(Element.objects.values_list("pk", flat=True))
    opds = list(Opd.objects.values_list("pk", flat=True))
    data = {
        "title": draw(with_payload()),
        "element": draw(st.one_of(st.sampled_from([str(pk) for pk in elements]), hostile_id)),
        "description": draw(st.one_of(with_payload(), hostile_text)),
        "lead_opd": draw(st.one_of(st.sampled_from([str(pk) for pk in opds]), hostile_id)),
        "start_year": draw(st.one_of(st.sampled_from(["2024", "2023"]), hostile_year)),
        "end_year": draw(st.one_of(st.sampled_from(["2026", "2032"]), hostile_year)),
        "is_quick_win": draw(st.sampled_from(["", "on", "true", "yes", "\x00"])),
        "submissions": draw(st.lists(st.one_of(st.sampled_from(foreign_ids), hostile_id), max_size=3)),
        "supporting_opds": draw(st.lists(st.one_of(st.sampled_from([str(pk) for pk in opds]), hostile_id), max_size=3)),
    }
    year = st.one_of(st.sampled_from(["2024", "2025", "2031", "1999", "x", ""]), hostile_year)
    amount = st.one_of(
        st.sampled_from(["1.000.000", "0", "-5", "-1.000.000", "Rp 1.250.000.000", "1" + "0" * 16, ""]),
        hostile_number,
    )
    budgets = draw(
        st.lists(
            st.tuples(year, st.one_of(st.sampled_from(["apbd_kabupaten", "csr", "dana_desa"]), hostile_text), amount),
            max_size=3,
        )
    )
    indicator = {
        "name": draw(st.one_of(with_payload(), hostile_text)),
        "kind": draw(st.one_of(st.sampled_from(["output", "outcome"]), hostile_text)),
        "unit": draw(hostile_text),
        "baseline_value": draw(st.one_of(st.sampled_from(["0", "12,5", "1.250,75"]), hostile_number)),
        "note": draw(st.one_of(with_payload(), hostile_text)),
    }
    for target_year in draw(st.lists(st.sampled_from(["2024", "2025", "2031", "1999", "x"]), max_size=3)):
        indicator[f"target_{target_year}"] = draw(st.one_of(st.sampled_from(["10", "99,5", "-3"]), hostile_number))
    indicators = draw(st.sampled_from([[], [indicator]]))
    return data | programme_parts_post(indicators=indicators, budgets=budgets)


@pytest.fixture
def foreign_ids(staff_dinkes, staff_dlh, kominfo_admin, pillars):
    """Ids of submissions that can never feed a programme: a draft, a sent one, another OPD's sent one."""
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    waiting = sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))
    other = sent(SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh))
    return [str(draft.pk), str(waiting.pk), str(other.pk)]


def test_programme_create_and_edit_with_hostile_values(kominfo_admin, masterplan, programme, foreign_ids):
    client = logged_in(kominfo_admin)
    usable = approved(SubmissionFactory(), kominfo_admin)
    outcomes = set()

    @hostile_settings
    @given(data=programme_posts(foreign_ids + [str(usable.pk)]), edit=st.booleans())
    def attempt(data, edit):
        with rolled_back():
            before = masterplan_state(masterplan)
            path = url("programme_create", masterplan.pk)
            if edit:
                path = url("programme_edit", masterplan.pk, programme.pk)
            response = client.post(path, data)
            assert response.status_code in (200, 302)
            outcomes.add(response.status_code)
            if response.status_code == 200:
                assert masterplan_state(masterplan) == before
                assert_escaped(response.content)
                return
            saved = Programme.objects.get(pk=programme.pk) if edit else Programme.objects.latest("pk")
            assert masterplan.start_year <= saved.start_year <= saved.end_year <= masterplan.end_year
            assert set(saved.submissions.values_list("pk", flat=True)) <= {usable.pk}
            for budget in saved.budgets.all():
                assert 0 < budget.amount <= 10**15 and saved.start_year <= budget.year <= saved.end_year
            for indicator in saved.indicators.all():
                assert "\x00" not in indicator.name + indicator.note
                for target in indicator.targets.all():
                    assert saved.start_year <= target.year <= saved.end_year
            page = client.get(masterplan.get_absolute_url())
            assert page.status_code == 200
            assert_escaped(page.content)
            form = client.get(url("programme_edit", masterplan.pk, saved.pk))
            assert_escaped(form.content)

    attempt()
    assert outcomes == {200, 302}


def test_programme_move_with_bad_directions(kominfo_admin, masterplan, programme):
    client = logged_in(kominfo_admin)

    @hostile_settings
    @given(direction=st.one_of(st.sampled_from(["up", "down", "", "UP", "sideways", "-1", "1", "2"]), hostile_text))
    def attempt(direction):
        with rolled_back():
            before = masterplan_state(masterplan)
            response = client.post(url("programme_move", masterplan.pk, programme.pk), {"direction": direction})
            assert response.status_code == 302
            if direction not in ("up", "down"):
                assert masterplan_state(masterplan) == before

    attempt()


def test_export_start_and_pages_with_hostile_posts_and_ids(kominfo_admin, executive, masterplan, programme):
    clients = [logged_in(kominfo_admin), logged_in(executive)]

    @hostile_settings
    @given(
        who=st.sampled_from([0, 1]),
        junk=st.dictionaries(hostile_text.filter(lambda key: "\x00" not in key), hostile_text, max_size=3),
        htmx=st.booleans(),
        pk=st.integers(min_value=0, max_value=10**40),
    )
    def attempt(who, junk, htmx, pk):
        client = clients[who]
        with rolled_back():
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.post(url("export_start", masterplan.pk), junk, headers=headers)
            assert response.status_code == (200 if htmx else 302)
            assert MasterplanExport.objects.filter(masterplan=masterplan).count() == 1
        if pk in (masterplan.pk, programme.pk):
            return
        for path in (
            f"/masterplan/{pk}/",
            f"/masterplan/{pk}/program.xlsx",
            f"/masterplan/{pk}/pdf/{pk}/",
            f"/masterplan/{pk}/pdf/{pk}/unduh/",
            f"/masterplan/{masterplan.pk}/pdf/{pk}/",
        ):
            assert client.get(path).status_code == 404, path
        with rolled_back():
            assert client.post(f"/masterplan/{pk}/pdf/").status_code == 404

    attempt()


def test_assembly_filters_with_hostile_query_strings(kominfo_admin, masterplan):
    client = logged_in(kominfo_admin)

    @hostile_settings
    @given(
        query=st.dictionaries(
            st.sampled_from(["pillar", "opd", "kind", "submission"]), st.one_of(hostile_text, hostile_id), max_size=4
        )
    )
    def attempt(query):
        assert client.get(url("assembly", masterplan.pk), query).status_code == 200
        assert client.get(url("programme_create", masterplan.pk), query).status_code == 200

    attempt()


# --- The PDF ---------------------------------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_typed_markup_in_programmes_analysis_and_targets_is_printed_as_text_in_the_pdf(kominfo_admin, masterplan):
    client = logged_in(kominfo_admin)
    lead = Opd.objects.create(code="DLH", name="Dinas Lingkungan Hidup", short_name="DLH", kind="dinas")
    element = Element.objects.get(code="GOV-SVC")
    response = client.post(
        url("programme_create", masterplan.pk),
        {
            "title": f"Program {SCRIPT}",
            "element": element.pk,
            "description": "Deskripsi <b>x</b> tebal",
            "lead_opd": lead.pk,
            "start_year": "2024",
            "end_year": "2025",
            **programme_parts_post(
                indicators=[{"name": "Keluaran <i>miring</i>", "kind": "output", "note": "Target <u>garis</u>"}],
                budgets=[("2024", "apbd_kabupaten", "1.000.000")],
            ),
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("analysis", masterplan.pk, "gov"),
        {"structure_score": "3", "strategy": "Strategi <script>alert(2)</script>", "strengths": "<b>Kuat</b>"},
    )
    assert response.status_code == 302

    pdf, _pages = render_masterplan_pdf(Masterplan.objects.get(pk=masterplan.pk), version=1)

    text = pdf_text(pdf)
    for typed in (
        f"Program {SCRIPT}",
        "Deskripsi <b>x</b> tebal",
        "Keluaran <i>miring</i>",
        "Target <u>garis</u>",
        "Strategi <script>alert(2)</script>",
        "<b>Kuat</b>",
    ):
        assert typed in text, typed


def valid_programme_post(masterplan, **overrides) -> dict:
    lead = Opd.objects.get_or_create(code="DLH", defaults={"name": "Dinas LH", "short_name": "DLH", "kind": "dinas"})[0]
    return {
        "title": "Program uji",
        "element": Element.objects.get(code="GOV-SVC").pk,
        "lead_opd": lead.pk,
        "start_year": "2024",
        "end_year": "2026",
        **programme_parts_post(budgets=[("2024", "apbd_kabupaten", "1.000.000")]),
    } | overrides


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "sepuluh", "1e400", "NaN"])
def test_a_yearly_target_that_is_not_a_number_is_refused_with_a_message(kominfo_admin, masterplan, value):
    client = logged_in(kominfo_admin)
    before = masterplan_state(masterplan)
    parts = programme_parts_post(indicators=[{"name": "Aplikasi", "kind": "output", "target_2024": value}])
    response = client.post(url("programme_create", masterplan.pk), valid_programme_post(masterplan, **parts))
    assert response.status_code == 200
    assert response.context["indicators"].forms[0].errors["target_2024"]
    assert masterplan_state(masterplan) == before


def test_an_id_too_large_for_the_database_is_refused_with_a_message(kominfo_admin, masterplan):
    client = logged_in(kominfo_admin)
    before = masterplan_state(masterplan)
    for field in ("supporting_opds", "submissions"):
        response = client.post(
            url("programme_create", masterplan.pk), valid_programme_post(masterplan, **{field: [str(2**63)]})
        )
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert masterplan_state(masterplan) == before


@pytest.mark.parametrize("direction", ["", "sideways", "UP", "-1"])
def test_an_unknown_move_direction_moves_nothing_and_says_so(kominfo_admin, masterplan, programme, direction):
    from django.contrib.messages import get_messages

    client = logged_in(kominfo_admin)
    before = masterplan_state(masterplan)
    response = client.post(url("programme_move", masterplan.pk, programme.pk), {"direction": direction})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert masterplan_state(masterplan) == before


@pytest.mark.parametrize("value", [str(2**63), "9" * 30, "²", "١٢", "-1"])
def test_ids_in_query_strings_that_no_row_can_have_are_ignored(kominfo_admin, masterplan, value):
    client = logged_in(kominfo_admin)
    for key in ("pillar", "opd"):
        assert client.get(url("assembly", masterplan.pk), {key: value}).status_code == 200
    assert client.get(url("programme_create", masterplan.pk), {"submission": value}).status_code == 200
