import ArgumentParser
import Foundation

/// A flag's value checked against its valid range, refused in the words every command uses.
enum FlagRange {
    static func check(_ flag: String, _ value: Int?, _ range: ClosedRange<Int>) throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError("\(flag) \(value) is out of range; it must be in \(range)")
    }

    /// A directory flag names an existing directory; `refusal` words the error.
    static func directory(_ path: String?, refusal: (String) -> String) throws {
        guard let path else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError(refusal(path))
        }
    }

    static func check(_ flag: String, _ value: Double?, _ range: ClosedRange<Double>) throws {
        guard let value, !(value.isFinite && range.contains(value)) else { return }
        throw ValidationError(
            "\(flag) \(value) is out of range; it must be in "
                + String(format: "%g...%g", range.lowerBound, range.upperBound))
    }
}
