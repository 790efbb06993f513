# British English as Django has it, but with the 24-hour clock: a time is "17:00", never
# "5 p.m." (Django's own en_GB uses "P"). Whatever is not set here falls back to Django's.
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
