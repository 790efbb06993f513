from tests.access.codes import public_route

# The API's schema and its documentation are public; version 1 is in the API matrix
# (tests/access/test_api_matrix.py).
ROWS = {
    "api:schema": ("get", None, public_route()),
    "api:docs": ("get", None, public_route()),
}
