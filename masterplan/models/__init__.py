"""The masterplan: vision and targets, front matter, region profile, RPJMD alignment, the strategic analysis per
pillar, the programmes of the roadmap (horizons derived from the years) with their indicators and yearly budgets,
governance, adoption, and its PDF exports."""

from .exports import MasterplanExport
from .masterplan import MAX_QUICK_WIN_YEARS, Masterplan, PillarAnalysis, Term
from .programmes import (
    Indicator,
    IndicatorTarget,
    Programme,
    ProgrammeBudget,
    ProgrammeQuerySet,
    quick_win_message,
)
from .region import GovernanceBody, GovernanceMember, RegionProfile, Rpjmd, RpjmdIndicator, RpjmdMission

__all__ = [
    "MAX_QUICK_WIN_YEARS",
    "GovernanceBody",
    "GovernanceMember",
    "Indicator",
    "IndicatorTarget",
    "Masterplan",
    "MasterplanExport",
    "PillarAnalysis",
    "Programme",
    "ProgrammeBudget",
    "ProgrammeQuerySet",
    "RegionProfile",
    "Rpjmd",
    "RpjmdIndicator",
    "RpjmdMission",
    "Term",
    "quick_win_message",
]
