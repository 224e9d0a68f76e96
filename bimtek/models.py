"""Bimtek, the technical workshops that draft a masterplan: its stages and their sessions, each OPD's fixed
participants (peserta tetap), who attended each session (recorded by Kominfo or by phone check-in), the PDFs
rendered from them, and the reminders sent before each stage."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob, PdfJob
from masterplan.models import Masterplan
from opd.models import Opd

NIP_LENGTH = 18
# `\Z`, not `$`: `$` lets a trailing newline through; both Python and PostgreSQL read `\Z` as the very end.
NIP_PATTERN = r"^[0-9]{18}\Z"
NAME_MAX_LENGTH = 150
POSITION_MAX_LENGTH = 150
MAX_FIXED_PARTICIPANTS = 3
STAGE_NUMBERS = (1, 2, 3, 4)
# Short enough to read off a projector and type on a phone; no 0/O or 1/I to confuse.
CHECKIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CHECKIN_CODE_LENGTH = 6
# People arrive before the opening: check-in opens this long before a session starts and closes when it ends.
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)

nip_validator = RegexValidator(NIP_PATTERN, _("A NIP has exactly 18 digits, e.g. 198503122010011004."), "nip")


class Stage(models.Model):
    """One of the four Bimtek stages of a masterplan (Tahap 1–4), with the OPDs invited to it."""

    class Mode(models.TextChoices):
        ONSITE = "luring", _("On site (luring)")
        ONLINE = "daring", _("Online (daring)")
        HYBRID = "hybrid", _("Hybrid (on site and online)")

    masterplan = models.ForeignKey(
        Masterplan, on_delete=models.PROTECT, related_name="bimtek_stages", verbose_name=_("masterplan")
    )
    number = models.PositiveSmallIntegerField(_("stage"), choices=[(n, n) for n in STAGE_NUMBERS])
    theme = models.CharField(_("theme"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Needed on site and hybrid."))
    meeting_link = models.URLField(
        _("meeting link"), max_length=500, blank=True, help_text=_("Needed online and hybrid.")
    )
    speakers = models.TextField(_("speakers (narasumber)"), blank=True, help_text=_("One per line."))
    invited_opds = models.ManyToManyField(Opd, related_name="bimtek_stages", verbose_name=_("invited OPDs"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["masterplan", "number"]
        verbose_name = _("Bimtek stage")
        verbose_name_plural = _("Bimtek stages")
        constraints = [
            models.UniqueConstraint(fields=["masterplan", "number"], name="bimtek_stage_number_once_per_masterplan"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=4), name="bimtek_stage_number_1_to_4"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="bimtek_stage_ends_after_start"),
            models.CheckConstraint(condition=Q(mode="daring") | ~Q(place=""), name="bimtek_stage_on_site_has_place"),
            models.CheckConstraint(
                condition=Q(mode="luring") | ~Q(meeting_link=""), name="bimtek_stage_online_has_link"
            ),
            models.CheckConstraint(condition=Q(mode__in=["luring", "daring", "hybrid"]), name="bimtek_stage_mode"),
        ]

    def __str__(self) -> str:
        return _("Stage %(number)d: %(theme)s") % {"number": self.number, "theme": self.theme}

    def has_started(self, today=None) -> bool:
        return self.start_date <= (today or timezone.localdate())


class Session(models.Model):
    """One sitting of a stage (a stage may last two days), with the code participants check in with."""

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("stage"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    title = models.CharField(_("title"), max_length=200)
    checkin_code = models.CharField(_("check-in code"), max_length=CHECKIN_CODE_LENGTH, unique=True)
    checkin_opens_at = models.DateTimeField(_("check-in opens"))
    checkin_closes_at = models.DateTimeField(_("check-in closes"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("Bimtek session")
        verbose_name_plural = _("Bimtek sessions")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="bimtek_session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(checkin_closes_at__gt=F("checkin_opens_at")), name="bimtek_session_checkin_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def checkin_window(self) -> tuple[datetime, datetime]:
        """Return when check-in opens and closes, derived from the session's date and times."""
        zone = timezone.get_current_timezone()
        starts = timezone.make_aware(datetime.combine(self.date, self.start_time), zone)
        ends = timezone.make_aware(datetime.combine(self.date, self.end_time), zone)
        return starts - CHECKIN_OPENS_BEFORE, ends

    def checkin_is_open(self, now=None) -> bool:
        return self.checkin_opens_at <= (now or timezone.now()) <= self.checkin_closes_at

    def checkin_has_closed(self, now=None) -> bool:
        return (now or timezone.now()) > self.checkin_closes_at


class Participant(models.Model):
    """A fixed participant (peserta tetap) an OPD names to attend every stage; replaced ones stay as history."""

    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="bimtek_participants", verbose_name=_("OPD"))
    name = models.CharField(_("full name"), max_length=NAME_MAX_LENGTH)
    nip = models.CharField(_("NIP"), max_length=NIP_LENGTH, validators=[nip_validator])
    position = models.CharField(_("position"), max_length=POSITION_MAX_LENGTH)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    replaced_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replacement recorded by"),
    )
    replacement_reason = models.TextField(_("reason for the replacement"), blank=True)

    class Meta:
        ordering = ["opd", "name", "pk"]
        verbose_name = _("fixed participant")
        verbose_name_plural = _("fixed participants")
        constraints = [
            models.CheckConstraint(condition=Q(nip__regex=NIP_PATTERN), name="bimtek_participant_nip_18_digits"),
            models.CheckConstraint(condition=~Q(name="") & ~Q(position=""), name="bimtek_participant_named"),
            # A person is a fixed participant of one OPD at a time.
            models.UniqueConstraint(
                fields=["nip"], condition=Q(is_active=True), name="bimtek_participant_active_nip_once"
            ),
            # Someone stops being a fixed participant only by being replaced, with who, when and why.
            models.CheckConstraint(
                condition=Q(is_active=True, replaced_at__isnull=True, replaced_by__isnull=True)
                | Q(
                    is_active=False,
                    replaced_at__isnull=False,
                    replaced_by__isnull=False,
                    replaced_by_user__isnull=False,
                )
                & ~Q(replacement_reason=""),
                name="bimtek_participant_inactive_only_when_replaced",
            ),
        ]
        indexes = [models.Index(fields=["opd", "is_active"], name="bimtek_participant_opd_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.opd.short_name})"


class Attendance(models.Model):
    """Who came to a session for an OPD: one of its fixed participants (present or absent), or a
    representative (diwakilkan) who is not one of them."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        REPRESENTED = "represented", _("Represented (diwakilkan)")
        ABSENT = "absent", _("Absent")

    class Via(models.TextChoices):
        ADMIN = "admin", _("Kominfo's attendance screen")
        CHECKIN = "checkin", _("Phone check-in")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD"))
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    representative_name = models.CharField(_("representative's name"), max_length=NAME_MAX_LENGTH, blank=True)
    representative_position = models.CharField(
        _("representative's position"), max_length=POSITION_MAX_LENGTH, blank=True
    )
    representative_nip = models.CharField(_("representative's NIP"), max_length=NIP_LENGTH, blank=True)
    recorded_via = models.CharField(_("recorded through"), max_length=10, choices=Via.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "opd", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"],
                condition=Q(participant__isnull=False),
                name="bimtek_attendance_participant_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "representative_nip"],
                condition=~Q(representative_nip=""),
                name="bimtek_attendance_representative_nip_once_per_session",
            ),
            # The attendance screen has one "represented by" per OPD row; check-ins add their own rows.
            models.UniqueConstraint(
                fields=["session", "opd"],
                condition=Q(status="represented", recorded_via="admin"),
                name="bimtek_attendance_one_admin_representative_per_opd",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["present", "absent"],
                    participant__isnull=False,
                    representative_name="",
                    representative_position="",
                    representative_nip="",
                )
                | Q(status="represented", participant__isnull=True) & ~Q(representative_name=""),
                name="bimtek_attendance_participant_or_representative",
            ),
            models.CheckConstraint(
                condition=Q(representative_nip="") | Q(representative_nip__regex=NIP_PATTERN),
                name="bimtek_attendance_representative_nip_18_digits",
            ),
            models.CheckConstraint(
                condition=Q(recorded_via="admin", recorded_by__isnull=False)
                | Q(recorded_via="checkin", recorded_by__isnull=True) & ~Q(status="absent"),
                name="bimtek_attendance_recorded_by_matches_via",
            ),
        ]
        indexes = [models.Index(fields=["session", "opd"], name="bimtek_attendance_sheet_idx")]

    def __str__(self) -> str:
        who = self.participant.name if self.participant_id else self.representative_name
        return f"{who}: {self.get_status_display()}"


class CheckInAttempt(models.Model):
    """One phone check-in attempt, kept for a day to rate-limit guessing per address and per session code."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["ip_address", "created_at"], name="bimtek_checkin_ip_idx"),
            models.Index(fields=["session", "created_at"], name="bimtek_checkin_session_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ip_address} {self.outcome} {self.created_at:%Y-%m-%d %H:%M}"


class BimtekDocument(PdfJob):
    """A PDF the worker renders: a session's attendance list (daftar hadir) or a masterplan's continuity recap."""

    class Kind(models.TextChoices):
        ATTENDANCE_LIST = "attendance_list", _("Attendance list (daftar hadir)")
        CONTINUITY_RECAP = "continuity_recap", _("Continuity recap")

    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    # Always set, also for an attendance list (its session's masterplan), so every document is found by masterplan.
    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="bimtek_documents")
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="documents", verbose_name=_("session")
    )

    class Meta(PdfJob.Meta):
        verbose_name = _("Bimtek document")
        verbose_name_plural = _("Bimtek documents")
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind="attendance_list", session__isnull=False)
                | Q(kind="continuity_recap", session__isnull=True),
                name="bimtek_document_list_has_its_session",
            ),
            # Two clicks on "Make PDF" while one renders must not render twice.
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(kind="attendance_list", status__in=BackgroundJob.UNFINISHED),
                name="bimtek_document_one_running_list",
            ),
            models.UniqueConstraint(
                fields=["masterplan"],
                condition=Q(kind="continuity_recap", status__in=BackgroundJob.UNFINISHED),
                name="bimtek_document_one_running_recap",
            ),
        ]
        indexes = [models.Index(fields=["masterplan", "kind", "created_at"], name="bimtek_document_list_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def download_name(self) -> str:
        """Return the file name a download is saved under (the session is loaded with the document)."""
        if self.kind == self.Kind.ATTENDANCE_LIST:
            return f"daftar-hadir-tahap-{self.session.stage.number}-{self.session.date:%Y-%m-%d}-{self.pk}.pdf"
        return f"rekap-kesinambungan-bimtek-{self.masterplan_id}-{self.pk}.pdf"


class Reminder(models.Model):
    """An e-mail sent to an invited OPD's staff before a stage; recorded so that no step is ever sent twice."""

    class Kind(models.TextChoices):
        STAGE = "stage", _("Stage reminder")
        PARTICIPANTS_MISSING = "participants", _("Fixed participants not named")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="reminders")
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="+")
    # The step: the number of days before the stage (one of BIMTEK_REMINDER_DAYS) it was due at.
    days_before = models.PositiveSmallIntegerField(_("days before the stage"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("Bimtek reminder")
        verbose_name_plural = _("Bimtek reminders")
        constraints = [
            models.UniqueConstraint(fields=["stage", "opd", "days_before"], name="bimtek_reminder_once_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} · {self.opd_id} · H-{self.days_before}"
