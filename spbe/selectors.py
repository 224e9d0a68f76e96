"""Reads of the inventory, the catalogue, their links and the coverage views, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from masterplan.models import Masterplan, Programme
from pillars.models import Pillar

from .access import applications_visible_to, datasets_visible_to
from .models import (
    Application,
    ApplicationDomain,
    ArchitectureDomain,
    Dataset,
    DatasetRole,
    ProgrammeApplication,
    ProgrammeDataset,
    ProgrammeDomain,
    SubmissionApplication,
    SubmissionDataset,
    SubmissionNotes,
)

DOMAINS_PREFETCH = Prefetch("domains", queryset=ApplicationDomain.objects.order_by("domain"))


def application_list(user, *, opd_id: int | None = None):
    """Return the applications the user may see (of one OPD if asked), with their OPD and SPBE domains."""
    queryset = applications_visible_to(user).select_related("opd").prefetch_related(DOMAINS_PREFETCH)
    return queryset.filter(opd_id=opd_id) if opd_id else queryset


def dataset_list(user, *, opd_id: int | None = None):
    """Return the datasets the user may see (of one producer if asked), with their producer and applications."""
    queryset = datasets_visible_to(user).select_related("producer").prefetch_related("applications")
    return queryset.filter(producer_id=opd_id) if opd_id else queryset


def application_relations(application: Application) -> dict:
    """Return what an application's page shows around it: integrations both ways, datasets, programmes."""
    return {
        "integrations": list(application.integrations.select_related("opd")),
        "integrated_by": list(application.integrated_by.select_related("opd")),
        "datasets": list(application.datasets.select_related("producer")),
        "programmes": list(
            ProgrammeApplication.objects.filter(application=application).select_related("programme__masterplan")
        ),
    }


@dataclass
class SubmissionLinks:
    applications: list
    datasets: list
    notes: str

    @property
    def new_applications(self) -> list:
        return [link for link in self.applications if link.is_new]

    @property
    def warnings(self) -> list:
        return [link for link in self.applications if link.is_new and link.similar]


def submission_links(submission) -> SubmissionLinks:
    """Return the applications and datasets a submission links to, and its notes on related systems."""
    notes = SubmissionNotes.objects.filter(submission_id=submission.pk).values_list("notes", flat=True).first()
    return SubmissionLinks(
        applications=list(
            SubmissionApplication.objects.filter(submission_id=submission.pk).select_related("application__opd")
        ),
        datasets=list(
            SubmissionDataset.objects.filter(submission_id=submission.pk).select_related("dataset__producer")
        ),
        notes=notes or "",
    )


@dataclass
class ProgrammeLinks:
    programme: Programme
    applications: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    produces: list = field(default_factory=list)
    set_domains: set = field(default_factory=set)
    application_domains: set = field(default_factory=set)

    @property
    def domains(self) -> list[str]:
        """The SPBE domains the programme strengthens: those its applications bring and those set, in order."""
        chosen = self.set_domains | self.application_domains
        return [value for value in ArchitectureDomain.values if value in chosen]

    @property
    def domain_labels(self) -> list[str]:
        labels = dict(ArchitectureDomain.choices)
        return [str(labels[value]) for value in self.domains]


def links_of_programmes(programmes) -> dict[int, ProgrammeLinks]:
    """Return each programme's links by its id, in four queries whatever the number of programmes."""
    by_id = {programme.pk: ProgrammeLinks(programme=programme) for programme in programmes}
    application_links = (
        ProgrammeApplication.objects.filter(programme_id__in=by_id)
        .select_related("application__opd")
        .prefetch_related(Prefetch("application__domains", queryset=ApplicationDomain.objects.all()))
    )
    for link in application_links:
        links = by_id[link.programme_id]
        links.applications.append(link)
        links.application_domains.update(domain.domain for domain in link.application.domains.all())
    for link in ProgrammeDataset.objects.filter(programme_id__in=by_id).select_related("dataset__producer"):
        (
            by_id[link.programme_id].needs if link.role == DatasetRole.NEEDS else by_id[link.programme_id].produces
        ).append(link)
    for programme_id, domain in ProgrammeDomain.objects.filter(programme_id__in=by_id).values_list(
        "programme_id", "domain"
    ):
        by_id[programme_id].set_domains.add(domain)
    return by_id


def programme_links(programme: Programme) -> ProgrammeLinks:
    """Return one programme's applications, datasets and SPBE domains."""
    return links_of_programmes([programme])[programme.pk]


def programme_suggestions(programme: Programme) -> list:
    """Return the applications the programme's source submissions link to and the programme does not yet."""
    linked = ProgrammeApplication.objects.filter(programme=programme).values("application_id")
    return list(
        Application.objects.filter(submission_links__submission__programmes=programme)
        .exclude(pk__in=linked)
        .select_related("opd")
        .distinct()
    )


def current_masterplan(pk=None) -> Masterplan | None:
    """Return the masterplan asked for, else the newest final one, else the newest draft."""
    masterplans = Masterplan.objects.all()
    if pk:
        found = masterplans.filter(pk=pk).first()
        if found:
            return found
    return masterplans.filter(status=Masterplan.Status.FINAL).order_by("-finalized_at").first() or masterplans.first()


@dataclass
class PillarCoverage:
    pillar: Pillar
    programmes: int = 0
    applications: set = field(default_factory=set)
    datasets: set = field(default_factory=set)
    domains: dict = field(default_factory=dict)  # domain -> number of programmes strengthening it

    @property
    def domain_counts(self) -> list[int]:
        """The number of the pillar's programmes strengthening each SPBE domain, in the domains' order."""
        return [self.domains.get(value, 0) for value in ArchitectureDomain.values]


@dataclass
class Coverage:
    masterplan: Masterplan | None
    rows: list = field(default_factory=list)  # ProgrammeLinks in roadmap order
    pillars: list = field(default_factory=list)  # PillarCoverage
    domains: list = field(default_factory=list)  # (value, label, applications, datasets, programmes)
    uncovered_applications: list = field(default_factory=list)
    uncovered_datasets: list = field(default_factory=list)
    missing_datasets: list = field(default_factory=list)
    programmes_without_domain: list = field(default_factory=list)

    @property
    def matrix_by_domain(self) -> list[tuple[str, list[int]]]:
        """The coverage matrix turned round: each SPBE domain with its number of programmes per pillar."""
        return [
            (str(label), [pillar.domains.get(value, 0) for pillar in self.pillars])
            for value, label in ArchitectureDomain.choices
        ]


def coverage(masterplan: Masterplan | None) -> Coverage:
    """Return what the masterplan's programmes cover of the SPBE inventory and the data catalogue, and the gaps.

    Per pillar and per SPBE domain: applications, datasets and programmes; the applications (not retired) and
    datasets no programme covers; the datasets programmes need that are not yet available. Ten queries.
    """
    result = Coverage(masterplan=masterplan)
    pillars = {pillar.pk: PillarCoverage(pillar=pillar) for pillar in Pillar.objects.all()}
    result.pillars = list(pillars.values())
    programmes = (
        list(Programme.objects.filter(masterplan=masterplan).select_related("element__pillar")) if masterplan else []
    )
    links = links_of_programmes(programmes)
    result.rows = [links[programme.pk] for programme in programmes]
    domain_programmes = dict.fromkeys(ArchitectureDomain.values, 0)
    covered_applications, covered_datasets = set(), set()
    for row in result.rows:
        pillar = pillars[row.programme.element.pillar_id]
        pillar.programmes += 1
        pillar.applications.update(link.application_id for link in row.applications)
        pillar.datasets.update(link.dataset_id for link in [*row.needs, *row.produces])
        covered_applications.update(link.application_id for link in row.applications)
        covered_datasets.update(link.dataset_id for link in [*row.needs, *row.produces])
        for domain in row.domains:
            pillar.domains[domain] = pillar.domains.get(domain, 0) + 1
            domain_programmes[domain] += 1
        if not row.domains:
            result.programmes_without_domain.append(row.programme)
        for link in row.needs:
            if link.dataset.status == Dataset.Status.PLANNED and link.dataset not in result.missing_datasets:
                result.missing_datasets.append(link.dataset)
    applications_per_domain = dict(
        ApplicationDomain.objects.exclude(application__status=Application.Status.RETIRED)
        .values_list("domain")
        .annotate(count=Count("application", distinct=True))
    )
    datasets_per_domain = dict(
        ApplicationDomain.objects.filter(application__datasets__isnull=False)
        .values_list("domain")
        .annotate(count=Count("application__datasets", distinct=True))
    )
    result.domains = [
        (
            value,
            label,
            applications_per_domain.get(value, 0),
            datasets_per_domain.get(value, 0),
            domain_programmes[value],
        )
        for value, label in ArchitectureDomain.choices
    ]
    result.uncovered_applications = list(
        Application.objects.exclude(status=Application.Status.RETIRED)
        .exclude(pk__in=covered_applications)
        .select_related("opd")
    )
    result.uncovered_datasets = list(Dataset.objects.exclude(pk__in=covered_datasets).select_related("producer"))
    return result


def inventory_figures() -> dict:
    """Return the inventory's and catalogue's totals by status, for the catalogue's front page."""
    return {
        "applications": dict(Application.objects.values_list("status").annotate(count=Count("pk"))),
        "datasets": dict(Dataset.objects.values_list("status").annotate(count=Count("pk"))),
    }
