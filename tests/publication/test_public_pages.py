"""The published masterplan: only final published data is public, a crawl finds no private string,
unpublishing removes it at once, the pages are light and cached, and the data package validates."""

import csv
import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from masterplan import services as masterplan_services
from masterplan.models import MasterplanExport
from masterplan.pdf import render_masterplan_pdf
from opd.models import Comment
from publication import services
from publication.models import Publication
from tests.factories import UserFactory
from tests.masterplan.factories import MasterplanFactory, ProgrammeFactory, fill_required_parts
from tests.opd.submission_factories import SubmissionFactory, approved, fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db

PRIVATE = {
    "draft_title": "Rencana Rahasia Draf Masterplan",
    "draft_programme": "Program Draf Belum Final",
    "submission_text": "Kondisi internal yang belum boleh dibuka",
    "draft_submission": "Usulan Draf Yang Belum Dikirim",
    "comment": "Catatan internal Kominfo tentang anggaran",
    "person_first": "Wiryawan",
    "person_last": "Sastrodiharjo",
    "email": "wiryawan.rahasia@example.invalid",
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.scripts = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])


@pytest.fixture
def published(kominfo_admin, staff_dinkes, pillars, settings, tmp_path):
    """A final, published masterplan beside a draft one, with private things planted around them."""
    settings.MEDIA_ROOT = tmp_path
    person = UserFactory(
        username="wiryawan", role="kominfo_admin", first_name=PRIVATE["person_first"],
        last_name=PRIVATE["person_last"], email=PRIVATE["email"],
    )  # fmt: skip
    source = SubmissionFactory(
        opd=staff_dinkes.opd, created_by=staff_dinkes, title="Aplikasi antrean puskesmas",
        current_condition=PRIVATE["submission_text"],
    )  # fmt: skip
    approved(source, person)
    Comment.objects.create(submission=source, author=person, visibility="internal", body=PRIVATE["comment"])
    SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, title=PRIVATE["draft_submission"])
    final = MasterplanFactory(created_by=person, title="Masterplan Smart City Terbit")
    programme = ProgrammeFactory(masterplan=final, lead_opd=staff_dinkes.opd, title="Antrean Puskesmas Daring")
    programme.submissions.add(source)
    ProgrammeFactory(masterplan=final, lead_opd=staff_dinkes.opd, title="=Program dengan tanda sama dengan")
    draft = MasterplanFactory(created_by=person, title=PRIVATE["draft_title"])
    ProgrammeFactory(masterplan=draft, lead_opd=staff_dinkes.opd, title=PRIVATE["draft_programme"])
    fill_required_parts(final)
    masterplan_services.masterplan_finalize(masterplan=final, by=person)
    final.refresh_from_db()
    return services.publication_publish(masterplan=final, by=kominfo_admin)


def with_pdf(publication, *, render: bool = False):
    """Give the published masterplan a final PDF (the real rendering, or a stand-in) and publish it again."""
    masterplan = publication.masterplan
    pdf = render_masterplan_pdf(masterplan, version=1)[0] if render else b"%PDF-1.4 stand-in"
    export = MasterplanExport.objects.create(
        masterplan=masterplan, version=1, requested_by=publication.published_by, status="done"
    )
    export.file.save("masterplan/terbit.pdf", ContentFile(pdf))
    return services.publication_publish(masterplan=masterplan, by=publication.published_by)


def crawl(client: Client, start: str) -> dict[str, bytes]:
    """Fetch every page and file reachable from `start` under the public prefix, as an anonymous visitor."""
    prefix = reverse("publication:list")
    seen, queue = {}, [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[url] = body
        if response["Content-Type"].startswith("text/html"):
            parser = Links()
            parser.feed(body.decode())
            assert parser.scripts == 0, f"{url} carries scripts"
            for link in parser.links:
                path = urlparse(urljoin(url, link)).path
                if path.startswith(prefix) and path not in seen:
                    queue.append(path)
        if url.endswith(".json") or url.endswith(".jsonld"):
            for found in re.findall(r'"(https?://[^"]+)"', body.decode()):
                path = urlparse(found).path
                if path.startswith(prefix) and path not in seen:
                    queue.append(path)
    return seen


def text_of(url: str, body: bytes) -> str:
    if url.endswith(".pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8")


def test_an_anonymous_crawl_finds_the_published_masterplan_and_no_private_string(client, published):
    with_pdf(published, render=True)
    files = crawl(client, reverse("publication:list"))
    texts = {url: text_of(url, body) for url, body in files.items()}
    assert any(url.endswith("masterplan.pdf") for url in texts)
    assert any(url.endswith("datapackage.json") for url in texts)
    everything = "\n".join(texts.values())
    assert "Antrean Puskesmas Daring" in everything  # the crawl did reach the published content
    for name, secret in PRIVATE.items():
        for url, text in texts.items():
            assert secret not in text, f"{name} leaked in {url}"


def test_only_a_final_masterplan_can_be_published(kominfo_admin, pillars):
    draft = MasterplanFactory(created_by=kominfo_admin)
    with pytest.raises(ValidationError):
        services.publication_publish(masterplan=draft, by=kominfo_admin)
    assert not Publication.objects.exists()


def test_unpublishing_removes_every_public_page_at_once(client, published, kominfo_admin):
    with_pdf(published)
    slug = published.slug
    names = ("detail", "programmes_csv", "programmes_json", "datapackage", "dcat_one", "pdf")
    urls = [reverse(f"publication:{name}", args=[slug]) for name in names]
    etag = client.get(urls[0])["ETag"]
    services.publication_unpublish(masterplan=published.masterplan, by=kominfo_admin)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404, url
    assert "Masterplan Smart City Terbit" not in client.get(reverse("publication:list")).content.decode()
    assert json.loads(client.get(reverse("publication:dcat")).content)["dcat:dataset"] == []


def test_the_public_page_is_cached_with_validators(client, published):
    url = reverse("publication:detail", args=[published.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_public_csv_neutralises_formula_cells(client, published):
    body = client.get(reverse("publication:programmes_csv", args=[published.slug])).content.decode()
    assert "'=Program dengan tanda sama dengan" in body


def test_the_data_package_validates_with_frictionless(client, published, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    for name in ("datapackage", "programmes_csv", "programmes_json", "realisation_csv"):
        url = reverse(f"publication:{name}", args=[published.slug])
        (tmp_path / url.rsplit("/", 1)[1]).write_bytes(client.get(url).content)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert [resource["path"] for resource in package["resources"]] == ["program.csv", "program.json", "realisasi.csv"]
    assert report.stats["tasks"] == 3


def test_the_dcat_metadata_names_every_download(client, published):
    with_pdf(published)
    catalog = json.loads(client.get(reverse("publication:dcat")).content)
    assert catalog["@type"] == "dcat:Catalog"
    (dataset,) = catalog["dcat:dataset"]
    formats = sorted(distribution["dct:format"] for distribution in dataset["dcat:distribution"])
    assert formats == ["CSV", "CSV", "JSON", "JSON", "PDF"]


def test_staff_cannot_publish(client, staff_dinkes, published):
    client.force_login(staff_dinkes)
    response = client.post(reverse("publication:unpublish", args=[published.masterplan_id]))
    assert response.status_code == 403
    assert Publication.objects.exists()


def test_the_open_data_carries_the_verified_realisation_only(client, published, staff_dinkes, kominfo_admin, tmp_path):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from evaluation.services.periods import period_open
    from evaluation.services.reports import report_approve, report_start, report_submit
    from masterplan.models import Programme
    from tests.evaluation.conftest import fill

    masterplan = published.masterplan
    verified = masterplan.programmes.get(title="Antrean Puskesmas Daring")
    pending = masterplan.programmes.exclude(pk=verified.pk).get()
    Programme.objects.filter(pk=verified.pk).update(code="LIV-01")
    Programme.objects.filter(pk=pending.pk).update(code="LIV-02")
    deadline = timezone.localdate() + timedelta(days=30)
    period = period_open(masterplan=masterplan, year=2024, deadline=deadline, by=kominfo_admin)
    reports = [report_start(period=period, programme=programme, by=staff_dinkes) for programme in (verified, pending)]
    for report, value in zip(reports, (Decimal("33.5"), Decimal("77.25")), strict=True):
        fill(report, staff_dinkes, realised=value, spent=500)
        report_submit(report=report, by=staff_dinkes)
    url = reverse("publication:realisation_csv", args=[published.slug])
    before = client.get(url)
    assert before.content.decode().strip().count("\n") == 0  # the header only: nothing verified yet

    report_approve(report=reports[0], by=kominfo_admin)

    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]  # a verification changes the open data
    rows = list(csv.DictReader(io.StringIO(after.content.decode())))
    assert [(row["kode_program"], row["tahun"], row["realisasi"]) for row in rows] == [("LIV-01", "2024", "33.5")]
    assert rows[0]["satuan"] == "%" and rows[0]["capaian_persen"]
    assert "77.25" not in after.content.decode()
