import unicodedata

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


def normalise_email(address: str) -> str:
    """An e-mail address as Interlude stores it: trimmed, compatibility-normalised, lower case.

    Addresses that still hold a character outside plain ASCII are refused: look-alike letters
    (a dotless ı, small capitals, full-width letters) could otherwise make a second account or
    invitation for what reads as the same address.
    """
    cleaned = fold_email(address)
    if not cleaned.isascii():
        raise ValidationError(
            "Please type the address using plain letters and digits (a to z, 0 to 9); "
            "it has a character that can look like another one.",
            code="email_not_ascii",
        )
    return cleaned


def fold_email(address: str) -> str:
    """Compatibility-normalised and lower-cased, without judging it (see normalise_email)."""
    return unicodedata.normalize("NFKC", address).strip().lower()
