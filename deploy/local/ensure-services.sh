#!/usr/bin/env bash
# Makes sure the machine's own PostgreSQL and RabbitMQ answer before `make run` or `make test`.
# On this kind of machine both are Debian services started at boot; a server stopped by hand (or a
# session that ended) would otherwise fail every test with "not reachable". Only the default local
# servers are started here: a NETRA_DATABASE_URI / NETRA_AMQP_URI pointing elsewhere is left alone.
set -u

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
amqp_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

wait_for() {  # wait_for NAME CHECK SECONDS
  local name=$1 check=$2 seconds=$3
  for _ in $(seq "$seconds"); do "$check" && return 0; sleep 1; done
  echo "netra: $name did not answer within ${seconds} s; see its log." >&2
  return 1
}

if [ -z "${NETRA_DATABASE_URI:-}" ] && ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  echo "netra: PostgreSQL is not answering on 127.0.0.1:5432; starting cluster $version/main."
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL pg_up 30 || exit 1
fi

if [ -z "${NETRA_AMQP_URI:-}" ] && ! amqp_up && command -v rabbitmq-server >/dev/null 2>&1; then
  echo "netra: RabbitMQ is not answering on 127.0.0.1:5672; starting it (rabbitmq-server -detached)."
  # RabbitMQ takes its file-handle budget from the open-files limit it starts with.
  ulimit -n 20000 2>/dev/null || true
  rabbitmq-server -detached || true
  wait_for RabbitMQ amqp_up 60 || exit 1
fi
# RabbitMQ 3.10 counts a file handle for every quorum queue's log beside each connection, and takes
# its budget (about 900) from the 1024 open files it usually starts with: the queues of a few test
# stacks that were killed before they could delete them are enough to reach it, and the broker then
# takes TCP but never answers the AMQP handshake. `make test` starts a dozen stacks (two workers, each
# with its own), ~115 queues each, while it runs, so the budget is raised at the start whenever it is
# the small default (file_handle_cache:set_limit, no restart), and stale stacks are named.
if [ -z "${NETRA_AMQP_URI:-}" ] && command -v rabbitmqctl >/dev/null 2>&1; then
  info=$(timeout 60 rabbitmqctl -q eval 'file_handle_cache:info([total_limit, total_used]).' 2>/dev/null)
  limit=$(echo "$info" | sed -n 's/.*total_limit,\([0-9]*\).*/\1/p')
  used=$(echo "$info" | sed -n 's/.*total_used,\([0-9]*\).*/\1/p')
  if [ -n "$limit" ] && [ -n "$used" ] && [ "$limit" -lt $((used + 10000)) ]; then
    raised=$((used + 20000))
    echo "netra: RabbitMQ counts $used of $limit file handles in use; raising its budget to $raised."
    echo "       Queues of earlier test stacks: $(timeout 60 rabbitmqctl -q list_queues name 2>/dev/null | grep -c '^netra-test-') (tests/conftest.py deletes its own; older ones can go)."
    timeout 60 rabbitmqctl -q eval "file_handle_cache:set_limit($raised)." >/dev/null 2>&1 || true
  fi
fi
exit 0
