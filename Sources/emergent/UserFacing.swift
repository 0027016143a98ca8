import ArgumentParser

/// Runs `body`, turning the core's errors (which carry a user's wording) into the parser's
/// one-line refusal.
func userFacing<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ValidationError { throw error } catch {
        throw ValidationError("\(error)")
    }
}
