extension PostgresMigrations {
    /// Claim windows (issue 13), as SQLite's `v7-claim-windows`: a freed seat is `offered` to the first
    /// person waiting until `offer_expires_at`; events count their open offers (held like tickets, so
    /// tickets and offers together never pass capacity) and keep their window. Existing events keep
    /// instant promotion (window 0, as before the upgrade); only new events get the default of a day.
    static let v7ClaimWindows = """
        ALTER TABLE events ADD COLUMN claim_window_minutes integer NOT NULL DEFAULT 1440
            CHECK (claim_window_minutes BETWEEN 0 AND 10080);
        ALTER TABLE events ADD COLUMN offers_open integer NOT NULL DEFAULT 0 CHECK (offers_open >= 0);
        UPDATE events SET claim_window_minutes = 0;
        ALTER TABLE events ADD CONSTRAINT events_held_seats CHECK (tickets_issued + offers_open <= capacity);
        ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
        ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
            CHECK (status IN ('ticketed', 'offered', 'waitlisted', 'cancelled'));
        ALTER TABLE registrations ADD COLUMN offer_expires_at double precision;
        ALTER TABLE registrations ADD CONSTRAINT registrations_offer_deadline
            CHECK (status <> 'offered' OR offer_expires_at IS NOT NULL);
        CREATE INDEX registrations_open_offers ON registrations (offer_expires_at) WHERE status = 'offered';
        ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
        ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN ('confirmed', 'waitlisted',
            'promoted', 'offered', 'offer_expired', 'cancelled', 'waitlist_left', 'rescheduled', 'reminder', 'ticket_link'));
        """
}
