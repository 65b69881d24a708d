/// The PostgreSQL schema as frozen, versioned migrations, mirroring the SQLite store's
/// (`StoreMigrations`): the same tables, columns and constraints in meaning, the same version names.
///
/// A migration that has shipped is never edited: a change is a new migration with a new name. Each is
/// applied once, in its own transaction, and recorded in `schema_migrations`. Every transaction first takes
/// a transaction-scoped advisory lock, so several nodes starting at once migrate one after the other and
/// each sees what the others applied.
///
/// Differences that are only types: times are `double precision` Unix seconds (as SQLite's REAL), booleans
/// are `boolean`, ids are identity columns, `blocked_words` is `jsonb` (a JSON array, as SQLite's text).
/// The unique (event, email) key is on `lower(btrim(email))`, so it holds even for a row not written
/// through `NewRegistration`'s normalization.
enum PostgresMigrations {
    /// The advisory lock key that serializes migrations across nodes (an arbitrary constant: "BCMIGRAT").
    static let lockKey: Int64 = 0x4243_4D49_4752_4154

    static let all: [(version: String, sql: String)] = [
        ("v1-events-registrations", v1), ("v2-comments", v2), ("v3-mail-outbox", v3),
        ("v4-event-time-zone", v4),
        ("v5-comment-nonces", v5CommentNonces),
        ("v6-hashed-ticket-codes", v6HashedTicketCodes),
        ("v7-claim-windows", v7ClaimWindows),
        ("v8-questions", v8Questions),
    ]

    /// Applies every migration not yet recorded, in order; returns the versions applied now.
    @discardableResult
    static func migrate(_ connection: PGConnection) throws -> [String] {
        var applied: [String] = []
        for migration in Self.all {
            let didApply = try connection.transaction { db in
                try db.query("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
                try db.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version text PRIMARY KEY,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """)
                let done = try db.query("SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version])
                guard done.isEmpty else { return false }
                try db.execute(script: migration.sql)
                try db.query("INSERT INTO schema_migrations (version) VALUES ($1)", [migration.version])
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    static let v1 = """
        CREATE TABLE events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            slug text NOT NULL UNIQUE CHECK (char_length(slug) BETWEEN 1 AND 64),
            title text NOT NULL CHECK (char_length(title) >= 1),
            description text NOT NULL DEFAULT '',
            starts_at double precision NOT NULL,
            ends_at double precision CHECK (ends_at IS NULL OR ends_at > starts_at),
            capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 1000000),
            tickets_issued integer NOT NULL DEFAULT 0 CHECK (tickets_issued >= 0),
            waitlist_length integer NOT NULL DEFAULT 0 CHECK (waitlist_length >= 0),
            last_queue bigint NOT NULL DEFAULT 0 CHECK (last_queue >= 0),
            registration_open boolean NOT NULL DEFAULT true,
            public_viewing boolean NOT NULL DEFAULT true,
            moderation text NOT NULL DEFAULT 'open' CHECK (moderation IN ('open', 'review')),
            slow_mode_seconds integer NOT NULL DEFAULT 0 CHECK (slow_mode_seconds BETWEEN 0 AND 3600),
            blocked_words jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(blocked_words) = 'array'),
            host_key_hash text NOT NULL,
            created_at double precision NOT NULL,
            CHECK (tickets_issued <= capacity)
        );

        CREATE TABLE registrations (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            code text NOT NULL UNIQUE,
            author_id text NOT NULL UNIQUE,
            name text NOT NULL CHECK (char_length(name) >= 1),
            email text NOT NULL CHECK (char_length(email) >= 3),
            status text NOT NULL CHECK (status IN ('ticketed', 'waitlisted', 'cancelled')),
            queue bigint NOT NULL,
            created_at double precision NOT NULL,
            UNIQUE (event_id, queue)
        );

        CREATE UNIQUE INDEX registrations_event_email ON registrations (event_id, lower(btrim(email)));
        CREATE INDEX registrations_event_status_queue ON registrations (event_id, status, queue);
        """

    static let v2 = """
        ALTER TABLE events ADD COLUMN last_comment_id bigint NOT NULL DEFAULT 0 CHECK (last_comment_id >= 0);

        CREATE TABLE comments (
            event_id bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            id bigint NOT NULL CHECK (id >= 1),
            author_id text NOT NULL,
            author text NOT NULL,
            text text NOT NULL CHECK (char_length(text) >= 1),
            reply_to bigint,
            likes integer NOT NULL DEFAULT 0 CHECK (likes >= 0),
            pinned boolean NOT NULL DEFAULT false,
            hidden boolean NOT NULL DEFAULT false,
            status text NOT NULL CHECK (status IN ('visible', 'held')),
            created_at double precision NOT NULL,
            PRIMARY KEY (event_id, id)
        );

        CREATE TABLE comment_likes (
            event_id bigint NOT NULL,
            comment_id bigint NOT NULL,
            liker_id text NOT NULL,
            PRIMARY KEY (event_id, comment_id, liker_id),
            FOREIGN KEY (event_id, comment_id) REFERENCES comments(event_id, id)
                ON DELETE CASCADE ON UPDATE CASCADE
        );

        CREATE TABLE moderation_log (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            actor text NOT NULL CHECK (actor IN ('host', 'admin')),
            action text NOT NULL CHECK (action IN
                ('hide', 'unhide', 'pin', 'unpin', 'approve', 'mute', 'slowmode', 'blocked_words')),
            target text,
            detail text,
            created_at double precision NOT NULL
        );

        CREATE INDEX moderation_log_event ON moderation_log (event_id, id);
        """

    static let v3 = """
        ALTER TABLE events ADD COLUMN schedule_sequence integer NOT NULL DEFAULT 0 CHECK (schedule_sequence >= 0);
        ALTER TABLE events ADD COLUMN reminder_for double precision;

        CREATE TABLE mail_outbox (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
            kind text NOT NULL CHECK (kind IN
                ('confirmed', 'waitlisted', 'promoted', 'cancelled', 'waitlist_left', 'rescheduled', 'reminder')),
            position integer,
            status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
            attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            next_attempt_at double precision NOT NULL,
            created_at double precision NOT NULL,
            finished_at double precision,
            reply text
        );

        CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE status = 'pending';
        CREATE INDEX mail_outbox_failed ON mail_outbox (id) WHERE status = 'failed';
        CREATE INDEX mail_outbox_event ON mail_outbox (event_id, id);
        """

    static let v4 = """
        ALTER TABLE events ADD COLUMN time_zone text;
        """

    /// Ticket codes kept as their SHA-256 in lowercase hex (``SecretCode/hash(_:)`` computes the same);
    /// a message still waiting keeps the code it will link to until it leaves (`link_secret`); recovery
    /// tokens (``MailKind/ticketLink``) are hashed too.
    static let v6HashedTicketCodes = """
        ALTER TABLE mail_outbox ADD COLUMN link_secret text;
        UPDATE mail_outbox m SET link_secret = r.code FROM registrations r
            WHERE r.id = m.registration_id AND m.status = 'pending';
        ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_secret_pending CHECK (link_secret IS NULL OR status = 'pending');
        ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
        ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN
            ('confirmed', 'waitlisted', 'promoted', 'cancelled', 'waitlist_left', 'rescheduled', 'reminder', 'ticket_link'));
        ALTER TABLE registrations RENAME COLUMN code TO code_hash;
        UPDATE registrations SET code_hash = encode(sha256(convert_to(code_hash, 'UTF8')), 'hex');
        ALTER TABLE registrations ADD COLUMN recovery_hash text UNIQUE;
        ALTER TABLE registrations ADD COLUMN recovery_sent_at double precision;
        """
}
