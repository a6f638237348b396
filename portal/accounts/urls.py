from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from portal.accounts import api_tokens, passwords, views
from portal.accounts.forms import PortalAuthenticationForm, PortalPasswordResetForm
from portal.accounts.two_factor.urls import urlpatterns as two_factor_urlpatterns

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PortalPasswordResetForm, success_url=reverse_lazy("accounts:password_reset_done")
        ),
        name="password_reset",
    ),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("tokens/", api_tokens.token_list_view, name="tokens"),
    path("tokens/new/", api_tokens.token_create_view, name="token_create"),
    path("tokens/<int:token_id>/revoke/", api_tokens.token_revoke_view, name="token_revoke"),
    # Every user's own account.
    path("profile/", views.profile_view, name="profile"),
    path("profile/sessions/<int:session_id>/end/", views.session_revoke_view, name="session_revoke"),
    path("profile/sessions/end/", views.sessions_revoke_all_view, name="sessions_revoke_all"),
    # Accounts managed by administrators and, for their own organization, focal points.
    path("users/", views.user_list_view, name="users"),
    path("users/<int:user_id>/", views.user_detail_view, name="user_detail"),
    path("users/<int:user_id>/role/", views.user_role_view, name="user_role"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate_view, name="user_deactivate"),
    path("users/<int:user_id>/reactivate/", views.user_reactivate_view, name="user_reactivate"),
    path("users/<int:user_id>/revoke/", views.user_revoke_view, name="user_revoke"),
    path("users/invite/", views.invitation_create_view, name="invite"),
    path("users/invitations/", views.invitation_list_view, name="invitations"),
    path("users/invitations/<int:invitation_id>/resend/", views.invitation_resend_view, name="invitation_resend"),
    path("users/invitations/<int:invitation_id>/revoke/", views.invitation_revoke_view, name="invitation_revoke"),
    # The link an invitation e-mail carries: its secret is the invitee's only credential.
    path("invitations/<str:secret>/", views.invitation_accept_view, name="invitation_accept"),
    *two_factor_urlpatterns,
]
