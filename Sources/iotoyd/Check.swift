import ArgumentParser
import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToyDrivers

/// `iotoyd check FILE`: validates a board file and prints the tree it would serve.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a board file and print the resource tree it would serve; touches no hardware.")

    @Argument(help: "The board file.")
    var board: String

    func run() throws {
        let loader = BoardLoader(registry: .standard)
        let parsed: Board
        do {
            parsed = try loader.load(path: board)
        } catch {
            printError(error.description)
            printError("\(board): \(error.errors.count) problem\(error.errors.count == 1 ? "" : "s")")
            throw ExitCode(1)
        }
        for warning in parsed.warnings { printError(warning.description) }
        let tree = try parsed.buildTree(platform: parsed.simulatedHardware().platform)
        print(TreeListing.render(tree, board: parsed))
    }
}

/// The text `iotoyd check` prints: one line per resource with its type, methods, limits and owner.
enum TreeListing {
    static func render(_ tree: ResourceTree, board: Board) -> String {
        var lines = ["\(board.file): device '\(board.device)' — \(board.help)", "serves on \(board.server.bind):\(board.server.port)", ""]
        func walk(_ path: ResourcePath, depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            guard let node = tree.node(at: path) else { return }
            switch node {
            case .directory(let directory):
                let name = path.isRoot ? "/" : "\(path.name!)/"
                lines.append(pad(indent + name, 30) + "dir" + (directory.help.isEmpty ? "" : "  \(directory.help)"))
                let children = path.isRoot ? directory.children + [ResourceTree.deviceInfoName] : directory.children
                for child in children {
                    if path.isRoot, child == ResourceTree.deviceInfoName {
                        lines.append(pad(indent + "  devinfo", 30) + "json   GET       device description")
                        continue
                    }
                    walk(try! path.appending(child), depth: depth + 1)
                }
            case .attribute(let attribute):
                var text = pad(indent + path.name!, 30) + pad(attribute.info.type.rawValue, 7) + pad(attribute.methods.joined(separator: ","), 10)
                if let constraints = attribute.info.constraints {
                    let bounds = [constraints.min, constraints.max].compactMap { $0 }.map { JSONValue.number($0).compactDescription }
                    if !bounds.isEmpty { text += "[\(bounds.joined(separator: ", "))] " }
                    if let unit = constraints.unit { text += "\(unit) " }
                }
                let held = board.components.first { $0.path == attribute.mount.path }?.heldHardware ?? []
                text += "\(attribute.mount.kind) on \(held.isEmpty ? attribute.mount.owner.name : held.map(\.description).joined(separator: ", "))"
                lines.append(text)
                for action in attribute.actions { walk(try! path.appending(action), depth: depth + 1) }
            case .function(let function):
                lines.append(pad(indent + path.name!, 30) + pad("func", 7) + pad("GET,POST", 10) + function.info.spec.wireDescription)
            }
        }
        walk(.root, depth: 0)
        return lines.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

func printError(_ text: String) {
    var standardError = StandardError()
    print(text, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleStandardError.write(string)
    }
}
