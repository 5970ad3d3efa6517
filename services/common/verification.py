"""Verifying a service's stored log from its raw rows: every hash chain and every signed checkpoint.

Light on purpose: no domain class, no application. Each stored event's hash is recomputed from the canonical
encoding of its JSON state (decoded once, the transcoder's typed values turned into the plain strings the hash was
computed over), so the hot loop is decode, encode, SHA-256. The hot loop uses orjson (`_fast_hash`): its sorted,
compact output is byte for byte the canonical encoding of events/envelope.py (the one encoding rule) for the
values events hold, and where it might not be (a float, a huge integer, a string orjson refuses) the event is
decoded and encoded again the standard way, then the slow way (`fallback`: the domain event itself), before
anything is reported. Equal bytes are the same JSON value, so a faster path can only confirm, never accuse.

A finding names exactly the event concerned: `altered` (its content no longer matches its hash), `removed` (a
version missing from its stream, or a signed head or stream gone), `inserted` (an event that is not part of the
chain or not covered by the checkpoint that covers its position), `reordered` (events stored at each other's
versions: a swapped pair is reported as that pair and nothing else), `checkpoint` (a bad signature, or the log
up to a signed checkpoint differs where no single event explains it).
"""

from __future__ import annotations

import base64
import functools
import gc
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from events.envelope import GENESIS_HASH, canonical_plain

_quote: Callable[[str], str] = json.encoder.encode_basestring
"""A JSON string as `json.dumps(..., ensure_ascii=False)` writes it."""

CHECKPOINT_NAMESPACE = uuid.UUID("0b7f1f0e-55a8-4c1e-9a51-636b70743031")
CHECKPOINT_SIGNED = "CheckpointLog.Signed"
"""Type name (qualname) of a signed checkpoint event."""


def checkpoint_log_id(service: str) -> uuid.UUID:
    return uuid.uuid5(CHECKPOINT_NAMESPACE, service)


def log_step(digest: str, position: int, stream_id: str, version: int, event_hash: str) -> str:
    """The running digest of a log: one step per event (position, stream, version, hash).

    The bytes are `canonical_plain([position, stream_id, version, event_hash])`, formatted directly (hot loop).
    """
    step = f"{digest}[{int(position)},{_quote(stream_id)},{int(version)},{_quote(event_hash)}]"
    return hashlib.sha256(step.encode("utf-8")).hexdigest()


def heads_digest(heads: dict[str, list[Any]]) -> str:
    return hashlib.sha256(canonical_plain(heads)).hexdigest()


def _head_leaf(stream_id: str, head: list[Any]) -> bytes:
    """A stream's head as a leaf of the heads tree: SHA-256 of 0x00 + canonical [stream, version, hash]."""
    encoded = f"[{_quote(stream_id)},{int(head[0])},{_quote(str(head[1]))}]".encode()
    return hashlib.sha256(b"\x00" + encoded).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _tree(heads: dict[str, list[Any]]) -> tuple[list[str], list[list[bytes]]]:
    """Every level of the heads tree, leaves first: `_head_leaf` (its bytes written by orjson where they are the
    same) and `_node`, inlined (a store has a head per stream: the verifier's and the export's largest step)."""
    order = sorted(heads)
    sha256, dumps, leaf = hashlib.sha256, orjson.dumps, _head_leaf
    level: list[bytes] = []
    append = level.append
    for stream in order:
        head = heads[stream]
        version, digest = head[0], head[1]
        if type(version) is int and type(digest) is str and type(stream) is str:
            try:  # orjson's compact output is the canonical encoding of a string and an integer
                append(sha256(b"\x00" + dumps((stream, version, digest))).digest())
                continue
            except orjson.JSONEncodeError:  # a huge integer or a lone surrogate: the canonical way decides
                pass
        append(leaf(stream, head))
    levels = [level]
    while len(level) > 1:  # pairs from the left; an odd last node goes up as it is
        paired = [sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
        levels.append(level)
    return order, levels


def heads_root(heads: dict[str, list[Any]]) -> str:
    """The Merkle root of the heads map (leaves sorted by stream id): what a checkpoint signs so that one
    stream's head can be proven without naming the others (`heads_proof`)."""
    if not heads:
        return hashlib.sha256(b"").hexdigest()
    return _tree(heads)[1][-1][0].hex()


def heads_proofs(heads: dict[str, list[Any]], streams: Iterable[str]) -> dict[str, list[list[str]]]:
    """For each of these streams, the path from its leaf to the root: [["L" | "R", sibling hash], …], where "L"
    means the sibling is on the left. Only hashes: no other stream's id."""
    order, levels = _tree(heads)
    index = {stream: i for i, stream in enumerate(order)}
    proofs: dict[str, list[list[str]]] = {}
    for stream in streams:
        i = index[stream]
        path: list[list[str]] = []
        for level in levels[:-1]:
            sibling = i ^ 1
            if sibling < len(level):
                path.append(["L" if sibling < i else "R", level[sibling].hex()])
            i //= 2
        proofs[stream] = path
    return proofs


def checkpoint_statement(service: str, position: int, log_digest: str, heads_digest_: str,
                         heads_root_: str | None = None) -> bytes:
    """The bytes a checkpoint's Ed25519 signature covers (with the heads' Merkle root since it is recorded;
    earlier checkpoints signed without it)."""
    statement = {"service": service, "position": position, "log_digest": log_digest, "heads_digest": heads_digest_}
    if heads_root_:
        statement["heads_root"] = heads_root_
    return canonical_plain(statement)


class StoredRow(Protocol):
    """A stored event as a recorder returns it (eventsourcing's `Notification`)."""

    id: int
    originator_id: Any
    originator_version: int
    topic: str
    state: bytes


class UnknownTranscoding(ValueError):
    """The stored JSON holds a typed value the fast decoder does not know (the slow path decides)."""


_PLAIN_TYPES = frozenset({"datetime_iso", "date_iso", "decimal_str"})


def _plain_hook(obj: dict[str, Any]) -> Any:
    """eventsourcing's JSON transcoding `{"_type_": name, "_data_": value}` → the plain form the hash covers."""
    if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
        kind, data = obj["_type_"], obj["_data_"]
        if kind in _PLAIN_TYPES:  # isoformat() and str() round-trip to the same string
            return data
        if kind == "uuid_hex":
            return str(uuid.UUID(data))
        raise UnknownTranscoding(kind)
    return obj


_decode_json = json.JSONDecoder(object_hook=_plain_hook).decode


def _untyped(value: dict[str, Any]) -> Any:
    """The plain form of a typed value, exactly as `_plain_hook` gives it (or the object with its members
    made plain)."""
    if len(value) == 2 and "_type_" in value and "_data_" in value:
        return _plain_hook(value)
    _make_plain(value)
    return value


def _make_plain(obj: dict[str, Any]) -> None:
    """`_plain_hook` applied in place to every object under `obj` (for a decoder without object hooks)."""
    for key, value in obj.items():
        kind = type(value)
        if kind is dict:
            obj[key] = _untyped(value)
        elif kind is list:
            value[:] = [_untyped(v) if type(v) is dict else v for v in value]
            for item in value:
                if type(item) is list:
                    _make_plain({"": item})


_SORTED = orjson.OPT_SORT_KEYS
_sha256 = hashlib.sha256
_TYPED = b'"_type_"'


_typed_keys: dict[str, tuple[str, ...]] = {}
"""Per event type, the members of the state that held a typed value last time (looked at first)."""


def _untype_members(fields: dict[str, Any], keys: Iterable[str], typed: int, found: list[str] | None) -> int:
    """The typed values among these members of the state made plain (as the hook); how many typed remain."""
    for key in keys:
        value = fields.get(key)
        if type(value) is dict and len(value) == 2:
            kind = value.get("_type_")
            if kind is None or "_data_" not in value:
                continue
            fields[key] = value["_data_"] if kind in _PLAIN_TYPES else _plain_hook(value)  # as the hook
            typed -= 1
            if found is not None:
                found.append(key)
    return typed


def _fast_hash(text: bytes, stream_id: str, version: int, type_name: str) -> tuple[str, str] | None:
    """(stored hash, prev_hash) when the event's content matches its hash, decoded and encoded with orjson;
    None when it does not, or when orjson cannot say (the standard way decides)."""
    try:
        fields = orjson.loads(text)
        if type(fields) is not dict:
            return None
        typed = text.count(_TYPED)  # at least the number of typed values (a string "_type_" counts too)
        if typed:  # the typed values are members of the state itself, mostly: those of the type's last event first
            known = _typed_keys.get(type_name)
            if known:
                typed = _untype_members(fields, known, typed, None)
            if typed:
                found: list[str] = []
                typed = _untype_members(fields, list(fields), typed, found)
                if found:
                    _typed_keys[type_name] = tuple(dict.fromkeys((*(known or ()), *found)))
                if typed:
                    _make_plain(fields)
        stored = fields.pop("hash", None)
        fields["originator_id"] = stream_id
        fields["originator_version"] = version
        fields["type"] = type_name
        if type(stored) is str and _sha256(orjson.dumps(fields, option=_SORTED)).hexdigest() == stored:
            return stored, fields.get("prev_hash", "")
    except (orjson.JSONDecodeError, orjson.JSONEncodeError, UnknownTranscoding, ValueError, TypeError):
        pass
    return None


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_HEX_UUID = re.compile(r"[0-9a-f]{32}")


def canonical_stream_id(stored: str) -> str:
    """A stored originator id (32 lowercase hex digits, as the SQLite recorder keeps it) as `stream_key` gives it,
    without building a UUID."""
    if type(stored) is str and _HEX_UUID.fullmatch(stored):
        return f"{stored[:8]}-{stored[8:12]}-{stored[12:16]}-{stored[16:20]}-{stored[20:]}"
    return stream_key(stored)


class RawRow:
    """A stored row read straight from the table (StoredRow), its stream id already canonical."""

    __slots__ = ("id", "originator_id", "originator_version", "topic", "state")

    def __init__(self, id: int, originator_id: str, originator_version: int, topic: str, state: bytes) -> None:
        self.id = id
        self.originator_id = originator_id
        self.originator_version = originator_version
        self.topic = topic
        self.state = state


def stream_key(originator_id: Any) -> str:
    """A stream id as the hash covers it (a UUID's canonical string)."""
    if isinstance(originator_id, uuid.UUID):
        return str(originator_id)
    if type(originator_id) is str and _CANONICAL_UUID.fullmatch(originator_id):
        return originator_id
    try:
        return str(uuid.UUID(str(originator_id)))
    except ValueError:
        return str(originator_id)


class RowDecoder:
    """Turns a stored row into the plain fields its hash covers (`hash` included)."""

    def __init__(self, cipher: Any = None, compressor: Any = None,
                 fallback: Callable[[StoredRow], dict[str, Any]] | None = None) -> None:
        self.cipher = cipher
        self.compressor = compressor
        self.fallback = fallback
        """The slow way: the plain fields of the decoded domain event (used when the fast way disagrees)."""

    def plaintext(self, row: StoredRow) -> bytes:
        """The stored JSON state of a row (decrypted, decompressed)."""
        return self.plain_state(row.state)

    def plain_state(self, state: bytes) -> bytes:
        """A stored state decrypted and decompressed."""
        if self.cipher is not None:
            state = self.cipher.decrypt(state)
        if self.compressor is not None:
            state = self.compressor.decompress(state)
        return bytes(state)

    def fields(self, row: StoredRow, stream_id: str) -> dict[str, Any]:
        fields: dict[str, Any] = _decode_json(self.plaintext(row).decode("utf-8"))
        fields["originator_id"] = stream_id
        fields["originator_version"] = row.originator_version
        fields["type"] = row.topic.rpartition(":")[2]
        return fields


def hash_at(fields: dict[str, Any], version: int) -> str:
    """The chain hash of an event's fields as if it were stored at `version`."""
    body = {k: v for k, v in fields.items() if k != "hash"}
    body["originator_version"] = version
    return hashlib.sha256(canonical_plain(body)).hexdigest()


def fields_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of the canonical encoding of the fields (`hash` left out)."""
    stored = fields.pop("hash", None)
    try:
        return hashlib.sha256(canonical_plain(fields)).hexdigest()
    finally:
        if stored is not None:
            fields["hash"] = stored


def fields_match(fields: dict[str, Any]) -> bool:
    """Do the plain fields match their own `hash`? orjson's sorted compact encoding first (byte for byte the
    canonical one for what events hold); where it disagrees the canonical encoding decides, so a faster path can
    only confirm, never accuse."""
    stored = fields.get("hash")
    if type(stored) is not str:
        return False
    body = {k: v for k, v in fields.items() if k != "hash"}
    try:
        if _sha256(orjson.dumps(body, option=_SORTED)).hexdigest() == stored:
            return True
    except (orjson.JSONEncodeError, TypeError):
        pass
    return hashlib.sha256(canonical_plain(body)).hexdigest() == stored


@dataclass(frozen=True)
class Finding:
    kind: str
    """altered | removed | inserted | reordered | checkpoint"""
    service: str
    stream_id: str
    version: int | None
    position: int | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class StoreReport:
    service: str
    events: int = 0
    streams: int = 0
    checkpoints: int = 0
    checkpoint_position: int = 0
    unsigned_events: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict[str, Any]:
        return {
            "service": self.service, "intact": self.intact, "events": self.events, "streams": self.streams,
            "checkpoints": self.checkpoints, "checkpoint_position": self.checkpoint_position,
            "unsigned_events": self.unsigned_events, "findings": [f.as_dict() for f in self.findings],
        }


class _Entry:
    """One stored event as the verifier keeps it: its own hash and link, and its fields only when it is wrong."""

    __slots__ = ("error", "fields", "hash", "ok", "position", "prev_hash")

    def __init__(self, position: int, hash_: str, prev_hash: str, ok: bool,
                 fields: dict[str, Any] | None, error: str = "") -> None:
        self.position = position
        self.hash = hash_
        self.prev_hash = prev_hash
        self.ok = ok
        self.fields = fields
        self.error = error


def _entry(decoder: RowDecoder, row: StoredRow, stream_id: str, fast_tried: bool = False) -> _Entry:
    fast = None
    if not fast_tried:
        try:
            fast = _fast_hash(decoder.plaintext(row), stream_id, row.originator_version,
                              row.topic.rpartition(":")[2])
        except Exception:  # noqa: BLE001 (ciphertext altered: the standard way below names it)
            fast = None
    if fast is not None:
        return _Entry(row.id, fast[0], fast[1], True, None)
    problem = ""
    fields: dict[str, Any] | None
    try:
        fields = decoder.fields(row, stream_id)
        stored_hash = fields.get("hash", "")
        ok = fields_hash(fields) == stored_hash
    except Exception as error:  # ciphertext or JSON altered beyond decoding, or a typed value of its own
        fields, stored_hash, ok = None, "", False
        problem = type(error).__name__
    if not ok and decoder.fallback is not None:
        try:
            fields = decoder.fallback(row)
            stored_hash = fields.get("hash", "")
            ok = fields_hash(fields) == stored_hash
        except Exception as error:
            problem = type(error).__name__
    if fields is None:
        return _Entry(row.id, "", "", False, None, problem)
    return _Entry(row.id, stored_hash, fields.get("prev_hash", ""), ok, None if ok else fields)


Row = tuple[int, str, int, str, bytes]
"""A stored row as the verifier reads it: (position, canonical stream id, version, topic, state)."""


def plain_rows(rows: Iterable[StoredRow]) -> Iterator[Row]:
    """Stored rows (StoredRow) as `Row` tuples, each stream id made canonical once."""
    ids: dict[Any, str] = {}
    for row in rows:
        if type(row) is RawRow:  # a raw row's id is canonical already
            stream = row.originator_id
        else:
            stream = ids.get(row.originator_id)  # type: ignore[assignment]
            if stream is None:
                stream = ids[row.originator_id] = stream_key(row.originator_id)
        yield row.id, stream, row.originator_version, row.topic, row.state


class _Part:
    """What the verifier keeps of (a part of) a stored log: each stream's entries, the signed checkpoints read,
    and the log step of every other event in position order (`_step_tail`)."""

    __slots__ = ("checkpoints", "events", "steps", "streams")

    def __init__(self) -> None:
        self.streams: dict[str, dict[int, _Entry]] = {}
        self.checkpoints: list[dict[str, Any]] = []
        self.steps: list[tuple[int, bytes]] = []
        self.events = 0


def _read(rows: Iterable[Row], decoder: RowDecoder, log_id: str,
          progress: Callable[[int], None] | None = None) -> _Part:
    """Hash every row (the fast way inline, `_entry` decides whatever it does not confirm): the hot loop."""
    part = _Part()
    streams, steps, checkpoints = part.streams, part.steps, part.checkpoints
    types: dict[str, str] = {}
    plain = decoder.plain_state if decoder.cipher is not None or decoder.compressor is not None else None
    fast_hash, quote, entry_of = _fast_hash, _quote, _Entry
    count = 0
    collecting = gc.isenabled()
    gc.disable()  # the entries kept for the chains are long-lived: collecting while they accumulate is wasted
    try:
        for position, stream, version, topic, state in rows:
            type_name = types.get(topic)
            if type_name is None:
                type_name = types[topic] = topic.rpartition(":")[2]
            try:
                fast = fast_hash(state if plain is None else plain(state), stream, version, type_name)
            except Exception:  # noqa: BLE001 (ciphertext altered: the standard way names it)
                fast = None
            if fast is not None:
                entry = entry_of(position, fast[0], fast[1], True, None)
                quoted = f'"{fast[0]}"'  # a hex digest (it is the SHA-256 of the content)
            else:
                entry = _entry(decoder, RawRow(position, stream, version, topic, state), stream, fast_tried=True)
                quoted = quote(entry.hash)
            entries = streams.get(stream)
            if entries is None:
                entries = streams[stream] = {}
            entries[version] = entry
            if stream == log_id:
                if entry.ok and topic.endswith(CHECKPOINT_SIGNED):
                    checkpoints.append(decoder.fields(RawRow(position, stream, version, topic, state), stream))
            else:
                steps.append((position, f"[{position},{quote(stream)},{version},{quoted}]".encode()))
            count += 1
            if progress is not None and count % 1000 == 0:
                progress(1000)
    finally:
        if collecting:
            gc.enable()
    if progress is not None:
        progress(count % 1000)
    part.events = count
    return part


def _signed(service: str, checkpoints: list[dict[str, Any]], public_key_b64: str,
            log_id: str) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The checkpoints whose signature is valid, and a finding for each other one (one check per checkpoint)."""
    public_key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
    valid, findings = [], []
    for cp in checkpoints:
        statement = checkpoint_statement(service, cp["position"], cp["log_digest"], cp["heads_digest"],
                                         cp.get("heads_root"))
        try:
            public_key.verify(base64.b64decode(cp["signature"]), statement)
            valid.append(cp)
        except (InvalidSignature, ValueError):
            findings.append(Finding("checkpoint", service, log_id, cp["originator_version"], None,
                                    f"checkpoint at position {cp['position']} has an invalid signature"))
    return valid, findings


def _signed_heads(checkpoints: list[dict[str, Any]]) -> dict[str, list[Any]]:
    heads: dict[str, list[Any]] = {}
    for cp in checkpoints:
        heads.update(cp["changed_heads"])
    return heads


class _Findings:
    """A part's findings: its streams' chains, what the signed heads say of its streams, its unsigned events."""

    __slots__ = ("chains", "heads", "unsigned")

    def __init__(self, chains: list[Finding], heads: list[Finding], unsigned: int) -> None:
        self.chains = chains
        self.heads = heads
        self.unsigned = unsigned


def _examine(service: str, part: _Part, valid: list[dict[str, Any]], heads: dict[str, list[Any]], log_id: str,
             owns: Callable[[str], bool] | None = None) -> _Findings:
    """Every chain of the part, then (when a checkpoint is valid) the signed heads of the streams it owns
    (`owns`: all of them by default)."""
    chains: list[Finding] = []
    for stream, entries in part.streams.items():  # 1. every stream's chain
        if not _sound(entries):
            chains.extend(check_stream(service, stream, entries))
    if not valid:
        return _Findings(chains, [], len(part.steps))
    latest_position = valid[-1]["position"]
    owned = heads if owns is None else {s: h for s, h in heads.items() if owns(s)}
    findings, unsigned = _check_heads(service, chains, owned, latest_position, part.streams, log_id)
    return _Findings(chains, findings, unsigned)


def _log_findings(service: str, valid: list[dict[str, Any]], steps: Iterable[tuple[int, bytes]],
                  earlier: bool) -> list[Finding]:
    """The running digest over the log up to each signed checkpoint (steps in position order). `earlier`: some
    finding names the events concerned already (then a differing digest says nothing more)."""
    findings: list[Finding] = []
    latest_position = valid[-1]["position"]
    expected = {cp["position"]: cp["log_digest"] for cp in valid}
    digest = GENESIS_HASH
    sha256 = hashlib.sha256
    reached = False
    for position, step in steps:
        if position > latest_position:
            break
        digest = sha256(digest.encode() + step).hexdigest()
        if position == latest_position:
            reached = True
        if position in expected and expected[position] != digest:
            if not earlier and not findings:
                findings.append(Finding("checkpoint", service, "", None, position,
                                        "the log up to this signed checkpoint differs"))
            expected.pop(position)
    if not reached and not earlier and not findings:
        findings.append(Finding("removed", service, "", None, latest_position,
                                "the event at the latest checkpoint's position is missing"))
    return findings


def _root_findings(service: str, valid: list[dict[str, Any]], heads: dict[str, list[Any]],
                   log_id: str) -> list[Finding]:
    latest = valid[-1]
    if latest.get("heads_root") and heads_root(heads) != latest["heads_root"]:
        return [Finding("checkpoint", service, log_id, latest["originator_version"], latest["position"],
                        "the signed heads root does not match the signed heads")]
    return []


def _report(service: str, parts: list[tuple[int, int, _Findings]], signature_findings: list[Finding],
            valid: list[dict[str, Any]], root_findings: list[Finding], steps: Iterable[tuple[int, bytes]]
            ) -> StoreReport:
    """One store's report from its parts' (events, streams, findings) and the log-wide checks."""
    report = StoreReport(service)
    report.events = sum(events for events, _, _ in parts)
    report.streams = sum(streams for _, streams, _ in parts)
    report.findings = [f for _, _, found in parts for f in found.chains] + signature_findings
    report.checkpoints = len(valid)
    report.unsigned_events = sum(found.unsigned for _, _, found in parts)
    if valid:
        report.checkpoint_position = valid[-1]["position"]
        report.findings += root_findings
        report.findings += _log_findings(service, valid, steps, bool(report.findings))
        report.findings += [f for _, _, found in parts for f in found.heads]
    return report


def verify_rows(service: str, rows: Iterable[StoredRow], public_key_b64: str, decoder: RowDecoder,
                progress: Callable[[int], None] | None = None) -> StoreReport:
    """Walk one service's stored log (in position order): every hash chain, every signed checkpoint."""
    return verify_plain_rows(service, plain_rows(rows), public_key_b64, decoder, progress)


def verify_plain_rows(service: str, rows: Iterable[Row], public_key_b64: str, decoder: RowDecoder,
                      progress: Callable[[int], None] | None = None) -> StoreReport:
    """`verify_rows` of rows read as `Row` tuples already."""
    log_id = str(checkpoint_log_id(service))
    part = _read(rows, decoder, log_id, progress)
    valid, signature_findings = _signed(service, part.checkpoints, public_key_b64, log_id)
    heads = _signed_heads(valid)
    found = _examine(service, part, valid, heads, log_id)
    roots = _root_findings(service, valid, heads, log_id) if valid else []
    return _report(service, [(part.events, len(part.streams), found)], signature_findings, valid, roots,
                   part.steps)


Partition = tuple[Callable[[str], bool], Callable[[], Iterable[Row]]]
"""A part of a stored log: which (canonical) stream ids it owns, and its rows, those streams' in position order."""


def verify_partitions(service: str, checkpoint_rows: Iterable[StoredRow], partitions: list[Partition],
                      public_key_b64: str, decoder: RowDecoder) -> StoreReport:
    """`verify_rows` with the streams split between processes (forked): each hashes its part's rows and checks
    its streams' chains and signed heads; this one checks the signatures first (on the checkpoint stream's rows),
    the heads root meanwhile, and the running digest over the log from every part's steps. The same report."""
    log_id = str(checkpoint_log_id(service))
    checkpoints = _read(plain_rows(checkpoint_rows), decoder, log_id).checkpoints
    valid, signature_findings = _signed(service, checkpoints, public_key_b64, log_id)
    heads = _signed_heads(valid)
    latest_position = valid[-1]["position"] if valid else 0

    def examine(owns: Callable[[str], bool], rows: Callable[[], Iterable[Row]]
                ) -> tuple[int, int, _Findings, list[tuple[int, bytes]]]:
        part = _read(rows(), decoder, log_id)
        found = _examine(service, part, valid, heads, log_id, owns)
        covered = [step for step in part.steps if step[0] <= latest_position]
        return part.events, len(part.streams), found, covered

    tasks: list[Callable[[], Any]] = [functools.partial(examine, owns, rows) for owns, rows in partitions]
    parts, roots = in_processes(tasks, meanwhile=lambda: _root_findings(service, valid, heads, log_id) if valid
                                else [])
    steps = sorted(step for *_, covered in parts for step in covered)
    return _report(service, [(events, streams, found) for events, streams, found, _ in parts], signature_findings,
                   valid, roots, steps)


def in_processes(tasks: list[Callable[[], Any]], meanwhile: Callable[[], Any]) -> tuple[list[Any], Any]:
    """Each task in a forked process of its own, `meanwhile` in this one; the tasks' results (pickled back) and
    `meanwhile`'s. A task's exception is raised here (a RuntimeError with its traceback if it cannot be sent)."""
    import multiprocessing
    import traceback

    context = multiprocessing.get_context("fork")
    running = []
    for task in tasks:
        receiving, sending = context.Pipe(duplex=False)

        def run(task: Callable[[], Any] = task, sending: Any = sending) -> None:
            try:
                sending.send((True, task()))
            except BaseException as error:  # noqa: BLE001 (reported to the parent, which raises it)
                try:
                    sending.send((False, (error, traceback.format_exc())))
                except Exception:  # noqa: BLE001 (an exception that cannot be pickled: its traceback)
                    sending.send((False, (None, traceback.format_exc())))
            finally:
                sending.close()

        process = context.Process(target=run, daemon=True)
        process.start()
        sending.close()
        running.append((process, receiving))
    try:
        own = meanwhile()
        results = []
        for process, receiving in running:
            try:
                ok, value = receiving.recv()
            except EOFError:
                ok, value = False, (None, f"the process ended with exit code {process.exitcode}")
            if not ok:
                error, trace = value
                if isinstance(error, Exception):
                    raise error
                raise RuntimeError(f"a verifying process failed:\n{trace}")
            results.append(value)
        return results, own
    finally:
        for process, receiving in running:
            receiving.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()


def _sound(entries: dict[int, _Entry]) -> bool:
    """The common case, quickly: versions 1…n stored in order, each matching its hash and following the one
    before. Anything else is examined by `check_stream`."""
    previous = GENESIS_HASH
    expected = 1
    for version, entry in entries.items():
        if version != expected or not entry.ok or entry.prev_hash != previous:
            return False
        previous = entry.hash
        expected += 1
    return True


def check_stream(service: str, stream: str, entries: dict[int, _Entry]) -> list[Finding]:
    """One stream's chain: each version present, each event matching its hash and following its predecessor.

    An event whose hash fits another version of the stream was moved there: `reordered`, or `inserted` when it
    is a copy of the event still stored at that version. The predecessor an event must follow is the event that
    truly is the previous version, wherever it is stored: so a swapped pair accuses that pair, not the next one.
    """
    findings: list[tuple[int, Finding]] = []
    true_hash: dict[int, str] = {}
    """version → the hash of the event that is that version (as its content says)"""
    top = max(entries)
    for version in range(1, top + 1):
        entry = entries.get(version)
        if entry is None:
            findings.append((version, Finding("removed", service, stream, version, None,
                                              f"version {version} of the stream is missing")))
        elif entry.fields is None and not entry.ok:
            findings.append((version, Finding("altered", service, stream, version, entry.position,
                                              f"stored event cannot be decoded ({entry.error})")))
        elif entry.ok:
            true_hash.setdefault(version, entry.hash)
        else:
            assert entry.fields is not None
            moved = [v for v in entries if v != version and hash_at(entry.fields, v) == entry.hash]
            twin = entries.get(moved[0]) if moved else None
            if twin is not None and twin.ok and twin.hash == entry.hash:
                findings.append((version, Finding("inserted", service, stream, version, entry.position,
                                                  f"a copy of version {moved[0]} inserted as version {version}")))
            elif moved:
                findings.append((version, Finding("reordered", service, stream, version, entry.position,
                                                  f"the event stored as version {version} is version "
                                                  f"{moved[0]}")))
                true_hash[moved[0]] = entry.hash
            else:
                findings.append((version, Finding("altered", service, stream, version, entry.position,
                                                  "content does not match its hash")))
                true_hash.setdefault(version, entry.hash)  # the hash it claims: its successor still links to it
    for version, entry in entries.items():
        if not entry.ok:
            continue
        expected = GENESIS_HASH if version == 1 else true_hash.get(version - 1)
        if expected is not None and entry.prev_hash != expected:
            findings.append((version, Finding("inserted", service, stream, version, entry.position,
                                              "does not follow the previous event of its stream")))
    findings.sort(key=lambda pair: pair[0])
    return [finding for _, finding in findings]


def _check_heads(service: str, chains: list[Finding], heads: dict[str, list[Any]], latest_position: int,
                 streams: dict[str, dict[int, _Entry]], log_id: str) -> tuple[list[Finding], int]:
    """What the signed heads say of these streams (findings, and the events after the last checkpoint). A finding
    of the chains may be made precise here (an event after the last checkpoint that does not chain: inserted)."""
    findings: list[Finding] = []
    unsigned = 0
    named = {(f.stream_id, f.version) for f in chains}
    present = {stream: entries for stream, entries in streams.items() if stream != log_id}
    for stream, (head_version, head_hash) in heads.items():
        versions = present.get(stream)
        if versions is None:
            findings.append(Finding("removed", service, stream, None, None,
                                    f"the whole stream is missing (signed head: version {head_version})"))
            continue
        stored = versions.get(head_version)
        if stored is None:
            if (stream, head_version) not in named:
                findings.append(Finding("removed", service, stream, head_version, None,
                                        "the signed head event of the stream is missing"))
        elif stored.hash and stored.hash != head_hash and (stream, head_version) not in named:
            findings.append(Finding("altered", service, stream, head_version, stored.position,
                                    "differs from the signed head of its stream"))
    for stream, versions in present.items():
        signed_version = heads.get(stream, [0])[0]
        for version, stored in versions.items():
            if version <= signed_version:
                continue
            if stored.position <= latest_position:
                findings.append(Finding("inserted", service, stream, version, stored.position,
                                        "not covered by the checkpoint that covers its position"))
            elif (stream, version) in named:
                for i, finding in enumerate(chains):
                    if (finding.stream_id, finding.version) == (stream, version) and finding.kind == "altered":
                        chains[i] = Finding("inserted", service, stream, version, stored.position,
                                            "recorded after the last checkpoint and does not chain")
            else:
                unsigned += 1
    return findings, unsigned
