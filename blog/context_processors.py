from blog.models import SiteIdentity


def site(request):
    return {"site": SiteIdentity.load()}
