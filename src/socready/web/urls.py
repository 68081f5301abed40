"""URL configuration. Tenant pages carry the organization slug: /o/<slug>/..."""

from django.contrib import admin
from django.urls import include, path

from socready.accounts import views as account_views
from socready.accounts import views_auth, views_members, views_orgs
from socready.programs import views_catalog
from socready.web import views as site_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("socready.accounts.urls")),
    path("organizations/new/", views_orgs.create_organization, name="org-create"),
    path("organizations/switch/", views_orgs.switch_organization, name="switch-organization"),
    path("invitations/<str:token>/", views_members.invitation_accept, name="invitation-accept"),
    path("o/<slug:slug>/", include("socready.dashboard.urls")),
    path("o/<slug:slug>/", include("socready.accounts.urls_tenant")),
    path("o/<slug:slug>/", include("socready.programs.urls")),
    path("o/<slug:slug>/", include("socready.evidence.urls")),
    path("o/<slug:slug>/", include("socready.questionnaires.urls")),
    path("o/<slug:slug>/", include("socready.reports.urls")),
    path("o/<slug:slug>/", include("socready.connectors.urls")),
    path("o/<slug:slug>/", include("socready.vendors.urls")),
    path("catalog/criteria/", views_catalog.criteria, name="catalog-criteria"),
    # Before the admin's own URLs, so its password form is never reachable (see views_auth.admin_login).
    path("admin/login/", views_auth.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("favicon.ico", site_views.favicon, name="favicon"),
]
