import factory
from factory.django import DjangoModelFactory

from core.roles import Role
from opd.models import Opd, User

TEST_PASSWORD = "uji-Kata-Sandi-2026"


class OpdFactory(DjangoModelFactory):
    class Meta:
        model = Opd
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"OPD{n:03d}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"Uji {n}")
    kind = Opd.Kind.DINAS


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Pengguna"
    last_name = factory.Sequence(lambda n: f"Uji {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    role = Role.EXECUTIVE
    opd = None

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])
