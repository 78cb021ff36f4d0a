"""Login accounts: passwords, sessions (the epoch every session cookie carries) and
personal API tokens (issued with an expiry, listed without their secret, revoked).

Every change is an event on the ``Account`` aggregate, so each web worker — on SQLite or
PostgreSQL — sees a logout or a revocation as soon as its aggregate cache has caught up
with the log, which it does before every read."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from caseflow.application.core import CaseflowCore
from caseflow.application.security import (
    check_password,
    dummy_hash,
    hash_password,
    new_token,
    token_hash,
)
from caseflow.application.views import Plain
from caseflow.domain import clock
from caseflow.domain.base import SYSTEM
from caseflow.domain.errors import InvalidInput, NotFoundError
from caseflow.domain.index import Index
from caseflow.domain.organisation import Account, ApiToken, Person
from caseflow.domain.permissions import Grant, may_manage_organisation

#: Days a new API token is valid unless asked otherwise, and the longest allowed.
DEFAULT_TOKEN_DAYS = 365  # issue 16: a token lasts a year unless told otherwise
MAX_TOKEN_DAYS = 366

#: The role recorded when a person acts on their own account (logout, revoking a token).
SELF = "self"


@dataclass(frozen=True)
class TokenView(Plain):
    """A token as its owner (and auditors) may see it: never the secret or its hash."""

    id: str
    label: str
    created_at: datetime
    expires_at: datetime
    last_four: str | None
    revoked_at: datetime | None
    status: str  # active | expired | revoked
    #: When it last authenticated a request (None: never, or no use store is given).
    last_used_at: datetime | None = None


class TokenUseStorage(Protocol):
    """When each API token was last used, by the SHA-256 of its secret: a table of its own
    (the adapter: ``caseflow.persistence.token_uses``), not an event per request."""

    def used(self, token_hash: str, at: datetime) -> None: ...

    def last_used(self, token_hashes: Sequence[str]) -> dict[str, datetime]: ...


@dataclass(frozen=True)
class LoginView:
    """A correct e-mail and password: whose, which account, and its session epoch."""

    person_id: UUID
    account_id: UUID
    epoch: int


@dataclass(frozen=True)
class TokenCheck:
    """What a bearer token is worth now: its person, or why not (``problem``:
    ``invalid``, ``expired`` or ``revoked``)."""

    person_id: UUID | None
    problem: str | None = None


def token_view(token: ApiToken, now: datetime) -> TokenView:
    return TokenView(
        id=token.id,
        label=token.label,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_four=token.last_four or None,
        revoked_at=token.revoked_at,
        status=token.problem(now) or "active",
    )


class AccountService:
    """Accounts, sessions and API tokens."""

    def __init__(self, core: CaseflowCore) -> None:
        self.core = core
        self.uses: TokenUseStorage | None = None

    def use_token_use_store(self, store: TokenUseStorage) -> None:
        """Record and show API tokens' last use (composition roots: ``open_token_uses``)."""
        self.uses = store

    # -- passwords and sessions -------------------------------------------------------

    def create_account(
        self, actor_id: UUID | str | None, email: str, password: str, person_id: UUID | None = None
    ) -> UUID:
        """A login for an already registered person (found by e-mail unless given). For
        an existing login this sets a new password, which ends its sessions."""
        email = email.strip().lower()
        if len(password) < 4:
            raise InvalidInput.field("password", "at least 4 characters")
        pid = person_id or self.find_person_id(email)

        def command() -> UUID:
            grant = may_manage_organisation(self.core.actor(actor_id, groups=()))
            existing = self.core.for_command(Account, Account.create_id(email), optional=True)
            if existing is not None:
                existing.change_password(hash_password(password), grant)
                self.core.save_all(existing)
                return existing.id
            account = Account._create(
                Account.Opened,
                email=email,
                person_id=pid,
                password_hash=hash_password(password),
                actor=grant.actor,
                role=grant.role,
                on_behalf_of=grant.on_behalf_of,
            )
            self.core.save_all(account)
            return account.id

        return self.core.retrying(command)

    def find_person_id(self, email: str) -> UUID:
        person = self.core.for_query(Person, Person.create_id(email), optional=True)
        if person is None:
            raise NotFoundError("No person with e-mail %(email)s.", field="email", email=email)
        return person.id

    def login(self, email: str, password: str) -> LoginView | None:
        """The account for a correct e-mail and password, else None. An unknown e-mail
        costs the same one scrypt as a known one (checked against a dummy hash)."""
        account = self.core.for_query(
            Account, Account.create_id(email.strip().lower()), optional=True
        )
        if account is None:
            check_password(dummy_hash(), password)
            return None
        if not check_password(account.password_hash, password):
            return None
        return LoginView(account.person_id, account.id, account.session_epoch)

    def authenticate(self, email: str, password: str) -> UUID | None:
        """The person id for a correct e-mail and password, else None."""
        found = self.login(email, password)
        return found.person_id if found else None

    def session_epoch(self, account_id: UUID, person_id: UUID) -> int | None:
        """The account's session epoch now (None: no such account for that person). A
        session cookie is good only while it carries this number."""
        with self.core.reading():
            account = self.core.for_query(Account, account_id, optional=True)
        if account is None or account.person_id != person_id:
            return None
        return int(account.session_epoch)

    def end_sessions(
        self, actor_id: UUID | str | None, account_id: UUID, reason: str = "logout"
    ) -> None:
        """End every session of the account (the person themself, or the secretariat)."""

        def command() -> None:
            account = self.core.for_command(Account, account_id, "account")
            grant = self._account_grant(actor_id, account)
            account.end_sessions(reason, grant)
            self.core.save_all(account)

        self.core.retrying(command)

    def account_of(self, person_id: UUID) -> UUID | None:
        """The id of the person's login, if they have one."""
        with self.core.reading():
            person = self.core.for_query(Person, person_id, optional=True)
            if person is None:
                return None
            account = self.core.for_query(Account, Account.create_id(person.email), optional=True)
        return account.id if account is not None and account.person_id == person_id else None

    def _account_grant(self, actor_id: UUID | str | None, account: Account) -> Grant:
        """The account's own person acts as ``self``; anyone else must be allowed to
        manage the organisation (the secretariat, the command line)."""
        if actor_id is not None and actor_id != SYSTEM:
            pid = actor_id if isinstance(actor_id, UUID) else UUID(str(actor_id))
            if pid == account.person_id:
                return Grant(pid.hex, SELF, None)
        return may_manage_organisation(self.core.actor(actor_id, groups=()))

    # -- API tokens -------------------------------------------------------------------

    def issue_token(
        self,
        actor_id: UUID | str | None,
        email: str,
        label: str = "cli",
        expires_days: int = DEFAULT_TOKEN_DAYS,
    ) -> str:
        """A new personal API token for the account, valid ``expires_days`` days; only its
        hash (and its last four characters) is stored. Returns the secret (shown once).
        The person issues their own; the secretariat (and the command line) anyone's."""
        if not 1 <= expires_days <= MAX_TOKEN_DAYS:
            raise InvalidInput.field("expires", "between 1 and %(n)s days", n=MAX_TOKEN_DAYS)
        token = new_token()
        digest = token_hash(token)

        def command() -> str:
            account = self.core.for_command(
                Account, Account.create_id(email.strip().lower()), optional=True
            )
            if account is None:
                may_manage_organisation(self.core.actor(actor_id, groups=()))  # 403 first
                raise NotFoundError("No login for %(email)s.", field="email", email=email)
            # the account's own person (``/meg``) as ``self``, else the secretariat / CLI
            grant = self._account_grant(actor_id, account)
            expires_at = clock.now() + timedelta(days=expires_days)
            token_id = secrets.token_hex(6)
            account.issue_token(token_id, digest, label, expires_at, token[-4:], grant)
            index = Index._create(
                Index.Indexed,
                kind="token",
                key=digest,
                target=account.id,
                actor=grant.actor,
                role=grant.role,
                on_behalf_of=grant.on_behalf_of,
            )
            self.core.save_all(account, index)
            return token

        return self.core.retrying(command)

    def check_token(self, token: str) -> TokenCheck:
        """Whose token this is, if it is known, not revoked and not expired."""
        digest = token_hash(token)
        with self.core.reading():
            index = self.core.for_query(Index, Index.create_id("token", digest), optional=True)
            account = (
                self.core.for_query(Account, index.target, optional=True)
                if index is not None
                else None
            )
        found = account.token_by_hash(digest) if account is not None else None
        if account is None or found is None:
            return TokenCheck(None, "invalid")
        now = clock.now()
        problem = found.problem(now)
        if problem is None and self.uses is not None:
            self.uses.used(digest, now)
        return TokenCheck(None if problem else account.person_id, problem)

    def person_for_token(self, token: str) -> UUID | None:
        return self.check_token(token).person_id

    def list_tokens(self, person_id: UUID) -> list[TokenView]:
        """The person's tokens, newest first: active, expired and revoked."""
        account_id = self.account_of(person_id)
        return self._tokens(account_id)

    def tokens_of(self, email: str) -> list[TokenView]:
        """The tokens of the login ``email`` (for the command line)."""
        with self.core.reading():
            account = self.core.for_query(
                Account, Account.create_id(email.strip().lower()), optional=True
            )
        if account is None:
            raise NotFoundError("No login for %(email)s.", field="email", email=email)
        return self._tokens(account.id)

    def _tokens(self, account_id: UUID | None) -> list[TokenView]:
        if account_id is None:
            return []
        with self.core.reading():
            account = self.core.for_query(Account, account_id, optional=True)
        if account is None:
            return []
        now = clock.now()
        tokens = list(account.tokens.values())
        used = self.uses.last_used([t.token_hash for t in tokens]) if self.uses else {}
        views = [replace(token_view(t, now), last_used_at=used.get(t.token_hash)) for t in tokens]
        return sorted(views, key=lambda v: v.created_at, reverse=True)

    def revoke_token(
        self,
        actor_id: UUID | str | None,
        owner: UUID | str,
        token_id: str | None = None,
        reason: str = "revoked",
    ) -> list[TokenView]:
        """Revoke one token of ``owner`` (a person id, or a login's e-mail), or with no
        ``token_id`` every token still active. A token of someone else is not found
        (404). Returns the tokens revoked."""

        def command() -> list[TokenView]:
            account = self._owner_account(owner)
            grant = self._account_grant(actor_id, account)
            now = clock.now()
            if token_id is not None:
                if account.token(token_id) is None:
                    raise NotFoundError("token not found", token=token_id)
                ids = [token_id]
            else:
                ids = [t.id for t in account.tokens.values() if t.problem(now) is None]
            for tid in ids:
                account.revoke_token(tid, reason, grant)
            if ids:
                self.core.save_all(account)
            return [token_view(account.tokens[tid], now) for tid in ids]

        return self.core.retrying(command)

    def _owner_account(self, owner: UUID | str) -> Account:
        if isinstance(owner, UUID):
            account_id = self.account_of(owner)
            if account_id is None:
                raise NotFoundError("token not found")
            return self.core.for_command(Account, account_id, "account")
        account = self.core.for_command(
            Account, Account.create_id(owner.strip().lower()), optional=True
        )
        if account is None:
            raise NotFoundError("No login for %(email)s.", field="email", email=owner)
        return account
