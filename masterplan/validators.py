"""Checks of uploaded files by their content, not their name."""

import re
import xml.etree.ElementTree as ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_EMBLEM_BYTES = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What makes an SVG more than a picture: scripts, event handlers, embedded documents, outside references.
SVG_ACTIVE_CONTENT = re.compile(
    rb"<\s*(script|foreignObject|iframe|embed|object)\b|\bon[a-z]+\s*=|<!ENTITY|<!DOCTYPE|"
    rb"(xlink:)?href\s*=\s*[\"'](?!#|data:image/(png|jpeg);base64,)",
    re.IGNORECASE,
)


def emblem_kind(head: bytes) -> str | None:
    """Return "png" or "svg" for the content of an emblem file, or None for anything else."""
    if head.startswith(PNG_SIGNATURE):
        return "png"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<?xml") or text.startswith(b"<svg") or text.startswith(b"<!--"):
        try:
            root = ElementTree.fromstring(head)  # noqa: S314 - DOCTYPE/ENTITY are refused before parsing
        except ElementTree.ParseError:
            return None
        if root.tag in ("svg", "{http://www.w3.org/2000/svg}svg"):
            return "svg"
    return None


def validate_emblem(file) -> None:
    """Refuse an emblem that is not a PNG or a plain SVG picture of at most 1 MB, whatever its name says."""
    if file.size > MAX_EMBLEM_BYTES:
        raise ValidationError(_("The emblem is larger than 1 MB; upload a smaller PNG or SVG."), code="too_big")
    file.seek(0)
    content = file.read(MAX_EMBLEM_BYTES + 1)
    file.seek(0)
    if not content.startswith(PNG_SIGNATURE) and SVG_ACTIVE_CONTENT.search(content):
        raise ValidationError(
            _("The SVG contains scripts, links or embedded documents; upload a plain picture (PNG or SVG)."),
            code="active_svg",
        )
    kind = emblem_kind(content)
    if kind is None:
        raise ValidationError(_("The emblem must be a PNG or SVG image; this file is neither."), code="not_image")
    suffix = (file.name or "").lower().rpartition(".")[2]
    if suffix != kind:
        raise ValidationError(
            _("The file is a %(kind)s image but its name ends in .%(suffix)s; rename it and upload again.")
            % {"kind": kind.upper(), "suffix": suffix},
            code="wrong_suffix",
        )
