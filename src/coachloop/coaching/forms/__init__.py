"""Input validation, one module per journey, named like the app's views.
Import a form from its journey's module (``coaching.forms.agreements``)."""
