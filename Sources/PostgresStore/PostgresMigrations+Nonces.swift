extension PostgresMigrations {
    /// Each comment keeps its client's nonce, unique per author and event (as in SQLite's
    /// `v5-comment-nonces`), so a comment sent again after a lost `ack`, to any node, is answered with
    /// the first one. Comments stored before have none.
    static let v5CommentNonces = """
        ALTER TABLE comments ADD COLUMN nonce text CHECK (nonce IS NULL OR octet_length(nonce) BETWEEN 1 AND 128);
        CREATE UNIQUE INDEX comments_author_nonce ON comments (event_id, author_id, nonce) WHERE nonce IS NOT NULL;
        """
}
