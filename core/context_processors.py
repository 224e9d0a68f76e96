from django.conf import settings


def portal(request) -> dict:
    """Expose the instance's region and portal names to every template."""
    return {
        "REGION_NAME": settings.REGION_NAME,
        "REGION_LOGO": settings.REGION_LOGO,
        "PORTAL_NAME": settings.PORTAL_NAME,
    }
