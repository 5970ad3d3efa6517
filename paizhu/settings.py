"""Settings of every Paizhu process, from environment variables prefixed `PAIZHU_` (see README)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import quote

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PAIZHU_", env_nested_delimiter="__", extra="ignore",
        env_ignore_empty=True,  # `PAIZHU_X=` is unset: an empty secret is a missing one, never one that matches
    )

    mode: Literal["embedded", "distributed"] = "embedded"
    data_dir: Path = Field(default=Path("data"), description="embedded stores, read models, keys, blobs")
    host: str = "127.0.0.1"
    port: int = 8000
    demo: bool = Field(default=True, description="seed the demo scenario on first start (embedded)")
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = Field(
        default="auto", description="auto: JSON lines unless standard error is a terminal")
    metrics_port: int | None = Field(
        default=None, description="relays and projectors: serve Prometheus /metrics on this port (none: off)")
    metrics_host: str = Field(default="127.0.0.1", description="address of the relays' and projectors' metrics")
    rebuild_changed_projections: bool = Field(
        default=True, description="a read model whose schema version changed is rebuilt on start; "
        "false: the process refuses to start instead")

    # PostgreSQL (distributed): one schema per service, read models in schema `read_models`
    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_user: str = "postgres"
    pg_password: SecretStr = SecretStr("")
    pg_dbname: str = "paizhu"
    read_model_url: str | None = Field(default=None, description="read-model database; default derived")
    read_model_pool_size: int = Field(
        default=8, ge=1, le=200, description="connections of a process's read-model pool (PostgreSQL); the "
        "gateway lets as many reads run at once and queues the others without holding a thread")
    gateway_workers: int | None = Field(
        default=None, ge=1, le=64, description="distributed: the gateway's worker processes (each with its own "
        "read-model pool; failed sign-ins are counted in the read-model database, shared by all); default: the "
        "machine's cores, at most 4")
    membership_cache_ms: int = Field(
        default=250, ge=0, le=10_000, description="distributed: a gateway process answers a membership from "
        "memory while the membership read model's committed generation, read at most this often, has not moved; "
        "a member removed is refused at most this long after the projector committed the removal (0: every "
        "request reads the read model)")

    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_partitions: int = 1

    # distributed: where the gateway finds each service's command interface
    ledgers_url: str = "http://127.0.0.1:8101"
    clues_url: str = "http://127.0.0.1:8102"
    inspections_url: str = "http://127.0.0.1:8103"
    units_url: str = "http://127.0.0.1:8104"
    service_token: SecretStr | None = Field(default=None, description="shared secret gateway -> services")
    operator_token: SecretStr | None = Field(
        default=None, description="secret an operator sends as X-Paizhu-Operator-Token to see /readyz's details "
                                  "(distributed: defaults to the service token; unset in embedded mode: none shown)")

    # keys: given here in production; generated in data_dir/keys (mode 0600) in embedded mode
    cipher_services: list[str] = Field(default=["clues"], description="services whose store is encrypted")
    cipher_keys: dict[str, SecretStr] = Field(default_factory=dict)
    checkpoint_signing_key: SecretStr | None = None
    token_signing_key: SecretStr | None = None
    clues_sealing_private_key: SecretStr | None = None
    clues_sealing_public_key: str | None = Field(
        default=None, description="X25519 public key (base64) for processes that seal but never open clue content"
    )
    checkpoint_interval_seconds: float = 60.0
    scheduler_interval_seconds: float = Field(default=60.0, description="how often deadlines are checked")
    first_agenda_threshold_days: int = Field(
        default=7, ge=0, description="第一议题: working days after receipt within which the unit's party group "
        "studies a directive; the seed says only 第一时间 (services/ledgers/first_agenda.py)")

    # authentication (distributed): an external OpenID Connect provider
    oidc_jwks_url: str | None = None
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    token_ttl_minutes: int = 480
    session_idle_minutes: int = Field(
        default=30, ge=1, le=1440, description="a portal session idle longer than this is signed out")
    builtin_accounts: bool | None = Field(
        default=None, description="accept the built-in (demo) accounts; default: embedded yes, distributed no")

    def builtin_accounts_enabled(self) -> bool:
        return self.builtin_accounts if self.builtin_accounts is not None else self.mode == "embedded"

    @field_validator(
        "service_token", "checkpoint_signing_key", "token_signing_key", "clues_sealing_private_key",
        "clues_sealing_public_key", mode="before",
    )
    @classmethod
    def _blank_is_missing(cls, value: object) -> object:
        """`PAIZHU_SERVICE_TOKEN=` (set but empty) is a missing secret, never an empty one that matches."""
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("cipher_keys", mode="after")
    @classmethod
    def _blank_cipher_keys_are_missing(cls, value: dict[str, SecretStr]) -> dict[str, SecretStr]:
        return {name: key for name, key in value.items() if key.get_secret_value().strip()}

    def service_url(self, service: str) -> str:
        url: str = getattr(self, f"{service}_url")
        return url

    def pg_dsn(self, dbname: str | None = None) -> str:
        """A `postgresql://` URI with user, password and database percent-encoded: a password such as
        `p@ss/w:rd#1`, chosen by an operator, reaches PostgreSQL intact."""
        password = self.pg_password.get_secret_value()
        auth = quote(self.pg_user, safe="") + (f":{quote(password, safe='')}" if password else "")
        host = f"[{self.pg_host}]" if ":" in self.pg_host else self.pg_host  # an IPv6 address
        return f"postgresql://{auth}@{host}:{self.pg_port}/{quote(dbname or self.pg_dbname, safe='')}"

    def read_models_url(self) -> str:
        if self.read_model_url:
            return self.read_model_url
        if self.mode == "embedded":
            return f"sqlite://{(self.data_dir / 'read_models.db').resolve()}"
        return self.pg_dsn()
