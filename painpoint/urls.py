from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from painpoint.knowledge.sitemaps import SITEMAPS
from painpoint.knowledge.views import robots

admin.site.site_header = "Painpoint"
admin.site.site_title = "Painpoint"
admin.site.index_title = "Clinic administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("painpoint.api.urls")),
    path("check/", include("painpoint.assessment.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots, name="robots"),
    path("", include("painpoint.clinics.urls")),
    path("", include("painpoint.knowledge.urls")),
]

if settings.BENCH_VIEWS:
    from painpoint.lib import bench

    urlpatterns += [path("_bench/bare", bench.bare), path("_bench/bare.json", bench.bare_json)]
