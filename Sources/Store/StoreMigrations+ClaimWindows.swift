import GRDB

extension StoreMigrations {
    /// Claim windows (issue 13): a freed seat is `offered` to the first person waiting until
    /// `offer_expires_at`; events count their open offers and keep their window. SQLite cannot alter a
    /// CHECK, so `registrations` (for the new status) and `mail_outbox` (for the `offered` kind) are
    /// rebuilt the documented way (new table, copy, drop, rename; the migrator runs with foreign keys
    /// off and checks them afterwards). Existing events keep instant promotion (window 0, as before the
    /// upgrade); only events created afterwards get the default window of a day.
    static func claimWindows(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE events ADD COLUMN claim_window_minutes INTEGER NOT NULL DEFAULT 1440
                    CHECK (claim_window_minutes BETWEEN 0 AND 10080);
                ALTER TABLE events ADD COLUMN offers_open INTEGER NOT NULL DEFAULT 0 CHECK (offers_open >= 0);
                UPDATE events SET claim_window_minutes = 0;

                CREATE TABLE registrations_v7 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                    code_hash TEXT NOT NULL UNIQUE,
                    author_id TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL CHECK (length(name) >= 1),
                    email TEXT NOT NULL CHECK (length(email) >= 3),
                    status TEXT NOT NULL CHECK (status IN ('ticketed', 'offered', 'waitlisted', 'cancelled')),
                    queue INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    recovery_hash TEXT,
                    recovery_sent_at REAL,
                    offer_expires_at REAL,
                    UNIQUE (event_id, email),
                    UNIQUE (event_id, queue),
                    CHECK (status <> 'offered' OR offer_expires_at IS NOT NULL)
                ) STRICT;
                INSERT INTO registrations_v7 (id, event_id, code_hash, author_id, name, email, status, queue, created_at,
                    recovery_hash, recovery_sent_at)
                SELECT id, event_id, code_hash, author_id, name, email, status, queue, created_at, recovery_hash,
                    recovery_sent_at
                FROM registrations ORDER BY id;
                DROP TABLE registrations;
                ALTER TABLE registrations_v7 RENAME TO registrations;
                CREATE INDEX registrations_event_status_queue ON registrations(event_id, status, queue);
                CREATE UNIQUE INDEX registrations_recovery ON registrations(recovery_hash) WHERE recovery_hash IS NOT NULL;
                CREATE INDEX registrations_open_offers ON registrations(offer_expires_at) WHERE status = 'offered';

                CREATE TABLE mail_outbox_v7 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL CHECK (kind IN ('confirmed', 'waitlisted', 'promoted', 'offered', 'offer_expired',
                        'cancelled', 'waitlist_left', 'rescheduled', 'reminder', 'ticket_link')),
                    position INTEGER,
                    link_secret TEXT,
                    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    next_attempt_at REAL NOT NULL,
                    created_at REAL NOT NULL,
                    finished_at REAL,
                    reply TEXT,
                    CHECK (link_secret IS NULL OR status = 'pending')
                ) STRICT;
                INSERT INTO mail_outbox_v7 SELECT * FROM mail_outbox ORDER BY id;
                DROP TABLE mail_outbox;
                ALTER TABLE mail_outbox_v7 RENAME TO mail_outbox;
                CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at, id) WHERE status = 'pending';
                CREATE INDEX mail_outbox_failed ON mail_outbox(id) WHERE status = 'failed';
                CREATE INDEX mail_outbox_event ON mail_outbox(event_id, id);
                """)
    }
}
