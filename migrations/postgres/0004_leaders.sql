-- Named leases for electing one replica to run maintenance (the lease rescuer, retention
-- pruning): a holder renews its row well within expires_at; once the row has expired by the
-- database's clock, any replica may take it over.
CREATE TABLE leaders (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
