from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from interlude.accounts.timezones import validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Never shared: each partner of a couple has their own."""

    class Kind(models.TextChoices):
        THERAPIST = "therapist", "Therapist"
        CLIENT = "client", "Client"
        PRACTICE_ADMIN = "practice_admin", "Practice admin"

    email = models.EmailField(unique=True)
    name = models.CharField("what you'd like to be called", max_length=80, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CLIENT)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # A name from the tz database ("Pacific/Auckland"), confirmed by the person; blank until
    # then, and times are shown in UTC meanwhile.
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@", 1)[0]

    @property
    def time_zone_label(self) -> str:
        """The zone as people read it: "America/Los Angeles"."""
        return self.time_zone.replace("_", " ")

    @property
    def is_therapist(self) -> bool:
        return self.kind == self.Kind.THERAPIST

    @property
    def is_client(self) -> bool:
        return self.kind == self.Kind.CLIENT

    @property
    def is_practitioner(self) -> bool:
        """Therapists and practice admins: staff of a practice, who must use two-step sign-in."""
        return self.kind in (self.Kind.THERAPIST, self.Kind.PRACTICE_ADMIN)
