"""Applications and datasets for tests."""

import factory
from factory.django import DjangoModelFactory

from spbe.models import Application, ApplicationDomain, Dataset
from tests.factories import OpdFactory


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    opd = factory.SubFactory(OpdFactory)
    name = factory.Sequence(lambda n: f"Aplikasi Uji {n}")
    purpose = "Mencatat layanan."
    kind = Application.Kind.ADMINISTRATION
    status = Application.Status.IN_OPERATION
    hosting = Application.Hosting.REGIONAL

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        if create and extracted:
            ApplicationDomain.objects.bulk_create([ApplicationDomain(application=self, domain=d) for d in extracted])


class DatasetFactory(DjangoModelFactory):
    class Meta:
        model = Dataset

    producer = factory.SubFactory(OpdFactory)
    title = factory.Sequence(lambda n: f"Data Uji {n}")
    frequency = Dataset.Frequency.YEARLY
    level = Dataset.Level.REGENCY
    format = Dataset.Format.CSV
    status = Dataset.Status.AVAILABLE
