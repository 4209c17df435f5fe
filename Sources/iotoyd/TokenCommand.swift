import ArgumentParser
import IOToyCore
import IOToyHTTP

/// `iotoyd token add|list|remove`: the access tokens of `server.auth.tokens_file`. A token is
/// shown once, when it is made; the file keeps only its SHA-256.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Add, list or remove the access tokens clients present (server.auth.tokens_file).",
        subcommands: [Add.self, List.self, Remove.self])

    struct FileOption: ParsableArguments {
        @Option(help: "The tokens file.")
        var file = "/etc/iotoy/tokens"
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token for NAME and print it (once).")

        @Argument(help: "Who or what the token is for, e.g. laptop (letters, digits, _ . -).")
        var name: String

        @Option(help: "read (look), control (also move), admin (also /_safe, /_resume).")
        var role: Role = .control

        @OptionGroup var file: FileOption

        func run() throws {
            var store = try TokenCommand.load(file.file, creating: true)
            let token = try store.add(name: name, role: role)
            try store.write(to: file.file)
            print(token)
            printError("iotoyd: token '\(name)' (\(role.rawValue)) added to \(file.file); it is shown only now")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens' names and roles.")

        @OptionGroup var file: FileOption

        func run() throws {
            for entry in try TokenCommand.load(file.file, creating: false).entries {
                print("\(entry.name)  \(entry.role.rawValue)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove NAME's token (clients using it are refused).")

        @Argument(help: "The token's name.")
        var name: String

        @OptionGroup var file: FileOption

        func run() throws {
            var store = try TokenCommand.load(file.file, creating: false)
            try store.remove(name: name)
            try store.write(to: file.file)
            printError("iotoyd: token '\(name)' removed from \(file.file)")
        }
    }

    static func load(_ path: String, creating: Bool) throws -> TokenStore {
        do {
            return try TokenStore.load(path: path)
        } catch TokenStoreError.missingFile(_) where creating {
            return TokenStore()
        } catch {
            printError("iotoyd: \(error)")
            throw ExitCode(1)
        }
    }
}

extension Role: ExpressibleByArgument {}
