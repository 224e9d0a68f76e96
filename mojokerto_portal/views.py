from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def home(request):
    """Show the dashboard of the user's role."""
    user = request.user
    context = {"pillars": selectors.pillars_with_elements()}
    if user.is_kominfo_admin:
        template = "home/kominfo_admin.html"
        context |= {"opds": selectors.opd_overview(), "accounts": selectors.account_counts()}
    elif user.is_executive:
        template = "home/executive.html"
        context |= {"opds": selectors.opd_overview()}
    else:
        template = "home/opd_staff.html"
        context |= {"opd": user.opd}
    return render(request, template, context)
