from django.urls import path

from painpoint.knowledge import views

app_name = "knowledge"
# The entry paths match painpoint.lib.markdown.ENTRY_PATHS, which content links resolve to.
urlpatterns = [
    path("", views.home, name="home"),
    path("where-does-it-hurt/<slug:code>/", views.region, name="region"),
    path("conditions/<slug:slug>/", views.condition, name="condition"),
    path("treatments/", views.treatment_list, name="treatments"),
    path("treatments/<slug:slug>/", views.treatment, name="treatment"),
    path("articles/", views.article_list, name="articles"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("a-to-z/", views.a_to_z, name="a-to-z"),
    path("search/", views.search, name="search"),
]
