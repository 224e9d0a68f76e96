"""Publishing a final masterplan and taking it back."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.access import is_kominfo_admin
from masterplan.models import Masterplan, MasterplanExport

from .models import Publication


def _final_pdf(masterplan: Masterplan) -> MasterplanExport | None:
    """Return the newest PDF rendered since the masterplan became final, if any."""
    exports = MasterplanExport.objects.filter(masterplan=masterplan, status=MasterplanExport.Status.DONE)
    if masterplan.finalized_at:
        exports = exports.filter(created_at__gte=masterplan.finalized_at)
    return exports.order_by("-version").first()


@transaction.atomic
def publication_publish(*, masterplan: Masterplan, by) -> Publication:
    """Publish a final masterplan (or refresh its PDF if already published)."""
    if not is_kominfo_admin(by):
        raise PermissionDenied
    locked = Masterplan.objects.select_for_update().get(pk=masterplan.pk)
    if not locked.is_final:
        raise ValidationError(_("Only a final masterplan can be published. Make it final first."))
    slug = slugify(f"masterplan-{locked.start_year}-{locked.end_year}-{locked.pk}")
    publication, created = Publication.objects.get_or_create(
        masterplan=locked,
        defaults={"slug": slug, "published_at": timezone.now(), "published_by": by, "pdf": _final_pdf(locked)},
    )
    if not created:
        publication.pdf = _final_pdf(locked)
        publication.save(update_fields=["pdf"])
    return publication


@transaction.atomic
def publication_unpublish(*, masterplan: Masterplan, by) -> None:
    """Take a masterplan off the public pages at once."""
    if not is_kominfo_admin(by):
        raise PermissionDenied
    if not Publication.objects.filter(masterplan=masterplan).delete()[0]:
        raise ValidationError(_("This masterplan is not published."))
