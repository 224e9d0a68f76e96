"""How every view shows a service's refusal: as messages, or on the form that was sent; and the small POST views
every app has (one uploaded file, a form that feeds one service, one of Kominfo's decisions) written once."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .forms import AttachmentForm, CommentForm, ReasonForm
from .uploads import clean_original_name
from .workflow import MAX_COMMENT_LENGTH


def error_texts(error: ValidationError) -> list[str]:
    """Return every message of a ValidationError as plain text."""
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


def show_errors(request, error: ValidationError) -> None:
    for text in error_texts(error):
        messages.error(request, text)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where they exist, else at the top."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def show_form_errors(request, form) -> None:
    """Show every error of a small action form as a message (its page is the one redirected to)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def perform(request, action, success: str) -> bool:
    """Run one service call: show its refusal, or the success message; return whether it worked."""
    try:
        action()
    except ValidationError as error:
        show_errors(request, error)
        return False
    messages.success(request, success)
    return True


def perform_form(request, form, action: Callable[..., object], success: str) -> bool:
    """Run `action(**cleaned data)` of a small action form whose fields are the service's keywords: show the form's
    errors, the service's refusal or the success message; return whether it worked."""
    if not form.is_valid():
        show_form_errors(request, form)
        return False
    return perform(request, lambda: action(**form.cleaned_data), success)


def comment_add(request, add: Callable[..., object], *, back: str):
    """Add the comment of a CommentForm with `add(body=…, visibility=…)`, say what happened (or why not), go `back`.

    A NUL character pasted from another program gets the form's own message; any other refusal of the form says
    what a comment needs.
    """
    form = CommentForm(request.POST)
    if form.has_error("body", "null_characters_not_allowed"):
        show_form_errors(request, form)
    elif not form.is_valid():
        limit = {"limit": MAX_COMMENT_LENGTH}
        messages.error(request, _("Write the comment first (at most %(limit)d characters).") % limit)
    else:
        data = form.cleaned_data
        perform(
            request, lambda: add(body=data["body"], visibility=data.get("visibility") or "opd"), _("Comment added.")
        )
    return redirect(back)


def upload_one(request, add: Callable[..., object], *, back: str):
    """Store the one file of an AttachmentForm with `add(upload=…, description=…)`, say what happened, go `back`."""
    if len(request.FILES.getlist("file")) > 1:
        # The form takes one file; keeping only the last of several would drop the others silently.
        messages.error(request, _("Attach one file at a time; nothing was attached."))
        return redirect(back)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        perform(
            request,
            lambda: add(upload=upload, description=form.cleaned_data.get("description", "")),
            _("“%(name)s” attached.") % {"name": clean_original_name(upload.name)},
        )
    else:
        show_form_errors(request, form)
    return redirect(back)


def remove_upload(request, remove: Callable[[], object], upload, *, back: str):
    """Delete one stored upload through `remove()`, say so (or why not) and go `back`."""
    perform(request, remove, _("“%(name)s” removed.") % {"name": upload.original_name})
    return redirect(back)


def decision_of(decisions: dict, name: str):
    """Return what one of Kominfo's decisions named in the URL does (service, success message); 404 when unknown."""
    try:
        return decisions[name]
    except KeyError:
        raise Http404 from None


def decide(request, decision, *, back: str, on_reason_error: Callable | None = None, **row):
    """Apply one of Kominfo's decisions `(service, success message)` to `row` with the ReasonForm that was sent.

    With `on_reason_error(form)`, a reason that is refused (too long, missing) is shown on the form it returns, and
    any other error of the form means the page was out of date; without it, every refusal is a message on `back`.
    """
    service, done = decision
    form = ReasonForm(request.POST)
    if not form.is_valid():
        if on_reason_error is None:
            show_form_errors(request, form)
        elif "reason" in form.errors:
            # Too long, or a NUL character pasted from another program: shown on the field itself.
            return on_reason_error(form)
        else:
            messages.error(request, _("The page was out of date; nothing was changed. Look again and decide."))
        return redirect(back)
    data = form.cleaned_data
    try:
        service(**row, by=request.user, reason=data["reason"], expected_version=data.get("version"))
    except ValidationError as error:
        if on_reason_error is not None and hasattr(error, "error_dict") and "reason" in error.error_dict:
            # A missing reason: the error summary at the top links to the field, which is marked too (GOV.UK).
            add_service_errors(form, error)
            return on_reason_error(form)
        show_errors(request, error)
        return redirect(back)
    messages.success(request, str(done))
    return redirect(back)
