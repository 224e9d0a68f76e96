"""Existing or planned applications whose name or purpose resembles a proposed one (the overlap warning).

On PostgreSQL the database ranks them by trigram similarity (pg_trgm, created by this app's migration);
elsewhere (SQLite in development and tests) the same rule runs in Python on the same trigrams.
"""

import re

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models.functions import Greatest

from .models import Application

# pg_trgm's default threshold is 0.3; names are short, so they count fully, purposes a little less.
THRESHOLD = 0.3
PURPOSE_WEIGHT = 0.8
LIMIT = 5
WORD = re.compile(r"\w+")


def _trigrams(text: str) -> set[str]:
    """Return the trigrams pg_trgm takes from a text: each lower-case word padded with two spaces before, one after."""
    grams = set()
    for word in WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[index : index + 3] for index in range(len(padded) - 2))
    return grams


def similarity(first: str, second: str) -> float:
    """Return pg_trgm's similarity of two texts: shared trigrams over all their trigrams."""
    a, b = _trigrams(first), _trigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similar_applications(*, name: str, purpose: str = "", exclude_pk: int | None = None, limit: int = LIMIT) -> list:
    """Return up to `limit` existing or planned applications resembling the name or purpose, most alike first.

    Each carries `score` (0 to 1). One query whatever the size of the inventory.
    """
    name, purpose = (name or "").strip(), (purpose or "").strip()
    if not name and not purpose:
        return []
    candidates = Application.objects.exclude(status=Application.Status.RETIRED).select_related("opd")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    if connection.vendor == "postgresql":
        score = Greatest(
            TrigramSimilarity("name", name or purpose), TrigramSimilarity("purpose", purpose or name) * PURPOSE_WEIGHT
        )
        found = list(candidates.annotate(score=score).filter(score__gte=THRESHOLD).order_by("-score", "name")[:limit])
        for application in found:
            application.score = float(application.score)
        return found
    scored = []
    for application in candidates.only("name", "purpose", "status", "opd__short_name", "opd__name"):
        application.score = max(
            similarity(application.name, name or purpose),
            similarity(application.purpose, purpose or name) * PURPOSE_WEIGHT,
        )
        if application.score >= THRESHOLD:
            scored.append(application)
    scored.sort(key=lambda application: (-application.score, application.name))
    return scored[:limit]


def as_record(applications) -> list[dict]:
    """Return the similar applications as the plain record kept with the link and the decision."""
    return [
        {
            "id": application.pk,
            "name": application.name,
            "opd": application.opd.short_name,
            "status": application.status,
            "score": round(application.score, 2),
        }
        for application in applications
    ]
