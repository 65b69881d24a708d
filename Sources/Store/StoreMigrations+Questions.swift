import GRDB

extension StoreMigrations {
    /// A comment is posted as a `comment` or a `question` (issue 16); a question has a state the host
    /// sets (`question_state`, NULL for comments), and at most one question per event is `answering`
    /// (a partial unique index). The moderation log is rebuilt to accept the question actions (SQLite
    /// cannot change a CHECK in place).
    static func questions(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE comments ADD COLUMN kind TEXT NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'question'));
                ALTER TABLE comments ADD COLUMN question_state TEXT
                    CHECK (question_state IN ('open', 'answering', 'answered', 'dismissed'));
                CREATE UNIQUE INDEX comments_answering ON comments(event_id) WHERE question_state = 'answering';

                CREATE TABLE moderation_log_v8 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                    actor TEXT NOT NULL CHECK (actor IN ('host', 'admin')),
                    action TEXT NOT NULL CHECK (action IN
                        ('hide', 'unhide', 'pin', 'unpin', 'approve', 'mute', 'slowmode', 'blocked_words',
                         'answering', 'answered', 'dismissed')),
                    target TEXT,
                    detail TEXT,
                    created_at REAL NOT NULL
                ) STRICT;
                INSERT INTO moderation_log_v8 (id, event_id, actor, action, target, detail, created_at)
                    SELECT id, event_id, actor, action, target, detail, created_at FROM moderation_log;
                DROP TABLE moderation_log;
                ALTER TABLE moderation_log_v8 RENAME TO moderation_log;
                CREATE INDEX moderation_log_event ON moderation_log(event_id, id);
                """)
    }
}
