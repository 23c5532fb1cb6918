-- Trieste schema, version 9: the verifier's webhook outbox. PostgreSQL 15 only.
--
-- One row per answered presentation request that named a webhook: "the result of request X is
-- ready" is to be POSTed to `url`. The row is written in the transaction that records the answer,
-- so a result never exists without its delivery (and a rolled-back answer queues nothing). It holds
-- no claim value and no token: the request id, a random delivery id (the receiver's deduplication
-- key: delivery is at least once) and the relying party's URL.
--
-- Delivery runs in every server process. A process claims due rows with FOR UPDATE SKIP LOCKED and
-- moves `next_attempt_at` forward by a lease in the same statement, stamping `lease`; it records
-- the attempt's outcome only while its lease still holds the row. Two processes therefore never
-- attempt one delivery at once, and a process that dies mid-attempt leaves the row due again when
-- the lease ends. No foreign key to presentation_requests: the request is deleted at the end of its
-- retention, the record that its delivery failed outlives it until purged.
CREATE TABLE webhook_deliveries (
  request_id text PRIMARY KEY CHECK (request_id ~ '^[A-Za-z0-9_-]{16,64}$'),
  delivery_id text NOT NULL CHECK (delivery_id ~ '^[A-Za-z0-9_-]{16,64}$'),
  url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at double precision NOT NULL,
  deadline double precision NOT NULL,
  lease text CHECK (lease ~ '^[A-Za-z0-9_-]{16,64}$'),
  -- An error code, never a message: nothing the receiver sent is kept.
  last_error text CHECK (last_error ~ '^[A-Za-z0-9_]{1,64}$'),
  created_at double precision NOT NULL,
  finished_at double precision,
  CHECK ((state = 'pending') = (finished_at IS NULL))
);

-- The deliverer's claim: due pending rows, oldest due first.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
-- The purge of finished rows.
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE state <> 'pending';
