import ArgumentParser
import Foundation

/// A comma-separated list of layer widths as `--widths` takes it: every item a whole number
/// in 1...65536, none empty.
enum WidthList {
    static func parse(_ text: String, flag: String = "--widths") throws -> [Int] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { item in
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let width = Int(trimmed), (1...65536).contains(width) else {
                throw ValidationError(
                    "\(flag): '\(trimmed)' is not a width; each must be a whole number in 1...65536, like 256,256")
            }
            return width
        }
    }
}
