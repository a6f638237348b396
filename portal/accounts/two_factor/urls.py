"""Routes of the two-factor pages, joined to `portal.accounts.urls` (names `accounts:two_factor*`)."""

from django.urls import path

from portal.accounts.two_factor import views

urlpatterns = [
    path("two-factor/", views.two_factor_manage_view, name="two_factor"),
    path("two-factor/verify/", views.two_factor_verify_view, name="two_factor_verify"),
    path("two-factor/enrol/", views.two_factor_enrol_view, name="two_factor_enrol"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes_view, name="two_factor_backup_codes"),
    path("two-factor/disable/", views.two_factor_disable_view, name="two_factor_disable"),
    path("users/<int:pk>/two-factor/reset/", views.two_factor_reset_view, name="two_factor_reset"),
]
