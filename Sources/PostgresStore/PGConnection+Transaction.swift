/// Transactions on one connection.
///
/// Every decision that must not race runs in one `transaction`, and starts by locking the event row
/// (`SELECT … FOR UPDATE`), so two server nodes sharing the database decide seats and ids one at a time.
extension PGConnection {
    /// Runs `body` between BEGIN and COMMIT; any error rolls back and is rethrown.
    ///
    /// A transaction in which a statement failed cannot commit (PostgreSQL would answer COMMIT with a
    /// silent ROLLBACK), so that case is an error here even if `body` swallowed the failure.
    func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try self.query("BEGIN")
        let value: T
        do {
            value = try body(self)
            guard !self.isInFailedTransaction else { throw PGError("a statement failed inside the transaction") }
            try self.query("COMMIT")
        } catch {
            if !self.isBroken { _ = try? self.query("ROLLBACK") }
            throw error
        }
        return value
    }
}
