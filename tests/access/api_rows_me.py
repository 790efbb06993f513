from tests.access.codes import API_MEMBERS, api_route

ROWS = {
    "api:v1:me": ("get", None, api_route(dict.fromkeys(API_MEMBERS, 200))),
}
