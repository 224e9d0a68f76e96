"""Demo Bimtek: the two stages Mojokerto held in 2022 with every active OPD's fixed participants and realistic
attendance (most OPDs came with their own people; some were represented or absent; one rotated), so the
continuity report and the dashboards have something to show."""

import datetime

from django.db import transaction
from django.utils import timezone

from bimtek.models import Participant, Stage
from bimtek.selectors import RowState, attendance_sheet
from bimtek.services import attendance as attendance_services
from bimtek.services import participants as participant_services
from bimtek.services import stages as stage_services
from core.roles import Role
from masterplan.models import Masterplan
from opd.models import Opd, User

SPEAKERS = "Tenaga Ahli Gerakan Menuju 100 Smart City\nDirektorat Jenderal Aplikasi Informatika, Kementerian Kominfo"
# Common Javanese given names and family names, combined by index.
FIRST_NAMES = (  # noqa: SIM905 - one name list reads better as words than as 31 quoted strings
    "Agus Budi Dwi Eko Fitri Hadi Indah Joko Kurniawati Lestari Muhammad Nur Puji Rahmat Sri Teguh Wahyu Yuni "
    "Ahmad Dewi Endang Heru Ika Rina Sugeng Tri Wulan Yudi Bambang Siti Anik"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Santoso Wibowo Setiawan Hidayat Rahayu Susanti Prasetyo Kurniawan Wahyuni Nugroho Purnomo Handayani "
    "Saputra Utomo Hartono Suryani Firmansyah Anggraini Wijaya Permana Maulana Kusuma Pratiwi"
).split()
POSITIONS = {
    Opd.Kind.KECAMATAN: ("Sekretaris Kecamatan",),
    Opd.Kind.RSUD: ("Kepala Bidang Pelayanan Medik", "Kepala Instalasi SIMRS"),
    Opd.Kind.SEKRETARIAT: ("Kepala Bagian Perencanaan dan Keuangan", "Pranata Komputer Ahli Muda", "Analis Kebijakan"),
}
DEFAULT_POSITIONS = ("Sekretaris", "Kepala Sub Bagian Perencanaan", "Pranata Komputer Ahli Muda")
THREE_PARTICIPANTS = {"SETDA", "BAPPEDA", "DISKOMINFO"}
# OPDs whose attendance departs from "its own participants came": per stage, by code.
NAMED_NONE = {"KEC-DAWARBLANDONG", "KEC-KEMLAGI"}  # never named participants: someone else came, or nobody
REPRESENTED = {1: {"SETWAN", "DISNAKER", "KEC-DAWARBLANDONG", "KEC-KEMLAGI"}, 2: {"SETWAN", "DAMKAR", "KEC-KEMLAGI"}}
ABSENT = {1: {"BAKESBANGPOL"}, 2: {"BAKESBANGPOL", "KEC-TRAWAS", "KEC-DAWARBLANDONG"}}
# DLH came with its own people on the first day of Tahap 2 and sent a representative on the second.
REPRESENTED_ON_DAY_TWO_ONLY = {"DLH"}
ROTATING = "DISHUB"  # replaced its participant between the stages
REPRESENTATIVES = (("Rudi Hermawan", "Staf Pelaksana"), ("Nanik Sulistyowati", "Pengadministrasi Umum"))


def _nip(index: int) -> str:
    """Return a well-formed NIP: birth date, appointment month, sex and a number unique to the demo."""
    born = datetime.date(1970 + index % 20, index % 12 + 1, index % 28 + 1)
    return f"{born:%Y%m%d}{1996 + index % 20}{(index * 5) % 12 + 1:02d}{index % 2 + 1}{index:03d}"


def _participants_create(opds: list[Opd], admin: User) -> None:
    """Name each active OPD's fixed participants, as its operator (or Kominfo, for OPDs without one)."""
    operators = {user.opd_id: user for user in User.objects.filter(role=Role.OPD_STAFF, is_active=True)}
    index = 0
    for opd in opds:
        if opd.code in NAMED_NONE:
            continue
        positions = POSITIONS.get(opd.kind, DEFAULT_POSITIONS)
        count = 3 if opd.code in THREE_PARTICIPANTS else min(2, len(positions))
        for position in positions[:count]:
            index += 1
            participant_services.participant_add(
                opd=opd,
                by=operators.get(opd.pk, admin),
                data={
                    "name": f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 7) % len(LAST_NAMES)]}",
                    "nip": _nip(index),
                    "position": position,
                    "phone": f"0812 3{index:03d} {4000 + index}",
                },
            )


def _attendance_record(session, admin: User, *, represented: set, absent: set) -> None:
    """Record a session on the attendance screen: own participants, a representative, or nobody, per OPD."""
    entries = []
    for index, row in enumerate(attendance_sheet(session)):
        code = row.opd.code
        own = frozenset(participant.pk for participant, _attendance in row.participants if participant.is_active)
        if code in absent:
            wanted = RowState(frozenset(), "", "")
        elif code in represented or not own:
            wanted = RowState(frozenset(), *REPRESENTATIVES[index % len(REPRESENTATIVES)])
        else:
            wanted = RowState(own, "", "")
        entries.append(attendance_services.RowEntry(row.opd.pk, wanted, row.state))
    attendance_services.attendance_record(session=session, by=admin, entries=entries)


@transaction.atomic
def demo_bimtek_create(*, admin: User) -> int | None:
    """Create the demo Bimtek once, on the first masterplan; return the number of stages, or None if already there."""
    masterplan = Masterplan.objects.order_by("created_at").first()
    if masterplan is None or Stage.objects.filter(masterplan=masterplan).exists():
        return None
    opds = list(Opd.objects.filter(is_active=True).order_by("code"))
    _participants_create(opds, admin)
    eight, three, four = datetime.time(8), datetime.time(15), datetime.time(16)
    one = stage_services.stage_create(
        masterplan=masterplan,
        by=admin,
        data={
            "number": 1,
            "theme": "Analisis strategis dan kesiapan daerah",
            "start_date": datetime.date(2022, 6, 6),
            "end_date": datetime.date(2022, 6, 6),
            "mode": Stage.Mode.ONSITE,
            "place": "Command Center Kabupaten Mojokerto",
            "speakers": SPEAKERS,
        },
    )
    day = {"date": one.start_date, "start_time": eight, "end_time": three, "title": "Analisis strategis"}
    _attendance_record(
        stage_services.session_create(stage=one, by=admin, data=day),
        admin,
        represented=REPRESENTED[1],
        absent=ABSENT[1],
    )
    rotating = Participant.objects.filter(opd__code=ROTATING, is_active=True).order_by("pk").first()
    if rotating is not None:
        participant_services.participant_replace(
            participant=rotating,
            by=User.objects.filter(opd__code=ROTATING, role=Role.OPD_STAFF).first() or admin,
            data={"name": "Dimas Aditya Pratama", "nip": _nip(900), "position": rotating.position},
            reason="Mutasi jabatan ke Dinas Sosial",
        )
        # The demo replaces now but tells of 2022: the replacement came between the two stages.
        moment = timezone.make_aware(datetime.datetime(2022, 6, 20, 9, 30))
        Participant.objects.filter(pk=rotating.pk).update(replaced_at=moment)
    two = stage_services.stage_create(
        masterplan=masterplan,
        by=admin,
        data={
            "number": 2,
            "theme": "Analisis kesenjangan, SWOT dan sasaran",
            "start_date": datetime.date(2022, 7, 6),
            "end_date": datetime.date(2022, 7, 7),
            "mode": Stage.Mode.HYBRID,
            "place": "Aula Bappeda Kabupaten Mojokerto",
            "meeting_link": "https://zoom.us/j/0000000000",
            "speakers": SPEAKERS,
        },
    )
    for number, date, ends, title in (
        (1, two.start_date, four, "Hari 1: analisis kesenjangan dan SWOT"),
        (2, two.end_date, three, "Hari 2: sasaran dan rancangan program"),
    ):
        session = stage_services.session_create(
            stage=two, by=admin, data={"date": date, "start_time": eight, "end_time": ends, "title": title}
        )
        represented = REPRESENTED[2] | (REPRESENTED_ON_DAY_TWO_ONLY if number == 2 else set())
        _attendance_record(session, admin, represented=represented, absent=ABSENT[2])
    return 2
