"""One error shape for the whole project (CONVENTIONS.md, habit 9).

Services raise :class:`ServiceError` with a code and field errors; forms show the messages on their
fields and the API turns them into RFC 9457 problem details.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError


class ServiceError(Exception):
    """A business rule said no. Nothing was written (the service's transaction rolled back)."""

    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        field_errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field_errors: dict[str, list[str]] = {
            k: [str(m) for m in v] for k, v in (field_errors or {}).items()
        }

    @classmethod
    def from_validation_error(cls, exc: ValidationError, message: str = "") -> ServiceError:
        from django.utils.translation import gettext

        if hasattr(exc, "error_dict"):
            fields = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        else:
            fields = {"__all__": [str(m) for m in exc.messages]}
        return cls(message or gettext("入力内容に誤りがあります。"), code="validation", field_errors=fields)


class NotFound(ServiceError):
    """The object does not exist in this company (another company's id is the same as none)."""

    status = 404

    def __init__(self, message: str = "", **kwargs: object) -> None:
        from django.utils.translation import gettext

        super().__init__(message or gettext("見つかりません。"), code="not_found")


class PermissionDeniedError(ServiceError):
    status = 403

    def __init__(self, message: str = "") -> None:
        from django.utils.translation import gettext

        super().__init__(message or gettext("この操作を行う権限がありません。"), code="forbidden")
