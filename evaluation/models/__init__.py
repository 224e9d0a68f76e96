from .exports import EvaluationExport
from .periods import PeriodReopening, ReportingPeriod, ReportReminder
from .reports import (
    BudgetRealisation,
    IndicatorRealisation,
    ProgrammeReport,
    ProgressStatus,
    ReportComment,
    ReportEvent,
    ReportEvidence,
    SupportingContribution,
)

__all__ = [
    "BudgetRealisation",
    "EvaluationExport",
    "IndicatorRealisation",
    "PeriodReopening",
    "ProgrammeReport",
    "ProgressStatus",
    "ReportComment",
    "ReportEvent",
    "ReportEvidence",
    "ReportReminder",
    "ReportingPeriod",
    "SupportingContribution",
]
