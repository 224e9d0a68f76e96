"""The demo masterplan on the open-data pages, so a newcomer sees what the public sees (/terbuka/)."""

from masterplan.models import Masterplan
from opd.models import User
from publication.models import Publication
from publication.services import publication_publish


def demo_publication_create(*, admin: User) -> Publication | None:
    """Publish the final demo masterplan once; its PDF joins when Kominfo renders one and publishes again."""
    masterplan = Masterplan.objects.order_by("pk").first()
    if masterplan is None or not masterplan.is_final or Publication.objects.filter(masterplan=masterplan).exists():
        return None
    return publication_publish(masterplan=masterplan, by=admin)
