extension PostgresMigrations {
    /// Questions (issue 16), as in SQLite's `v8-questions`: `kind`, `question_state` (NULL for comments),
    /// at most one `answering` question per event, and the question actions in the moderation log.
    static let v8Questions = """
        ALTER TABLE comments ADD COLUMN kind text NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'question'));
        ALTER TABLE comments ADD COLUMN question_state text
            CHECK (question_state IN ('open', 'answering', 'answered', 'dismissed'));
        CREATE UNIQUE INDEX comments_answering ON comments (event_id) WHERE question_state = 'answering';
        ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_action_check;
        ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_action_check CHECK (action IN
            ('hide', 'unhide', 'pin', 'unpin', 'approve', 'mute', 'slowmode', 'blocked_words',
             'answering', 'answered', 'dismissed'));
        """
}
