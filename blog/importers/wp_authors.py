"""The Inkwell users a WordPress import gives its posts and pages to."""

from django.contrib.auth import get_user_model


def authors_by_login(items, export_authors, *, author, summary):
    """Return {WordPress login: user} for the items' authors.

    With `author`, everything is that user's. Otherwise each login is
    matched to the user of that username, or becomes a new user: inactive,
    without a usable password, with the WordPress display name as full name.
    The summary says which.
    """
    logins = {item.author_login for item in items if item.author_login}
    if author is not None:
        summary.assigned_to = author.get_username()
        return dict.fromkeys(logins, author)
    User = get_user_model()
    users = {
        user.get_username(): user
        for user in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": logins})
    }
    summary.users_matched = sorted(users)
    names = {each.login: each.display_name for each in export_authors}
    for login in sorted(logins - set(users)):
        user = User(
            **{User.USERNAME_FIELD: login[:150]},
            first_name=(names.get(login) or login)[:150],
            is_active=False,
        )
        # Imported people cannot log in until someone gives them access.
        user.set_unusable_password()
        user.save()
        users[login] = user
        summary.users_created.append(login)
    return users
