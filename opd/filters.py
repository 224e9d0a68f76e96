"""The filters of the submission list (the review queue for Kominfo) and of its exports."""

import django_filters
from django import forms
from django.db import connection
from django.db.models import BooleanField, F, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from core.workflow import AWAITING_REVIEW_STATUSES
from opd.models import Opd, Submission, SubmissionKind, SubmissionStatus
from opd.models.submissions import FIRST_YEAR, LAST_YEAR
from opd.selectors import kominfo_reviewers
from pillars.models import Element, Pillar

AWAITING = "awaiting"
STATUS_CHOICES = [(AWAITING, _("Awaiting review (submitted or in review)")), *SubmissionStatus.choices]
ORDERING_CHOICES = [
    ("last_submitted_at", _("Oldest sent first")),
    ("-last_submitted_at", _("Newest sent first")),
    ("-updated_at", _("Last changed first")),
    ("reference", _("Reference number")),
    ("title", _("Title")),
    ("opd__name", _("OPD")),
    ("-budget", _("Largest budget first")),
]


class YearFilter(django_filters.NumberFilter):
    """A whole year within the portal's range; anything else is a filter error, never a crash."""

    field_class = forms.IntegerField


def search_filter(queryset, name, value):
    """Search title, problem and solution: PostgreSQL full text (or every word), elsewhere every word."""
    words = value.split()
    if not words:
        return queryset
    if connection.vendor != "postgresql":
        return queryset.filter(every_word_matches(words))
    # The stored, indexed column of migration opd/0007 (title weighted A, then problem and solution);
    # it is not a model field because SQLite has no text vectors.
    full_text = RawSQL(
        "opd_submission.search_vector @@ websearch_to_tsquery('simple'::regconfig, %s)",
        (value,),
        output_field=BooleanField(),
    )
    # Full text matches whole words; the every-word condition also finds a word inside a longer one.
    return queryset.alias(full_text_matches=full_text).filter(Q(full_text_matches=True) | every_word_matches(words))


def every_word_matches(words: list[str]) -> Q:
    """Return the condition that each word appears, in any case, in the title, the problem or the solution."""
    condition = Q()
    for word in words:
        condition &= (
            Q(title__icontains=word) | Q(current_condition__icontains=word) | Q(proposed_solution__icontains=word)
        )
    return condition


class SubmissionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    pillar = django_filters.ModelChoiceFilter(label=_("Pillar"), queryset=Pillar.objects.all())
    element = django_filters.ModelChoiceFilter(label=_("Element"), queryset=Element.objects.select_related("pillar"))
    opd = django_filters.ModelChoiceFilter(label=_("OPD"), queryset=Opd.objects.order_by("name"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SubmissionKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="filter_status")
    year = YearFilter(
        label=_("Year sent"), field_name="submitted_at", lookup_expr="year", min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    assigned = django_filters.ChoiceFilter(label=_("Reviewer"), method="filter_assigned", choices=[])
    ordering = django_filters.ChoiceFilter(
        label=_("Sort"), choices=ORDERING_CHOICES, method="filter_ordering", empty_label=None
    )

    class Meta:
        model = Submission
        fields = []

    def __init__(self, data=None, *args, user, **kwargs):
        self.user = user
        super().__init__(data, *args, **kwargs)
        if user.is_opd_staff:
            # An OPD's staff see only their own OPD: no OPD or reviewer filter to offer.
            del self.filters["opd"]
            del self.filters["assigned"]
        else:
            reviewers = [
                (str(reviewer.pk), reviewer.get_full_name() or reviewer.username) for reviewer in kominfo_reviewers()
            ]
            self.filters["assigned"].extra["choices"] = [
                ("me", _("Assigned to me")),
                ("none", _("Not assigned")),
                *reviewers,
            ]
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": _("title, problem, solution")}
        )
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select form-select-sm" if is_select else "form-control form-control-sm"

    def filter_q(self, queryset, name, value):
        return search_filter(queryset, name, value)

    def filter_status(self, queryset, name, value):
        if value == AWAITING:
            return queryset.filter(status__in=AWAITING_REVIEW_STATUSES)
        return queryset.filter(status=value)

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assigned_reviewer=self.user)
        if value == "none":
            return queryset.filter(assigned_reviewer__isnull=True)
        return queryset.filter(assigned_reviewer_id=value)

    def filter_ordering(self, queryset, name, value):
        if value.lstrip("-") == "last_submitted_at":
            # Drafts have no date sent; keep them after the sent ones either way.
            field = F("last_submitted_at")
            expression = field.desc(nulls_last=True) if value.startswith("-") else field.asc(nulls_last=True)
            return queryset.order_by(expression, "pk")
        return queryset.order_by(value, "pk")


def default_filter_data(user) -> dict:
    """Return what a list shows with no filter chosen: Kominfo's queue, or the OPD's latest work."""
    if user.is_kominfo_admin:
        return {"status": AWAITING, "ordering": "last_submitted_at"}
    return {"ordering": "-updated_at"}
