import pytest

from tests.api.tokens import bearer, integration_token, token_for


@pytest.fixture
def api_get():
    """GET ``url`` with ``secret`` as the bearer token (none when ``None``)."""

    def get(client, url, secret, **extra):
        return client.get(url, headers=bearer(secret), **extra)

    return get


@pytest.fixture
def persona_token(world):
    def make(persona):
        return token_for(world, persona)

    return make


@pytest.fixture
def integration_secret(world):
    def make(scopes, schools=()):
        return integration_token(world, scopes, schools)

    return make
