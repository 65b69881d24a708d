/// Transactions and savepoints on one connection.
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

    /// Runs `body` inside `SAVEPOINT name`: an error rolls back only what `body` did, and the enclosing
    /// transaction goes on.
    func savepoint<T>(_ name: String, _ body: () throws -> T) throws -> T {
        try self.query("SAVEPOINT \(name)")
        do {
            let value = try body()
            try self.query("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            // On a lost connection there is nothing to roll back to; report what broke it.
            guard !self.isBroken else { throw error }
            try self.query("ROLLBACK TO SAVEPOINT \(name)")
            try self.query("RELEASE SAVEPOINT \(name)")
            throw error
        }
    }
}
