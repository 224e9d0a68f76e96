"""Small tasks that prove the worker and broker are alive."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="portal.ping")
def ping(token: str) -> dict:
    """Answer with the token and the worker's clock, so a caller can tell a real round trip."""
    return {"token": token, "answered_at": timezone.now().isoformat()}
