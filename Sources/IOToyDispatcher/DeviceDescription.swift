import IOToyCore

/// `/devinfo`: the device description the original client builds its proxy from —
/// `{"devicename", "attrs": {name: {type, help, href}}, "funcs": {name: function representation}}`.
/// Resources below the root are listed by their path relative to it (`front_left_leg/lift`).
enum DeviceDescription {
    static func representation(of tree: ResourceTree) -> Representation {
        var attrs: [String: JSONValue] = [:]
        var funcs: [String: JSONValue] = [:]
        for node in tree.leaves {
            switch node {
            case .attribute(let attribute):
                attrs[attribute.path.relativeName] = .object([
                    "type": .string(attribute.info.type.rawValue),
                    "help": .string(attribute.info.help),
                    "href": .string(attribute.path.description),
                ])
            case .function(let function):
                let representation = Representation.function(at: function.path, help: function.info.help, spec: function.info.spec)
                funcs[function.path.relativeName] = .object([
                    "type": .string(representation.type),
                    "href": .string(representation.href),
                    "help": .string(representation.help),
                    "value": representation.value,
                ])
            case .directory:
                break
            }
        }
        return Representation(
            type: TypeURI.deviceDescription, href: Dispatcher.deviceInfoPath.description, help: "Device description",
            value: .object(["devicename": .string(tree.device), "attrs": .object(attrs), "funcs": .object(funcs)]))
    }
}
