/// `de-en-numbers`: German number words and their English words for 0…999,999, generated
/// deterministically ("einundzwanzig" → "twenty one"), a translation task with exact rules
/// and no download.
///
/// Conventions: a leading one before hundert and tausend is dropped ("hundert", "tausend",
/// "hunderteins"); final 1 is "eins", 1 inside a compound "ein" ("einundzwanzig",
/// "hunderteintausend"); English has no "and" and no hyphens ("one hundred one").
public enum GermanNumbers {
    public static let range = 0...999_999
    public static let seed: UInt64 = 20_241_123
    public static let trainFraction = 0.9

    private static let germanUnits = [
        "null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
    ]
    private static let germanTeens = [
        "zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn",
    ]
    private static let germanTens = [
        "", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig",
    ]
    private static let englishUnits = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    private static let englishTeens = [
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    private static let englishTens = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ]

    /// The German word for `number` in 0…999,999.
    public static func german(_ number: Int) -> String {
        precondition(range.contains(number), "\(number) is outside \(range)")
        if number == 0 { return "null" }
        let thousands = number / 1000, rest = number % 1000
        let prefix =
            thousands == 0 ? "" : (thousands == 1 ? "" : germanBelowThousand(thousands, final: false)) + "tausend"
        return prefix + germanBelowThousand(rest, final: true)
    }

    /// `final`: the group ends the word, so a trailing 1 is "eins".
    private static func germanBelowThousand(_ number: Int, final: Bool) -> String {
        let hundreds = number / 100, rest = number % 100
        let prefix = hundreds == 0 ? "" : (hundreds == 1 ? "" : germanUnits[hundreds]) + "hundert"
        return prefix + germanBelowHundred(rest, final: final)
    }

    private static func germanBelowHundred(_ number: Int, final: Bool) -> String {
        switch number {
        case 0: return ""
        case 1: return final ? "eins" : "ein"
        case 2..<10: return germanUnits[number]
        case 10..<20: return germanTeens[number - 10]
        default:
            let tens = number / 10, units = number % 10
            if units == 0 { return germanTens[tens] }
            return (units == 1 ? "ein" : germanUnits[units]) + "und" + germanTens[tens]
        }
    }

    /// The English words for `number` in 0…999,999.
    public static func english(_ number: Int) -> String {
        precondition(range.contains(number), "\(number) is outside \(range)")
        if number == 0 { return "zero" }
        let thousands = number / 1000, rest = number % 1000
        var words: [String] = []
        if thousands > 0 { words.append(englishBelowThousand(thousands) + " thousand") }
        if rest > 0 { words.append(englishBelowThousand(rest)) }
        return words.joined(separator: " ")
    }

    private static func englishBelowThousand(_ number: Int) -> String {
        let hundreds = number / 100, rest = number % 100
        var words: [String] = []
        if hundreds > 0 { words.append(englishUnits[hundreds] + " hundred") }
        switch rest {
        case 0: break
        case 1..<10: words.append(englishUnits[rest])
        case 10..<20: words.append(englishTeens[rest - 10])
        default:
            words.append(
                rest % 10 == 0 ? englishTens[rest / 10] : englishTens[rest / 10] + " " + englishUnits[rest % 10])
        }
        return words.joined(separator: " ")
    }

    /// Every number as a pair, split 90/10 by the same seeded shuffle as FreeDict.
    public static func load() -> TranslationSplits {
        let pairs = range.map { TranslationPair(source: german($0), target: english($0)) }
        let (train, test) = DeterministicSplit.split(pairs, seed: seed, trainFraction: trainFraction)
        return TranslationSplits(name: "de-en-numbers", train: train, test: test)
    }
}
