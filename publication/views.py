"""The public pages of published masterplans (no login, no scripts, cached with HTTP validators) and
Kominfo's publish and unpublish buttons."""

import hashlib
import json
from functools import partial

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_POST, require_safe

from core.access import allowed_if, is_kominfo_admin
from core.downloads import stored_file_response
from core.views import perform
from masterplan.access import access_masterplan
from masterplan.models import Masterplan
from masterplan.pages import PageLink
from pillars.models import Pillar

from . import opendata, realisation, services
from .models import Publication


def _published(slug: str) -> Publication:
    return get_object_or_404(
        Publication.objects.select_related("masterplan", "pdf"), slug=slug, masterplan__status=Masterplan.Status.FINAL
    )


def _etag(request, slug: str | None = None, **kwargs) -> str:
    """Return a validator that changes when anything public changes (a publication, its PDF, the language)."""
    rows = Publication.objects.filter(masterplan__status=Masterplan.Status.FINAL)
    if slug is not None:
        rows = rows.filter(slug=slug)
    state = list(rows.values_list("pk", "published_at", "pdf_id", "masterplan__updated_at", "masterplan_id"))
    verified = realisation.latest_verification([row[-1] for row in state])
    return hashlib.sha256(repr((state, verified, get_language())).encode()).hexdigest()[:32]


def public(view):
    """Open the view to anyone, answer 304 to a still-valid ETag, and let caches keep it only while they check."""

    @login_not_required
    @require_safe
    @condition(etag_func=_etag)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # `no-cache`: a cache may keep it but must ask again each time, so unpublishing takes effect at once.
        patch_cache_control(response, public=True, no_cache=True, max_age=0)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@public
def publication_list(request):
    """List the published masterplans."""
    publications = Publication.objects.filter(masterplan__status=Masterplan.Status.FINAL).select_related("masterplan")
    return render(request, "publication/list.html", {"publications": publications})


def roadmap(publication: Publication) -> dict:
    """Return each pillar with its Quick Wins and its other programmes per horizon of the masterplan."""
    masterplan = publication.masterplan
    horizons = masterplan.horizon_years()
    rows = {
        pillar.pk: {"pillar": pillar, "quick_wins": [], "horizons": {term: [] for term, *_rest in horizons}}
        for pillar in Pillar.objects.all()
    }
    for programme in opendata.published_programmes(publication):
        row = rows[programme.element.pillar_id]
        # A Quick Win is listed once, in its own column, not again in its (short) horizon.
        (row["quick_wins"] if programme.is_quick_win else row["horizons"][programme.horizon]).append(programme)
    for row in rows.values():
        row["columns"] = [(label, first, last, row["horizons"][term]) for term, label, first, last in horizons]
    return {"rows": list(rows.values()), "column_class": f"col-md-{12 // (len(horizons) + 1)}"}


@public
def publication_detail(request, slug: str):
    """Show a published masterplan: its summary, the roadmap per pillar and horizon, and the downloads."""
    publication = _published(slug)
    context = {"publication": publication, "masterplan": publication.masterplan, "roadmap": roadmap(publication)}
    return render(request, "publication/detail.html", context)


@public
def programmes_csv(request, slug: str):
    response = HttpResponse(opendata.programmes_csv(_published(slug)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="program.csv"'
    return response


@public
def programmes_json(request, slug: str):
    return HttpResponse(opendata.programmes_json(_published(slug)), content_type="application/json")


@public
def realisation_csv(request, slug: str):
    body = realisation.realisation_csv(_published(slug))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="realisasi.csv"'
    return response


@public
def datapackage(request, slug: str):
    publication = _published(slug)
    base = request.build_absolute_uri(reverse("publication:detail", args=[slug]))
    return JsonResponse(opendata.datapackage(publication, base), json_dumps_params={"ensure_ascii": False, "indent": 1})


@public
def dcat(request, slug: str | None = None):
    """Return the DCAT catalogue (JSON-LD) of every published masterplan, or of one."""
    publications = Publication.objects.filter(masterplan__status=Masterplan.Status.FINAL).select_related("masterplan")
    if slug is not None:
        publications = publications.filter(slug=slug)
        if not publications:
            raise Http404
    body = json.dumps(opendata.dcat(publications, request.build_absolute_uri), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/ld+json")


@public
def pdf(request, slug: str):
    publication = _published(slug)
    if publication.pdf is None:
        raise Http404
    response = stored_file_response(publication.pdf.file, filename=f"{slug}.pdf", content_type="application/pdf")
    del response["Cache-Control"]  # public: `public` sets its own caching, which revalidates every time
    return response


# --- Kominfo ---------------------------------------------------------------------------------------------


@allowed_if(is_kominfo_admin)
@require_POST
def publish(request, pk: int):
    masterplan = access_masterplan(request.user, pk, write=True)
    perform(
        request,
        partial(services.publication_publish, masterplan=masterplan, by=request.user),
        _("Published: the masterplan is on the public pages."),
    )
    return redirect("publication:manage", pk=pk)


@allowed_if(is_kominfo_admin)
@require_POST
def unpublish(request, pk: int):
    masterplan = access_masterplan(request.user, pk, write=True)
    perform(
        request,
        partial(services.publication_unpublish, masterplan=masterplan, by=request.user),
        _("Unpublished: the public pages no longer show it."),
    )
    return redirect("publication:manage", pk=pk)


@allowed_if(is_kominfo_admin)
@require_GET
def manage(request, pk: int):
    """Kominfo's page to publish a final masterplan or take it back."""
    masterplan = access_masterplan(request.user, pk, write=True)
    publication = Publication.objects.filter(masterplan=masterplan).first()
    return render(request, "publication/manage.html", {"masterplan": masterplan, "publication": publication})


def publication_page_link(user, masterplan) -> PageLink | None:
    """Return the link from the masterplan's page to its publication, for Kominfo once it is final."""
    if not (is_kominfo_admin(user) and masterplan.is_final):
        return None
    return PageLink(
        label=_("Publish as open data"), url=reverse("publication:manage", args=[masterplan.pk]), name="publish-link"
    )
