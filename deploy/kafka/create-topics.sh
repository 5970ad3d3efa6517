#!/usr/bin/env bash
# Create (or bring to the expected settings) Paizhu's Kafka topics. Idempotent: run it before the first
# relay starts, and again after changing a setting. See deploy/kafka.md.
#
#   BOOTSTRAP=kafka1:9092 REPLICATION_FACTOR=3 MIN_INSYNC_REPLICAS=2 deploy/kafka/create-topics.sh
#
# Docker Compose runs it once in the `kafka-topics` container (one broker: factor 1, min ISR 1).
set -euo pipefail

BOOTSTRAP="${BOOTSTRAP:-localhost:9092}"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
# partitions per topic: the same as PAIZHU_KAFKA_PARTITIONS of every process (deploy/kafka.md)
PARTITIONS="${PARTITIONS:-1}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-3}"
MIN_INSYNC_REPLICAS="${MIN_INSYNC_REPLICAS:-2}"
# extra client settings (TLS, SASL) for kafka-topics.sh / kafka-configs.sh, if any
COMMAND_CONFIG="${COMMAND_CONFIG:-}"

# events/topics.py: SERVICES and DEAD_LETTER_TOPIC
SERVICES="ledgers clues inspections units"
DEAD_LETTER_TOPIC="paizhu.deadletter.v1"

client_args=(--bootstrap-server "$BOOTSTRAP")
if [[ -n "$COMMAND_CONFIG" ]]; then
  client_args+=(--command-config "$COMMAND_CONFIG")
fi

# the bus is how the history travels: keep every event (no time or size limit, no compaction)
settings="retention.ms=-1,retention.bytes=-1,cleanup.policy=delete,min.insync.replicas=${MIN_INSYNC_REPLICAS},unclean.leader.election.enable=false"

topics=()
for service in $SERVICES; do
  topics+=("paizhu.${service}.v1")
done
topics+=("$DEAD_LETTER_TOPIC")

for topic in "${topics[@]}"; do
  "$KAFKA_BIN/kafka-topics.sh" "${client_args[@]}" --create --if-not-exists --topic "$topic" \
    --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" \
    --config retention.ms=-1 --config retention.bytes=-1 --config cleanup.policy=delete \
    --config min.insync.replicas="$MIN_INSYNC_REPLICAS" --config unclean.leader.election.enable=false
  # a topic created earlier (e.g. by a relay with the broker's defaults) is brought to the same settings
  "$KAFKA_BIN/kafka-configs.sh" "${client_args[@]}" --alter --entity-type topics --entity-name "$topic" \
    --add-config "$settings"
done

"$KAFKA_BIN/kafka-topics.sh" "${client_args[@]}" --describe --topic 'paizhu\..*'
