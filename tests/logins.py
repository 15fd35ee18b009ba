"""Logging in as a person does: through the admin's login form.

The login throttle (django-axes) needs the request, which Django's
`client.login` does not pass; tests that only need a logged-in user use
`client.force_login`.
"""

ADMIN_LOGIN_URL = "/admin/login/"


def log_in(client, username, password, **extra):
    """Post the admin's login form; return the response (302 on success)."""
    return client.post(
        ADMIN_LOGIN_URL,
        {"username": username, "password": password, "next": "/admin/"},
        **extra,
    )


def logs_in(client, username, password, **extra):
    """Return whether the admin's login form lets `username` in."""
    response = log_in(client, username, password, **extra)
    return response.status_code == 302 and response["Location"] == "/admin/"
