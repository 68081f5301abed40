"""Users sign in by email; an organization is a tenant; a membership gives a user a role in one."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone

from socready.accounts import totp
from socready.audit.models import Audited


class UserManager(BaseUserManager["User"]):
    """Creates users keyed by email (there is no separate username)."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("an email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person; signs in with email and password, optionally with a TOTP second factor."""

    # Signing in is by email: the inherited username column is removed (the stubs type it as a field).
    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    totp_secret = models.CharField(max_length=64, blank=True, default="")
    # The time step of the last code accepted: that code and older ones are refused from then on.
    totp_last_step = models.BigIntegerField(default=0)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs type AbstractUser.objects as Django's username-based manager; this one keys users by email.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def use_totp_code(self, code: str) -> bool:
        """Accept ``code`` once: True if it is right and newer than the last code accepted, recording its step.

        A conditional UPDATE, so two requests racing with the same code cannot both succeed.
        """
        step = totp.matched_step(self.totp_secret, code)
        if step is None:
            return False
        taken = User.objects.filter(pk=self.pk, totp_last_step__lt=step).update(totp_last_step=step) == 1
        if taken:
            self.totp_last_step = step
        return taken

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    CONTRIBUTOR = "contributor", "Contributor"
    AUDITOR = "auditor", "Auditor (read-only)"


# Roles that may change the program. Auditors read, comment and accept or flag evidence requests only.
WRITE_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.CONTRIBUTOR})
MANAGE_ROLES = frozenset({Role.OWNER, Role.ADMIN})


class Organization(Audited):
    """A tenant: one service organization preparing for its SOC reports."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_organization_id(self) -> int | None:
        return self.pk


class Membership(Audited):
    """A user's role in one organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org")]
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} as {self.role}"

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGE_ROLES


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=7)


class Invitation(Audited):
    """An emailed link that lets a person join an organization with a role."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class SignInStep(models.TextChoices):
    PASSWORD = "password", "Password"
    CODE = "code", "Second-factor code"


class SignInFailure(models.Model):
    """One wrong password or second-factor code: kept as a record, and counted to slow down guessing.

    ``account`` is the email address as typed, whether or not anyone has it, so a refusal looks the same for
    every address. A failure that brings the count to the limit carries the end of the cool-down it starts.
    """

    at = models.DateTimeField(default=timezone.now)
    step = models.CharField(max_length=10, choices=SignInStep.choices)
    account = models.CharField(max_length=254)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    client = models.CharField("client address", max_length=45, blank=True, default="")
    account_locked_until = models.DateTimeField(null=True, blank=True)
    client_locked_until = models.DateTimeField(null=True, blank=True)
    # A successful sign-in stops the account's earlier failures counting; the rows stay as a record.
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["account", "at"]), models.Index(fields=["client", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} wrong {self.step} for {self.account} from {self.client or '?'}"


class PasswordResetRequest(models.Model):
    """One request for a password-reset e-mail, counted so nobody can flood an inbox or the mail server.

    ``account`` is the address as typed (normalized), whether or not anyone has it; ``sent`` says whether a
    message went out (it does not when a limit was reached or nobody has the address).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    account = models.CharField(max_length=254)
    client = models.CharField("client address", max_length=45, blank=True, default="")
    sent = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["account", "at"]), models.Index(fields=["client", "at"])]

    def __str__(self) -> str:
        return f"{self.account} at {self.at:%Y-%m-%d %H:%M}"
