from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from opd.models import Opd
from opd.services.opd_import import OpdImportError, opd_import_csv

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
HEADER = "code,name,short_name,kind\n"


def import_text(text: str, encoding: str = "utf-8"):
    with translation.override("en"):
        return opd_import_csv(data=text.encode(encoding))


@pytest.mark.django_db
def test_bundled_csv_imports_fifty_opds(capsys):
    call_command("import_opd", str(BUNDLED_CSV))
    assert Opd.objects.count() == 50
    assert Opd.objects.filter(kind=Opd.Kind.KECAMATAN).count() == 18
    assert Opd.objects.get(code="DINKES").name == "Dinas Kesehatan"
    assert Opd.objects.get(code="DPRKP2").name == "Dinas Perumahan Rakyat, Kawasan Permukiman dan Pertanahan"
    assert "50 created" in capsys.readouterr().out


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(capsys):
    call_command("import_opd", str(BUNDLED_CSV))
    before = list(Opd.objects.order_by("code").values())
    call_command("import_opd", str(BUNDLED_CSV))
    assert list(Opd.objects.order_by("code").values()) == before
    assert "0 created, 0 updated, 50 unchanged" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_updates_a_changed_row_and_leaves_others_alone():
    import_text(HEADER + "DINKES,Dinas Kesehatan,Dinkes,dinas\nDLH,Dinas Lingkungan Hidup,DLH,dinas\n")
    result = import_text(HEADER + "DINKES,Dinas Kesehatan Kabupaten,Dinkes,dinas\n")
    assert result.updated == ["DINKES"]
    assert Opd.objects.get(code="DINKES").name == "Dinas Kesehatan Kabupaten"
    assert Opd.objects.get(code="DLH").is_active


@pytest.mark.django_db
def test_optional_is_active_column_deactivates():
    import_text("code,name,short_name,kind,is_active\nKEC-PACET,Kecamatan Pacet,Kec. Pacet,kecamatan,0\n")
    assert Opd.objects.get(code="KEC-PACET").is_active is False


BAD_FILES = {
    "missing column": (
        "code,name,kind\nDINKES,Dinas Kesehatan,dinas\n",
        "Row 1 (header): missing column(s): short_name",
    ),
    "duplicate code": (HEADER + "DINKES,Dinas Kesehatan,Dinkes,dinas\nDINKES,Dinas Lain,Lain,dinas\n", "Row 3:"),
    "unknown kind": (
        HEADER + "DINKES,Dinas Kesehatan,Dinkes,dinas\nX,Kantor X,X,kantor\n",
        "Row 3: unknown kind “kantor”",
    ),
    "empty name": (HEADER + "DINKES,,Dinkes,dinas\n", "Row 2: “name” is empty"),
    "too many values": (HEADER + "DINKES,Dinas Kesehatan,Dinkes,dinas,extra\n", "Row 2: more values than columns"),
    "no rows": (HEADER, "no OPD rows"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_csv_is_refused_naming_the_row_and_writes_nothing(case):
    import_text(HEADER + "DLH,Dinas Lingkungan Hidup,DLH,dinas\n")
    text, expected = BAD_FILES[case]
    with pytest.raises(OpdImportError) as raised:
        import_text(text)
    assert expected in str(raised.value)
    assert list(Opd.objects.values_list("code", flat=True)) == ["DLH"]


@pytest.mark.django_db
def test_a_good_row_before_a_bad_one_is_not_written_either():
    with pytest.raises(OpdImportError):
        import_text(HEADER + "DINKES,Dinas Kesehatan,Dinkes,dinas\nDLH,Dinas Lingkungan Hidup,DLH,unknown\n")
    assert not Opd.objects.exists()


@pytest.mark.django_db
def test_wrong_encoding_is_refused_naming_the_row(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "DINKES,Dinas Kesehatan,Dinkes,dinas\nX,Kantor Pemuda & Olahraga – Sé,Sé,dinas\n").encode("cp1252")
    )
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("import_opd", str(path))
    assert "Row 3: the file is not UTF-8 encoded" in str(raised.value)
    assert "nothing changed" in str(raised.value)
    assert not Opd.objects.exists()


@pytest.mark.django_db
def test_missing_file_gives_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_opd", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_utf8_with_byte_order_mark_from_excel_is_accepted():
    result = opd_import_csv(data=(HEADER + "DINKES,Dinas Kesehatan,Dinkes,dinas\n").encode("utf-8-sig"))
    assert result.created == ["DINKES"]


@pytest.mark.django_db
def test_indonesian_column_titles_are_accepted():
    import_text("Kode,Nama,Singkatan,Jenis,Aktif\nKEC-PACET,Kecamatan Pacet,Kec. Pacet,kecamatan,0\n")
    opd = Opd.objects.get(code="KEC-PACET")
    assert (opd.name, opd.short_name, opd.kind, opd.is_active) == ("Kecamatan Pacet", "Kec. Pacet", "kecamatan", False)
