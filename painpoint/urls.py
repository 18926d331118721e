from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.shortcuts import redirect
from django.urls import include, path

from painpoint.booking import views as booking_views
from painpoint.knowledge.sitemaps import SITEMAPS
from painpoint.knowledge.views import robots

admin.site.site_header = "Painpoint"
admin.site.site_title = "Painpoint"
admin.site.index_title = "Clinic administration"
# The admin signs in through the staff sign-in, with its one-time code; its own password-only form is unused.
admin.site.login = lambda request, extra_context=None: redirect(  # type: ignore[method-assign]
    "/staff/sign-in/?next=" + (request.GET.get("next") or "/admin/")
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("painpoint.api.urls")),
    path("check/", include("painpoint.assessment.urls")),
    path("appointments/", include("painpoint.booking.urls")),
    path("staff/", include("painpoint.inbox.urls")),
    path("contact/", booking_views.contact, name="contact"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots, name="robots"),
    path("", include("painpoint.clinics.urls")),
    path("", include("painpoint.knowledge.urls")),
]

if settings.BENCH_VIEWS:
    from painpoint.lib import bench

    urlpatterns += [
        path("_bench/bare", bench.bare),
        path("_bench/bare.json", bench.bare_json),
        path("_bench/without-engine.json", bench.without_engine),
    ]
