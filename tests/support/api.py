"""The JSON API's request headers for a bearer token."""


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}
