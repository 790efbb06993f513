"""The demo: the invented Riverside Learning Trust, built by ``manage.py load_demo``.

This app sits above every other: it writes rows into all of them, and none of them imports
it. It has no models of its own.
"""
