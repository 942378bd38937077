from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Refuse absurdly long passwords (hashing them is a denial-of-service lever)."""

    def __init__(self, max_length: int = 1024) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"Please choose a password of at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Up to {self.max_length} characters; a long passphrase is welcome."
