"""Who may do what with coaching records, one module per part; importing this registers all.

Tiers (DESIGN.md): content is for the teacher and the coach of the relationship (read-only
for a while after it ends) and people the teacher shares an item with; activity adds the
school's coaching lead; nobody else, whatever their rank, reaches either through these rules.
"""

from coachloop.coaching.rules import (  # noqa: F401  (importing registers the rules)
    agreements,
    groups,
    learning,
    loop,
    progression,
    relationships,
    reviews,
    sharing,
)
