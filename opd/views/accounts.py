"""Kominfo's pages for OPDs and their accounts: list, add an operator, deactivate, reset a password, unlock, import.

The Django admin stays for the superuser; these are the everyday pages, in the portal's own look.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import allowed_if
from core.accounts import link_lifetime_hours
from core.views import add_service_errors, perform, show_errors
from opd import access, selectors
from opd.forms import OpdImportForm, OperatorForm
from opd.services import accounts as service
from opd.services.opd_import import OpdImportError, opd_import_csv


@allowed_if(access.can_manage_accounts)
@require_GET
def opd_list(request):
    """List every OPD with its operators, and the accounts outside the OPDs."""
    opds = list(selectors.opds_with_operators())
    others = list(selectors.accounts_outside_opds())
    usernames = [account.username for opd in opds for account in opd.operators] + [a.username for a in others]
    return render(
        request,
        "opd/accounts/opd_list.html",
        {"opds": opds, "others": others, "locked": service.locked_out_usernames(usernames)},
    )


@allowed_if(access.can_manage_accounts)
def opd_detail(request, opd_pk: int):
    """Show an OPD's operators, and add one (the page then shows the new account's one-time link)."""
    opd = access.access_opd(request.user, opd_pk)
    form = OperatorForm(request.POST) if request.method == "POST" else OperatorForm()
    if request.method == "POST" and form.is_valid():
        try:
            account, link = service.account_operator_create(opd=opd, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _link_page(request, account, link, created=True)
    operators = list(selectors.operators_of(opd))
    context = {
        "opd": opd,
        "form": form,
        "operators": operators,
        "locked": service.locked_out_usernames(account.username for account in operators),
        "can_add": access.can_add_operator(request.user, opd),
    }
    return render(request, "opd/accounts/opd_detail.html", context, status=400 if form.errors else 200)


@allowed_if(access.can_manage_accounts)
@require_GET
def account_detail(request, account_pk: int):
    """Show one account and what Kominfo may do with it."""
    account = access.access_account(request.user, account_pk)
    context = {
        "account": account,
        "can": access.account_permissions(request.user, account),
        "locked": bool(service.locked_out_usernames([account.username])),
    }
    return render(request, "opd/accounts/account_detail.html", context)


@allowed_if(access.can_manage_accounts)
@require_POST
def account_deactivate(request, account_pk: int):
    account = access.access_account(request.user, account_pk)
    perform(
        request,
        partial(service.account_deactivate, account=account, by=request.user),
        _("%(username)s is deactivated: the account can no longer log in.") % {"username": account.username},
    )
    return redirect("accounts:account_detail", account_pk=account_pk)


@allowed_if(access.can_manage_accounts)
@require_POST
def account_activate(request, account_pk: int):
    account = access.access_account(request.user, account_pk)
    perform(
        request,
        partial(service.account_activate, account=account, by=request.user),
        _("%(username)s is active again.") % {"username": account.username},
    )
    return redirect("accounts:account_detail", account_pk=account_pk)


@allowed_if(access.can_manage_accounts)
@require_POST
def account_unlock(request, account_pk: int):
    account = access.access_account(request.user, account_pk)
    perform(
        request,
        partial(service.account_unlock, account=account, by=request.user),
        _("%(username)s is unlocked and may try to log in again.") % {"username": account.username},
    )
    return redirect("accounts:account_detail", account_pk=account_pk)


@allowed_if(access.can_manage_accounts)
@require_POST
def account_reset_password(request, account_pk: int):
    """Void a forgotten password and show the new one-time link, once."""
    account = access.access_account(request.user, account_pk)
    try:
        link = service.account_password_reset(account=account, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("accounts:account_detail", account_pk=account_pk)
    return _link_page(request, account, link, created=False)


@allowed_if(access.can_manage_accounts)
def opd_import(request):
    """Import the OPD list from a CSV file; a refused file names each bad row and changes nothing."""
    form = OpdImportForm(request.POST, request.FILES) if request.method == "POST" else OpdImportForm()
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = opd_import_csv(data=form.cleaned_data["csv_file"].read())
        except OpdImportError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                _("OPD list imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {"created": len(result.created), "updated": len(result.updated), "unchanged": len(result.unchanged)},
            )
            return redirect("accounts:opd_list")
    status = 400 if (form.errors or errors) else 200
    return render(request, "opd/accounts/opd_import.html", {"form": form, "import_errors": errors}, status=status)


def _link_page(request, account, link: str, *, created: bool):
    """Show the one-time link to pass on; never cached, never shown again."""
    response = render(
        request,
        "opd/accounts/account_link.html",
        {"account": account, "link": link, "created": created, "hours": link_lifetime_hours()},
    )
    add_never_cache_headers(response)
    return response
