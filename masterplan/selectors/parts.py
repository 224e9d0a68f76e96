"""The masterplan's parts as a task list: which are complete, which are required before it can be made final."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from pillars.models import Pillar

from ..models import (
    GovernanceBody,
    IndicatorTarget,
    Masterplan,
    PillarAnalysis,
    Programme,
    ProgrammeBudget,
    RegionProfile,
    Rpjmd,
)

PROFILE_REQUIRED = (
    "area_km2",
    "kecamatan_count",
    "desa_count",
    "kelurahan_count",
    "population",
    "population_year",
)
ANALYSIS_SCORES = ("structure_score", "infrastructure_score", "superstructure_score")
ANALYSIS_TEXTS = (
    "strengths",
    "weaknesses",
    "opportunities",
    "threats",
    "so_strategy",
    "wo_strategy",
    "st_strategy",
    "wt_strategy",
)


@dataclass
class Part:
    """One task of the masterplan's task list."""

    key: str
    title: str
    url_name: str
    complete: bool
    required: bool = True
    missing: str = ""  # what is still to do, when not complete
    url_args: tuple = ()

    @property
    def status(self) -> str:
        return "complete" if self.complete else ("incomplete" if self.required else "optional")


def _filled(value) -> bool:
    return value is not None and value != ""


def masterplan_parts(masterplan: Masterplan) -> list[Part]:
    """Return the masterplan's parts in the book's order, each saying whether it is complete (a fixed few queries)."""
    front = all(_filled(getattr(masterplan, name)) for name in Masterplan.FRONT_MATTER_FIELDS)
    profile = RegionProfile.objects.filter(masterplan=masterplan).first()
    profile_missing = [name for name in PROFILE_REQUIRED if profile is None or not _filled(getattr(profile, name))]
    if profile is not None and not profile.narrative.strip():
        profile_missing.append("narrative")
    rpjmd = Rpjmd.objects.filter(masterplan=masterplan).annotate(mission_count=Count("missions")).first()
    # One query: the pillars whose analysis row is missing or still has an empty score or text.
    finished = PillarAnalysis.objects.filter(masterplan=masterplan, pillar=OuterRef("pk"))
    for name in ANALYSIS_SCORES:
        finished = finished.filter(**{f"{name}__isnull": False})
    for name in ANALYSIS_TEXTS:
        finished = finished.exclude(**{name: ""})
    unfinished = [pillar.name for pillar in Pillar.objects.filter(~Exists(finished)).order_by("order")]
    programmes = Programme.objects.filter(masterplan=masterplan).aggregate(
        total=Count("pk"),
        without_target=Count(
            "pk",
            filter=~Q(Exists(IndicatorTarget.objects.filter(indicator__programme=OuterRef("pk")))),
        ),
        without_budget=Count("pk", filter=~Q(Exists(ProgrammeBudget.objects.filter(programme=OuterRef("pk"))))),
    )
    bodies = {
        body.kind: body
        for body in GovernanceBody.objects.filter(masterplan=masterplan).annotate(member_count=Count("members"))
    }
    governance_missing = [
        str(label)
        for kind, label in GovernanceBody.Kind.choices
        if kind not in bodies or not bodies[kind].decree_number or not bodies[kind].member_count
    ]
    adoption = all(_filled(getattr(masterplan, name)) for name in Masterplan.ADOPTION_FIELDS)
    pk = (masterplan.pk,)
    return [
        Part(
            "front_matter",
            _("Foreword and introduction"),
            "masterplan:part_front_matter",
            front,
            missing=_("Write the foreword, background, purpose, scope and methodology."),
            url_args=pk,
        ),
        Part(
            "executive_summary",
            _("Executive summary"),
            "masterplan:part_executive_summary",
            bool(masterplan.executive_summary.strip()),
            missing=_("Draft the summary from the data and edit it."),
            url_args=pk,
        ),
        Part(
            "profile",
            _("Region profile"),
            "masterplan:part_profile",
            not profile_missing,
            missing=_("Fill in the area, administrative divisions, population and the narrative."),
            url_args=pk,
        ),
        Part(
            "rpjmd",
            _("RPJMD alignment"),
            "masterplan:part_rpjmd",
            rpjmd is not None and rpjmd.mission_count > 0,
            missing=_("Enter the RPJMD period, vision and missions."),
            url_args=pk,
        ),
        Part(
            "vision",
            _("Period, horizons, vision and targets"),
            "masterplan:edit",
            bool(masterplan.vision.strip() and masterplan.mission_list),
            missing=_("Write the masterplan's vision and missions."),
            url_args=pk,
        ),
        Part(
            "analysis",
            _("Strategic analysis and SWOT per pillar"),
            "masterplan:detail",
            not unfinished,
            missing=_("Scores, SWOT and the SO/WO/ST/WT strategies still missing for: %(pillars)s.")
            % {"pillars": ", ".join(unfinished)},
            url_args=pk,
        ),
        Part(
            "programmes",
            _("Programmes, indicators and budgets"),
            "masterplan:detail",
            programmes["total"] > 0 and not programmes["without_target"] and not programmes["without_budget"],
            missing=(
                _(
                    "Every programme needs an indicator with a yearly target and a budget "
                    "(%(targets)d without targets, %(budgets)d without a budget, %(total)d programmes)."
                )
                % {
                    "targets": programmes["without_target"],
                    "budgets": programmes["without_budget"],
                    "total": programmes["total"],
                }
                if programmes["total"]
                else _("Build at least one programme from the approved submissions.")
            ),
            url_args=pk,
        ),
        Part(
            "governance",
            _("Governance: Dewan Smart City and Tim Pelaksana"),
            "masterplan:part_governance",
            not governance_missing,
            missing=_("Decree and members still missing for: %(bodies)s.") % {"bodies": ", ".join(governance_missing)},
            url_args=pk,
        ),
        Part(
            "adoption",
            _("Adoption (Peraturan Bupati)"),
            "masterplan:part_adoption",
            adoption,
            required=False,
            missing=_("Add the Peraturan Bupati number and date once it is signed."),
            url_args=pk,
        ),
        Part(
            "emblem",
            _("Regional emblem"),
            "masterplan:part_emblem",
            bool(masterplan.emblem),
            required=False,
            missing=_("Without an emblem the PDF uses the portal's bundled one."),
            url_args=pk,
        ),
    ]


def missing_required_parts(masterplan: Masterplan) -> list[Part]:
    """Return the required parts that are not complete yet."""
    return [part for part in masterplan_parts(masterplan) if part.required and not part.complete]
