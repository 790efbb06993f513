"""Coachloop's own formats for dates and times (settings.FORMAT_MODULE_PATH), on top of
Django's for the language: one time format, 24-hour ("17:00"), as schools timetable."""
