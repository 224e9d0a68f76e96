"""Phone check-in, without an account: the session code from the screen and the person's NIP."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.security import client_ip
from core.views import add_service_errors

from ..forms import CheckInForm, RepresentativeForm
from ..models import CHECKIN_CODE_ALPHABET, CHECKIN_CODE_LENGTH, Session
from ..services.checkin import CheckInResult, Representative, checkin_submit, invited_opds

TEMPLATE = "bimtek/checkin.html"


@login_not_required
@require_http_methods(["GET", "POST"])
def checkin(request):
    """Check in: a fixed participant is recorded present; anyone else is asked whom they represent."""
    if request.method == "GET":
        form = CheckInForm(initial={"code": request.GET.get("kode", "")[:20]})
        return _page(request, form)
    details = "opd" in request.POST
    session = _session_for(request.POST.get("code", "")) if details else None
    if details and session is not None:
        form = RepresentativeForm(request.POST, opds=invited_opds(session))
    else:
        form = CheckInForm(request.POST)
    if not form.is_valid():
        return _page(request, form, session)
    data = form.cleaned_data
    representative = (
        Representative(name=data["name"], position=data["position"], opd_id=data["opd"])
        if isinstance(form, RepresentativeForm)
        else None
    )
    try:
        result = checkin_submit(
            code=data["code"], nip=data["nip"], ip_address=client_ip(request), representative=representative
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _page(request, form, session)
    if result.kind == CheckInResult.NEEDS_DETAILS:
        form = RepresentativeForm(initial={"code": data["code"], "nip": data["nip"]}, opds=invited_opds(result.session))
        return _page(request, form, result.session)
    return render(request, "bimtek/checkin_done.html", {"result": result})


def _page(request, form, session=None):
    context = {"form": form, "session": session, "needs_details": isinstance(form, RepresentativeForm)}
    return render(request, TEMPLATE, context)


def _session_for(code: str) -> Session | None:
    """Return the session a code names, for the representative form's OPD choices (the service checks the rest)."""
    code = "".join(code.split()).upper()
    # Only something shaped like a code reaches the database (PostgreSQL refuses a NUL in a query outright).
    if len(code) != CHECKIN_CODE_LENGTH or not set(code) <= set(CHECKIN_CODE_ALPHABET):
        return None
    return Session.objects.select_related("stage").filter(checkin_code=code).first()
