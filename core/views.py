"""How every view shows a service's refusal: as messages, or on the form that was sent."""

from django.contrib import messages
from django.core.exceptions import ValidationError


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
