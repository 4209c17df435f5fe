import Foundation
import IOToyCore

/// `iotoyd chek rover.yaml`: the first word is not a subcommand but close to one, and not a
/// file either. Without this the default subcommand (`serve`) would take `chek` as its board
/// and complain about `rover.yaml`, which says nothing useful.
enum SubcommandSuggestion {
    /// The message for a mistyped subcommand in `arguments` (without the program name), or nil.
    static func message(for arguments: [String], subcommands: [String], fileExists: (String) -> Bool) -> String? {
        guard let word = arguments.first, !word.hasPrefix("-"), !subcommands.contains(word),
              !word.contains("/"), !word.contains("."), !fileExists(word),
              let suggestion = closestMatch(to: word, among: subcommands) else { return nil }
        return "unknown command '\(word)'; did you mean '\(suggestion)'? (commands: \(subcommands.joined(separator: ", ")))"
    }
}
