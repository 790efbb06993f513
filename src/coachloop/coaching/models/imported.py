"""What an imported record named that has no match here, kept so the record stays whole.

A teacher's record brought from another trust names people who have no account here (their
coach, a mentor who wrote a progress note) and framework steps or strands this trust's framework
may not have. The row links nothing for them, and ``as_imported`` keeps what the file said:
``{"planned_by": {"name": "Sam Coach"}, "framework_step": {"code": ..., "title": ...,
"strand_code": ..., "strand_title": ...}}``. Pages name the person from it, and an export writes
it back out, so a record moved twice arrives as it left.
"""

from django.db import models


class KeepsImportedLinks(models.Model):
    as_imported = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def name_of(self, field_name):
        """The name of the person in ``field_name``: their account's, or the imported one."""
        person = getattr(self, field_name)
        if person is not None:
            return person.full_name
        return (self.as_imported.get(field_name) or {}).get("name", "")
