"""The import pages look inside a file before anything reads it: a staff workbook or a
OneRoster zip that is a zip bomb, or a register file the virus check finds, is refused on the
form with a message naming the problem, and no import is started."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.rosters.models import RosterImport
from tests import upload_files as files
from tests.rosters.roster_files import oneroster_files, zip_bytes

pytestmark = pytest.mark.django_db


def upload_staff(client, name, content):
    file = SimpleUploadedFile(name, content)
    return client.post(reverse("rosters:staff_upload"), {"roster": file, "leaders": "on"})


def assert_no_import(response, words):
    assert response.status_code == 200
    assert words in response.content.decode()
    with scopes_disabled():
        assert not RosterImport.objects.exists()


@pytest.mark.parametrize("name", ["staff.xlsx", "oneroster-export.zip"])
def test_a_zip_bomb_is_refused_before_it_is_read_and_no_import_starts(
    admin_client, docx_bomb, name
):
    response = upload_staff(admin_client, name, docx_bomb)

    assert_no_import(response, f"The file “{name}” expands to more than 500 MB when opened")


def test_a_oneroster_export_naming_a_file_outside_its_folder_is_refused(admin_client):
    export = zip_bytes({**oneroster_files(teachers=["Ann Baker"]), "../../evil.csv": "x"})

    response = upload_staff(admin_client, "export.zip", export)

    assert_no_import(response, "names a file outside its own folder (../../evil.csv)")


def test_a_clean_oneroster_export_still_starts_an_import(admin_client):
    export = zip_bytes(oneroster_files(teachers=["Ann Baker"]))

    response = upload_staff(admin_client, "export.zip", export)

    assert response.status_code == 302
    with scopes_disabled():
        assert RosterImport.objects.count() == 1


def test_a_register_file_that_is_a_zip_bomb_is_refused(admin_client, docx_bomb):
    response = admin_client.post(
        reverse("rosters:schools_upload"),
        {"establishments": SimpleUploadedFile("edubase.csv", docx_bomb), "group_uid": "4124"},
    )

    assert_no_import(response, "The file “edubase.csv” expands to more than 500 MB when opened")


def test_a_staff_list_the_virus_check_finds_is_refused(admin_client, virus_check):
    content = b"Full name,Email\r\nAnn Baker,ann@example.org " + files.TEST_VIRUS + b"\r\n"

    response = upload_staff(admin_client, "staff.csv", content)

    assert_no_import(response, "The virus check found something harmful in the file “staff.csv”")
