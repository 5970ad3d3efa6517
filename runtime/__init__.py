"""Process plumbing around the domain: the outbox relay to Kafka, the policy and projection runners and their
feeds, a service's HTTP server, telemetry. It may use the shared kernel (`services.common`), `events` and
`projections.common`; it imports no service package, and no domain module imports it (import-linter)."""
