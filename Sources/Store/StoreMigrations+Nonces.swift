import GRDB

extension StoreMigrations {
    /// Each comment keeps its client's nonce, unique per author and event, so a comment sent again
    /// after a lost `ack` is answered with the first one instead of being stored twice. Comments stored
    /// before have none (NULL), which the partial index leaves out.
    static func commentNonces(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE comments ADD COLUMN nonce TEXT CHECK (nonce IS NULL OR length(CAST(nonce AS BLOB)) BETWEEN 1 AND 128);
                CREATE UNIQUE INDEX comments_author_nonce ON comments(event_id, author_id, nonce) WHERE nonce IS NOT NULL;
                """)
    }
}
