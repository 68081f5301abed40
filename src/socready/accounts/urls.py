"""Sign-in, sign-out and password reset."""

from django.contrib.auth import views as auth_views
from django.urls import path

from socready.accounts import views_auth
from socready.accounts.views_reset import LimitedPasswordResetView

urlpatterns = [
    path("login/", views_auth.TwoStepLoginView.as_view(), name="login"),
    path("login/code/", views_auth.login_second_factor, name="login-2fa"),
    path("two-factor/", views_auth.two_factor_settings, name="two-factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
