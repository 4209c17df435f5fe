#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// Writes to standard error and flushes standard output, through Foundation (the daemon
/// touches no C library directly: only the Linux backend module does).
enum FileHandleStandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

enum StandardOutput {
    /// Prints a line and writes it out at once (a supervisor or test may be waiting for it).
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
