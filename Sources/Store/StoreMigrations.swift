import GRDB
import Webinar

/// The SQLite schema as frozen migrations.
///
/// A migration that has shipped is never edited: a change is a new migration with a new name. Migrations
/// use string table names and plain SQL, never app types, so they mean the same thing forever. The schema
/// enforces what the code assumes ("trust SQLite more than yourself"): NOT NULL, CHECKs on enums and
/// capacity (including `tickets_issued <= capacity`), uniqueness of slug, (event, email), code and author
/// id, and cascading foreign keys. Tables are STRICT, so a wrong type is an error, not a silent coercion.
///
/// Related GRDB documentation: `Migrations.md`.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-events-registrations") { db in
            try db.execute(
                sql: """
                    CREATE TABLE events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 64),
                        title TEXT NOT NULL CHECK (length(title) >= 1),
                        description TEXT NOT NULL DEFAULT '',
                        starts_at REAL NOT NULL,
                        ends_at REAL CHECK (ends_at IS NULL OR ends_at > starts_at),
                        capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000000),
                        tickets_issued INTEGER NOT NULL DEFAULT 0 CHECK (tickets_issued >= 0),
                        waitlist_length INTEGER NOT NULL DEFAULT 0 CHECK (waitlist_length >= 0),
                        last_queue INTEGER NOT NULL DEFAULT 0 CHECK (last_queue >= 0),
                        registration_open INTEGER NOT NULL DEFAULT 1 CHECK (registration_open IN (0, 1)),
                        public_viewing INTEGER NOT NULL DEFAULT 1 CHECK (public_viewing IN (0, 1)),
                        moderation TEXT NOT NULL DEFAULT 'open' CHECK (moderation IN ('open', 'review')),
                        slow_mode_seconds INTEGER NOT NULL DEFAULT 0 CHECK (slow_mode_seconds BETWEEN 0 AND 3600),
                        blocked_words TEXT NOT NULL DEFAULT '[]',
                        host_key_hash TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        CHECK (tickets_issued <= capacity)
                    ) STRICT;

                    CREATE TABLE registrations (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                        code TEXT NOT NULL UNIQUE,
                        author_id TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL CHECK (length(name) >= 1),
                        email TEXT NOT NULL CHECK (length(email) >= 3),
                        status TEXT NOT NULL CHECK (status IN ('ticketed', 'waitlisted', 'cancelled')),
                        queue INTEGER NOT NULL,
                        created_at REAL NOT NULL,
                        UNIQUE (event_id, email),
                        UNIQUE (event_id, queue)
                    ) STRICT;

                    CREATE INDEX registrations_event_status_queue ON registrations(event_id, status, queue);
                    """)
        }
        migrator.registerMigration("v2-comments") { db in
            try db.execute(
                sql: """
                    ALTER TABLE events ADD COLUMN last_comment_id INTEGER NOT NULL DEFAULT 0
                        CHECK (last_comment_id >= 0);

                    CREATE TABLE comments (
                        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                        id INTEGER NOT NULL CHECK (id >= 1),
                        author_id TEXT NOT NULL,
                        author TEXT NOT NULL,
                        text TEXT NOT NULL CHECK (length(text) >= 1),
                        reply_to INTEGER,
                        likes INTEGER NOT NULL DEFAULT 0 CHECK (likes >= 0),
                        pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
                        hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
                        status TEXT NOT NULL CHECK (status IN ('visible', 'held')),
                        created_at REAL NOT NULL,
                        PRIMARY KEY (event_id, id)
                    ) STRICT;

                    CREATE TABLE comment_likes (
                        event_id INTEGER NOT NULL,
                        comment_id INTEGER NOT NULL,
                        liker_id TEXT NOT NULL,
                        UNIQUE (event_id, comment_id, liker_id),
                        FOREIGN KEY (event_id, comment_id) REFERENCES comments(event_id, id)
                            ON DELETE CASCADE ON UPDATE CASCADE
                    ) STRICT;

                    CREATE TABLE moderation_log (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                        actor TEXT NOT NULL CHECK (actor IN ('host', 'admin')),
                        action TEXT NOT NULL CHECK (action IN
                            ('hide', 'unhide', 'pin', 'unpin', 'approve', 'mute', 'slowmode', 'blocked_words')),
                        target TEXT,
                        detail TEXT,
                        created_at REAL NOT NULL
                    ) STRICT;

                    CREATE INDEX moderation_log_event ON moderation_log(event_id, id);
                    """)
        }
        migrator.registerMigration("v3-mail-outbox") { db in
            try db.execute(
                sql: """
                    ALTER TABLE events ADD COLUMN schedule_sequence INTEGER NOT NULL DEFAULT 0
                        CHECK (schedule_sequence >= 0);
                    ALTER TABLE events ADD COLUMN reminder_for REAL;

                    CREATE TABLE mail_outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                        registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL CHECK (kind IN
                            ('confirmed', 'waitlisted', 'promoted', 'cancelled', 'waitlist_left', 'rescheduled', 'reminder')),
                        position INTEGER,
                        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                        next_attempt_at REAL NOT NULL,
                        created_at REAL NOT NULL,
                        finished_at REAL,
                        reply TEXT
                    ) STRICT;

                    CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at, id) WHERE status = 'pending';
                    CREATE INDEX mail_outbox_failed ON mail_outbox(id) WHERE status = 'failed';
                    CREATE INDEX mail_outbox_event ON mail_outbox(event_id, id);
                    """)
        }
        migrator.registerMigration("v4-event-time-zone") { db in
            try db.execute(sql: "ALTER TABLE events ADD COLUMN time_zone TEXT")
        }
        migrator.registerMigration("v5-comment-nonces", migrate: Self.commentNonces)
        migrator.registerMigration("v6-hashed-ticket-codes") { db in
            // Ticket codes are kept as their SHA-256 (issue 14): a copy of the file no longer holds anyone's
            // ticket. A message still waiting keeps the code it will link to (`link_secret`) until it
            // leaves. Recovery tokens (issue 13) are hashed too. The outbox is rebuilt for its new column
            // and its new kind (a CHECK cannot be altered in place).
            let hash = DatabaseFunction("backchannel_v6_sha256", argumentCount: 1, pure: true) { values in
                SecretCode.hash(String.fromDatabaseValue(values[0]) ?? "")
            }
            db.add(function: hash)
            defer { db.remove(function: hash) }
            try db.execute(
                sql: """
                    CREATE TABLE mail_outbox_v6 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                        registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL CHECK (kind IN ('confirmed', 'waitlisted', 'promoted', 'cancelled',
                            'waitlist_left', 'rescheduled', 'reminder', 'ticket_link')),
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
                    INSERT INTO mail_outbox_v6 (id, event_id, registration_id, kind, position, link_secret, status,
                        attempts, next_attempt_at, created_at, finished_at, reply)
                    SELECT m.id, m.event_id, m.registration_id, m.kind, m.position,
                        CASE WHEN m.status = 'pending' THEN r.code END, m.status, m.attempts, m.next_attempt_at,
                        m.created_at, m.finished_at, m.reply
                    FROM mail_outbox m JOIN registrations r ON r.id = m.registration_id ORDER BY m.id;
                    DROP TABLE mail_outbox;
                    ALTER TABLE mail_outbox_v6 RENAME TO mail_outbox;
                    CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at, id) WHERE status = 'pending';
                    CREATE INDEX mail_outbox_failed ON mail_outbox(id) WHERE status = 'failed';
                    CREATE INDEX mail_outbox_event ON mail_outbox(event_id, id);

                    ALTER TABLE registrations RENAME COLUMN code TO code_hash;
                    UPDATE registrations SET code_hash = backchannel_v6_sha256(code_hash);
                    ALTER TABLE registrations ADD COLUMN recovery_hash TEXT;
                    ALTER TABLE registrations ADD COLUMN recovery_sent_at REAL;
                    CREATE UNIQUE INDEX registrations_recovery ON registrations(recovery_hash)
                        WHERE recovery_hash IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v7-claim-windows", migrate: Self.claimWindows)
        migrator.registerMigration("v8-questions", migrate: Self.questions)
        return migrator
    }
}
