"""Small schools-register (GIAS) files for tests, written as the register writes them: its
real column names, Windows-1252 unless a test asks otherwise, dates as day-month-year.

The default register is a trust of five open schools (one named with a curly apostrophe and
one with a diaeresis, as Windows-1252 encodes them), one closed school, a sixth-form
college that only the links file ties to the trust, and a school of another trust.
"""

import csv
import io

GROUP_UID = "16724"
GROUP_ID = "TR03645"
GROUP_NAME = "Weald and Downs Learning Trust"
COMPANIES_HOUSE_NUMBER = "09876543"
OTHER_GROUP_UID = "17001"
EXPORTED = "20250314"

# A realistic slice of the establishments file's 140 or so columns, in the register's order.
ESTABLISHMENT_HEADER = (
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "ReasonEstablishmentClosed (name)",
    "CloseDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "OfficialSixthForm (name)",
    "Gender (name)",
    "ReligiousCharacter (name)",
    "Trusts (code)",
    "Trusts (name)",
    "SchoolSponsorFlag (name)",
    "Street",
    "Town",
    "Postcode",
    "SchoolWebsite",
    "UKPRN",
)

LINK_HEADER = (
    "URN",
    "Group UID",
    "Group ID",
    "Group Name",
    "Companies House Number",
    "Group Type (code)",
    "Group Type",
    "Group Status (code)",
    "Group Status",
    "Joined date",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "PhaseOfEducation (name)",
    "LA (name)",
)

_STATUS_CODES = {"Open": "1", "Closed": "2", "Open, but proposed to close": "3"}
_PHASE_CODES = {"Not applicable": "0", "Primary": "2", "Secondary": "4", "All-through": "7"}


def establishment(
    urn,
    name,
    *,
    type_name="Academy converter",
    type_group="Academies",
    status="Open",
    opened="01-09-2015",
    closed="",
    phase="Primary",
    local_authority="Kent",
    trust_uid=GROUP_UID,
    trust_name=GROUP_NAME,
    **columns,
):
    """One row of the establishments file; ``columns`` sets any other column by name."""
    row = {
        "URN": urn,
        "LA (code)": "886",
        "LA (name)": local_authority,
        "EstablishmentNumber": "2001",
        "EstablishmentName": name,
        "TypeOfEstablishment (name)": type_name,
        "EstablishmentTypeGroup (name)": type_group,
        "EstablishmentStatus (code)": _STATUS_CODES.get(status, ""),
        "EstablishmentStatus (name)": status,
        "ReasonEstablishmentOpened (name)": "Academy Converter",
        "OpenDate": opened,
        "ReasonEstablishmentClosed (name)": "Not applicable" if not closed else "Closure",
        "CloseDate": closed,
        "PhaseOfEducation (code)": _PHASE_CODES.get(phase, ""),
        "PhaseOfEducation (name)": phase,
        "Gender (name)": "Mixed",
        "ReligiousCharacter (name)": "Does not apply",
        "Trusts (code)": trust_uid,
        "Trusts (name)": trust_name if trust_uid else "",
        "SchoolSponsorFlag (name)": "Not applicable",
        "Town": "Maidstone",
        "Postcode": "ME14 1AA",
    }
    row.update(columns)
    return row


def link(urn, name, *, group_uid=GROUP_UID, joined="01-09-2015", **columns):
    """One row of the links file (a school's membership of a group)."""
    row = {
        "URN": urn,
        "Group UID": group_uid,
        "Group ID": GROUP_ID if group_uid == GROUP_UID else "TR09999",
        "Group Name": GROUP_NAME if group_uid == GROUP_UID else "Harbour Schools Trust",
        "Companies House Number": COMPANIES_HOUSE_NUMBER,
        "Group Type (code)": "06",
        "Group Type": "Multi-academy trust",
        "Group Status (code)": "OPEN",
        "Group Status": "Open",
        "Joined date": joined,
        "EstablishmentName": name,
    }
    row.update(columns)
    return row


def weald_establishments():
    """The default establishments: the trust's schools and one of another trust."""
    return [
        establishment("140101", "St Bede’s Catholic Primary Academy"),
        establishment(
            "140102",
            "Weald Secondary Academy",
            type_name="Academy sponsor led",
            phase="Secondary",
        ),
        establishment(
            "140103",
            "Downs View Academy",
            type_name="Academy special converter",
            phase="Not applicable",
        ),
        establishment("140104", "Brontë Primary Academy", local_authority="East Sussex"),
        establishment(
            "140105", "Oakfield Academy", type_name="Academy sponsor led", phase="All-through"
        ),
        establishment(
            "140106",
            "Old Mill Primary Academy",
            status="Closed",
            closed="31-08-2023",
        ),
        establishment(
            "140107",
            "Weald Sixth Form College",
            type_name="Academy 16-19 converter",
            phase="16 plus",
            trust_uid="",
        ),
        establishment(
            "150001",
            "Harbour Primary Academy",
            trust_uid=OTHER_GROUP_UID,
            trust_name="Harbour Schools Trust",
            local_authority="Medway",
        ),
    ]


def weald_links():
    return [
        link("140101", "St Bede’s Catholic Primary Academy"),
        link("140102", "Weald Secondary Academy"),
        link("140107", "Weald Sixth Form College", joined="01-04-2022"),
        link("150001", "Harbour Primary Academy", group_uid=OTHER_GROUP_UID),
    ]


def csv_bytes(header, rows, *, encoding="cp1252", bom=False, drop=()):
    """``rows`` (dicts by column name) as a CSV file's bytes, without the columns in
    ``drop``, quoted as the register quotes, lines ended as Windows ends them."""
    columns = [column for column in header if column not in drop]
    text = io.StringIO()
    writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return (b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode(encoding)


def establishments_file(rows=None, **options):
    return csv_bytes(
        ESTABLISHMENT_HEADER, weald_establishments() if rows is None else rows, **options
    )


def links_file(rows=None, **options):
    return csv_bytes(LINK_HEADER, weald_links() if rows is None else rows, **options)


def write_register(folder, establishments=None, links=None, *, day=EXPORTED):
    """Write the register's two files into ``folder`` under the names the register gives
    them; ``establishments`` and ``links`` are rows or ready bytes. Returns both paths."""
    paths = (folder / f"edubasealldata{day}.csv", folder / f"alllinksdata{day}.csv")
    for path, content, build in zip(
        paths, (establishments, links), (establishments_file, links_file), strict=True
    ):
        path.write_bytes(content if isinstance(content, bytes) else build(content))
    return paths
