"""Two-factor sign-in: a TOTP authenticator app, with ten single-use backup codes, after the password.

Built as a few small views on django-otp rather than with django-two-factor-auth. That package replaces the
sign-in page with its own multi-step wizard (django-formtools) and its own templates, and brings phone and
YubiKey plugins the portal does not offer. Here the password step stays Django's `LoginView` at
`/accounts/login/` (the contract's `username` and `password` fields, and the page django-axes guards), and one
middleware asks for the second factor on the next request, whatever page the user was going to — the Django admin
included. django-otp supplies the devices (TOTP, static backup codes), their throttling and replay protection, and
`request.user.is_verified()`.

- `selectors`: is two-factor sign-in enabled for a user; which step a signed-in session still owes.
- `services`: enrolment, verification, backup codes, disabling it oneself, an administrator's reset — each
  recorded in the security log.
- `middleware`: no page before the step a session owes (see `TwoFactorMiddleware`).
- `views`, `forms`, `urls`: the pages, under `/accounts/two-factor/` (`accounts:two_factor*`).
- `admin_site`: the Django admin refuses a session that still owes a step, and shows no device secrets.
"""
