"""A new draft started from a final masterplan keeps its programmes' applications, datasets and SPBE domains."""

from masterplan.models import Programme

from ..models import ProgrammeApplication, ProgrammeDataset, ProgrammeDomain


def _key(programme) -> tuple:
    return (programme.element_id, programme.order, programme.title, programme.start_year)


def programme_links_copy(original, copy) -> None:
    """Copy the links of the original masterplan's programmes to the same programmes of its new draft."""
    new_by_key = {_key(programme): programme.pk for programme in Programme.objects.filter(masterplan=copy)}
    old_to_new = {
        programme.pk: new_by_key[_key(programme)]
        for programme in Programme.objects.filter(masterplan=original)
        if _key(programme) in new_by_key
    }
    ProgrammeApplication.objects.bulk_create(
        ProgrammeApplication(programme_id=old_to_new[link.programme_id], application_id=link.application_id)
        for link in ProgrammeApplication.objects.filter(programme_id__in=old_to_new)
    )
    ProgrammeDataset.objects.bulk_create(
        ProgrammeDataset(programme_id=old_to_new[link.programme_id], dataset_id=link.dataset_id, role=link.role)
        for link in ProgrammeDataset.objects.filter(programme_id__in=old_to_new)
    )
    ProgrammeDomain.objects.bulk_create(
        ProgrammeDomain(programme_id=old_to_new[link.programme_id], domain=link.domain)
        for link in ProgrammeDomain.objects.filter(programme_id__in=old_to_new)
    )
