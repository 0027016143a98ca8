/// The cleaning of the PyTorch reference's `freedict_pairs.py`, reproduced on Unicode scalars so that
/// lengths, whitespace and case match Python's code-point semantics exactly (Swift's
/// grapheme and canonical-equivalence rules would merge pairs Python keeps apart).
enum HeadwordCleaning {
    typealias Text = [Unicode.Scalar]

    /// Characters a kept pair may contain.
    static let allowed: Set<Unicode.Scalar> = Set(
        "abcdefghijklmnopqrstuvwxyz0123456789 -'.!?/&+:äöüßàáâãåæçèéêëìíîïñòóôõøùúûýœ".unicodeScalars)

    /// Python's `str.isspace()`.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    static func isOpeningBracket(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "<", "{", "[", "(": true;
        default: false
        }
    }

    static func isClosingBracket(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ">", "}", "]", ")": true;
        default: false
        }
    }

    /// `(german, english)` from one entry's text, or nil when it has no translation.
    static func parseEntry(_ text: Text) -> (Text, Text)? {
        // Only the first two lines matter: the headword and the translation list.
        guard let firstBreak = text.firstIndex(of: "\n") else { return nil }
        let headword = Array(text[..<firstBreak])
        let rest = text[(firstBreak + 1)...]
        let translation = Array(rest[..<(rest.firstIndex(of: "\n") ?? rest.endIndex)])
        let stripped = strip(translation)
        if stripped.isEmpty || stripped.starts(with: "see:".unicodeScalars)
            || stripped.starts(with: "Synonym".unicodeScalars) || stripped.starts(with: "Note:".unicodeScalars)
        {
            return nil
        }
        var depth = 0
        var cut = translation.count
        for (index, scalar) in translation.enumerated() {
            if isOpeningBracket(scalar) {
                depth += 1
            } else if isClosingBracket(scalar) {
                depth = max(0, depth - 1)
            } else if (scalar == "," || scalar == ";") && depth == 0 {
                cut = index
                break
            }
        }
        return (stripTerm(headword), stripTerm(Array(translation[..<cut])))
    }

    /// Cut at the first '<', drop /IPA/ spans and bracketed annotations, normalise.
    static func stripTerm(_ text: Text) -> Text {
        let head = text.firstIndex(of: "<").map { Array(text[..<$0]) } ?? text
        return clean(removeIPA(head))
    }

    /// `re.sub(r"(^|\s)/[^/]*/", " ", text)`.
    static func removeIPA(_ text: Text) -> Text {
        guard text.contains("/") else { return text }
        var result: Text = []
        var index = 0
        while index < text.count {
            var slash: Int?
            if index == 0 && text[0] == "/" {
                slash = 0
            } else if isSpace(text[index]) && index + 1 < text.count && text[index + 1] == "/" {
                slash = index + 1
            }
            if let slash, let close = text[(slash + 1)...].firstIndex(of: "/") {
                result.append(" ")
                index = close + 1
                continue
            }
            result.append(text[index])
            index += 1
        }
        return result
    }

    /// Three passes over the four bracket kinds, then stray brackets, whitespace and case.
    static func clean(_ input: Text) -> Text {
        var text = input
        for _ in 0..<3 {
            for (open, close) in [("<", ">"), ("{", "}"), ("[", "]"), ("(", ")")] as [(Unicode.Scalar, Unicode.Scalar)]
            {
                text = removeInnermost(text, open: open, close: close)
            }
        }
        if text.contains(where: { isOpeningBracket($0) || isClosingBracket($0) }) {
            text = text.map { isOpeningBracket($0) || isClosingBracket($0) ? " " : $0 }
        }
        var collapsed: Text = []
        for scalar in text {
            if isSpace(scalar) {
                if collapsed.last != " " { collapsed.append(" ") }
            } else {
                collapsed.append(scalar)
            }
        }
        return lowercase(strip(collapsed))
    }

    /// `re.sub(r"<[^<>]*>", " ", text)` for one bracket pair.
    static func removeInnermost(_ text: Text, open: Unicode.Scalar, close: Unicode.Scalar) -> Text {
        guard text.contains(open) else { return text }  // most entries: no copy at all
        var result: Text = []
        var index = 0
        while index < text.count {
            if text[index] == open,
                let end = text[(index + 1)...].firstIndex(where: { $0 == open || $0 == close }),
                text[end] == close
            {
                result.append(" ")
                index = end + 1
                continue
            }
            result.append(text[index])
            index += 1
        }
        return result
    }

    /// Python's `str.strip()`.
    static func strip(_ text: Text) -> Text {
        guard let first = text.firstIndex(where: { !isSpace($0) }),
            let last = text.lastIndex(where: { !isSpace($0) })
        else { return [] }
        return Array(text[first...last])
    }

    /// Python's `str.lower()`: full Unicode lowercase mapping, scalar by scalar.
    static func lowercase(_ text: Text) -> Text {
        var result: Text = []
        result.reserveCapacity(text.count)
        for scalar in text {
            if scalar.isASCII {
                let value = scalar.value
                result.append((65...90).contains(value) ? Unicode.Scalar(value + 32)! : scalar)
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return result
    }
}
