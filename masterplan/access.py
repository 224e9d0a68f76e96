"""Who may do what with a masterplan: the predicates every view, service and template asks, and the loaders.

Everyone with a role reads masterplans; Kominfo admins write them (create, edit a draft, build its
programmes, make it final, start a new draft from a final one); Kominfo and the Bupati's office generate
its PDF. The predicates taking a masterplan answer for its state as loaded (what a page offers); the
services check that state again under the row lock, so a masterplan made final meanwhile still refuses.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from core.access import allowed_if, has_a_role, is_executive, is_kominfo_admin

from .models import Masterplan, MasterplanExport, PillarAnalysis, Programme


def can_read_masterplan(user) -> bool:
    """Return whether the user may read masterplans, their roadmaps, spreadsheets and PDFs (every role)."""
    return has_a_role(user)


def can_write_masterplans(user) -> bool:
    """Return whether the user's role writes masterplans (Kominfo admins), whatever their state."""
    return is_kominfo_admin(user)


def can_edit_masterplan(user, masterplan: Masterplan) -> bool:
    """Return whether the user may change this masterplan: a Kominfo admin, while it is a draft."""
    return can_write_masterplans(user) and not masterplan.is_final


def can_assemble(user, masterplan: Masterplan) -> bool:
    """Return whether the user may build this masterplan's programmes from approved submissions."""
    return can_edit_masterplan(user, masterplan)


def can_finalize(user, masterplan: Masterplan) -> bool:
    """Return whether the user may make this masterplan final."""
    return can_edit_masterplan(user, masterplan)


def can_start_draft_from(user, masterplan: Masterplan) -> bool:
    """Return whether the user may start a new draft from this masterplan: a Kominfo admin, once it is final."""
    return can_write_masterplans(user) and masterplan.is_final


def can_export_pdf(user, masterplan: Masterplan | None = None) -> bool:
    """Return whether the user may generate a masterplan's PDF (Kominfo and the Bupati's office, of any one)."""
    return is_kominfo_admin(user) or is_executive(user)


def masterplan_permissions(user, masterplan: Masterplan) -> dict[str, bool]:
    """Return what the user may do with the masterplan, as the `can` flags of its templates."""
    return {
        "edit": can_edit_masterplan(user, masterplan),
        "assemble": can_assemble(user, masterplan),
        "finalize": can_finalize(user, masterplan),
        "start_draft": can_start_draft_from(user, masterplan),
        "export_pdf": can_export_pdf(user, masterplan),
    }


reader_required = allowed_if(can_read_masterplan)
writer_required = allowed_if(can_write_masterplans)
exporter_required = allowed_if(can_export_pdf)


def _check_role(user, *, write: bool) -> None:
    if not (can_write_masterplans(user) if write else can_read_masterplan(user)):
        raise PermissionDenied


def access_masterplan(user, pk: int, *, write: bool = False) -> Masterplan:
    """Return the masterplan for a reader (or, with write, a Kominfo admin); 404 if unknown, 403 if the role may not."""
    _check_role(user, write=write)
    return get_object_or_404(Masterplan, pk=pk)


def access_analysis(user, masterplan_pk: int, pillar_code: str, *, write: bool = False) -> PillarAnalysis:
    """Return a masterplan's strategic analysis of one pillar (by its code), like `access_masterplan`."""
    _check_role(user, write=write)
    return get_object_or_404(
        PillarAnalysis.objects.select_related("masterplan", "pillar"),
        masterplan_id=masterplan_pk,
        pillar__code=pillar_code.upper(),
    )


def access_programme(user, masterplan_pk: int, pk: int, *, write: bool = False) -> Programme:
    """Return a programme of the masterplan, with its masterplan and pillar, like `access_masterplan`."""
    _check_role(user, write=write)
    return get_object_or_404(
        Programme.objects.select_related("masterplan", "element__pillar"), pk=pk, masterplan_id=masterplan_pk
    )


def access_masterplan_export(user, masterplan_pk: int, pk: int) -> MasterplanExport:
    """Return a PDF export of the masterplan for a reader; 404 if unknown, 403 if the role may not read."""
    _check_role(user, write=False)
    return get_object_or_404(
        MasterplanExport.objects.select_related("masterplan", "requested_by"), pk=pk, masterplan_id=masterplan_pk
    )
