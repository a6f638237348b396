"""Map the domain's Django exceptions onto DRF responses.

Services raise Django's `ValidationError` (field-keyed), `PermissionDenied` and `Http404`; the API answers 400
with a field-keyed body, 403 and 404. The view classes in `portal.api.views` install this handler (settings are
not the API's to change).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, connection, transaction
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_KEY = "non_field_errors"


def validation_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD_KEY if field == "__all__" else field): list(messages)
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD_KEY: list(error.messages)}


def portal_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, DataError):
        # A value the database cannot hold (out of range, malformed) is bad input, not a server fault. Services
        # run in their own transaction, so nothing was written.
        exc = exceptions.ValidationError({NON_FIELD_KEY: ["A value is out of range or malformed."]})
        if connection.in_atomic_block:
            # The failed statement poisoned the enclosing transaction: roll it back rather than reuse it.
            transaction.set_rollback(True)
    return drf_exception_handler(exc, context)
