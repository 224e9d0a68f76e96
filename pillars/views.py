from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Pillar


@login_required
@require_GET
def pillar_list(request):
    """List the six pillars with their elements."""
    return render(request, "pillars/pillar_list.html", {"pillars": Pillar.objects.prefetch_related("elements")})


@login_required
@require_GET
def pillar_detail(request, code: str):
    """Show one pillar, its description and its elements."""
    pillar = get_object_or_404(Pillar.objects.prefetch_related("elements"), code=code.upper())
    return render(request, "pillars/pillar_detail.html", {"pillar": pillar})
