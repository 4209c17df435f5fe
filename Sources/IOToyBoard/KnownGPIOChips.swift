/// Line names of GPIO chips whose names are fixed by the board's device tree, so a board file
/// that names a line the chip does not have is refused at `check` time.
///
/// The names are those the kernel reports (what `gpioinfo` prints), in offset order, taken
/// from the `gpio-line-names` property of the chip's device-tree node. `""` marks a line with
/// no usable name: the device tree gives it none, or gives it the placeholder `"-"` (which
/// `gpioinfo` prints as `"-"` but which several lines share, so it cannot pick out a line).
/// Such lines can still be used by offset.
public enum KnownGPIOChips {
    /// The line names of a chip, by its label; nil when the chip is not known.
    ///
    /// These are the names the current Raspberry Pi OS kernel (raspberrypi/linux) reports.
    /// Other kernels name some lines differently; ``acceptedNames(ofChipLabel:)`` also accepts those names.
    public static func lineNames(ofChipLabel label: String) -> [String]? {
        switch label {
        case "pinctrl-bcm2711": bcm2711
        case "pinctrl-rp1": rp1
        default: nil
        }
    }

    /// Every name a line of the chip has under a kernel we know of (the current Raspberry Pi
    /// OS kernel, older Raspberry Pi OS kernels and mainline Linux, as Debian ships); nil when
    /// the chip is not known. Never contains `""`.
    public static func acceptedNames(ofChipLabel label: String) -> Set<String>? {
        let tables: [[String]]
        switch label {
        case "pinctrl-bcm2711": tables = [bcm2711, bcm2711Mainline]
        case "pinctrl-rp1": tables = [rp1, rp1Launch]
        default: return nil
        }
        var names = Set<String>()
        for table in tables {
            for name in table where !name.isEmpty { names.insert(name) }
        }
        return names
    }

    /// Raspberry Pi 4 Model B, chip `pinctrl-bcm2711` (58 lines: the BCM2711 has GPIO 0–57),
    /// as named by the Raspberry Pi OS kernel.
    ///
    /// From `gpio-line-names` of `&gpio` in arch/arm/boot/dts/broadcom/bcm2711-rpi-4-b.dts,
    /// raspberrypi/linux (current branches; the list appears twice in the file, the same both
    /// times). Offset 29 is spelled `RGMIO_MDC` there, not `RGMII_MDC`.
    static let bcm2711: [String] = [
        "ID_SDA", "ID_SCL", "GPIO2", "GPIO3", "GPIO4",                          // 0-4
        "GPIO5", "GPIO6", "GPIO7", "GPIO8", "GPIO9",                            // 5-9
        "GPIO10", "GPIO11", "GPIO12", "GPIO13", "GPIO14",                       // 10-14
        "GPIO15", "GPIO16", "GPIO17", "GPIO18", "GPIO19",                       // 15-19
        "GPIO20", "GPIO21", "GPIO22", "GPIO23", "GPIO24",                       // 20-24
        "GPIO25", "GPIO26", "GPIO27", "RGMII_MDIO", "RGMIO_MDC",                // 25-29
        "CTS0", "RTS0", "TXD0", "RXD0", "SD1_CLK",                              // 30-34
        "SD1_CMD", "SD1_DATA0", "SD1_DATA1", "SD1_DATA2", "SD1_DATA3",          // 35-39
        "PWM0_MISO", "PWM1_MOSI", "STATUS_LED_G_CLK", "SPIFLASH_CE_N", "SDA0",  // 40-44
        "SCL0", "RGMII_RXCLK", "RGMII_RXCTL", "RGMII_RXD0", "RGMII_RXD1",       // 45-49
        "RGMII_RXD2", "RGMII_RXD3", "RGMII_TXCLK", "RGMII_TXCTL", "RGMII_TXD0", // 50-54
        "RGMII_TXD1", "RGMII_TXD2", "RGMII_TXD3",                               // 55-57
    ]

    /// Raspberry Pi 4 Model B, chip `pinctrl-bcm2711`, as named by mainline Linux (the device
    /// trees Debian's kernel uses).
    ///
    /// From `gpio-line-names` of `&gpio` in arch/arm/boot/dts/broadcom/bcm2711-rpi-4-b.dts,
    /// torvalds/linux. Older Raspberry Pi OS kernels (arch/arm/boot/dts/bcm2711-rpi-4-b.dts,
    /// raspberrypi/linux, before the move to broadcom/) used these names too, except for
    /// `RGMIO_MDC` at offset 29.
    static let bcm2711Mainline: [String] = [
        "ID_SDA", "ID_SCL", "SDA1", "SCL1", "GPIO_GCLK",                        // 0-4
        "GPIO5", "GPIO6", "SPI_CE1_N", "SPI_CE0_N", "SPI_MISO",                 // 5-9
        "SPI_MOSI", "SPI_SCLK", "GPIO12", "GPIO13", "TXD1",                     // 10-14
        "RXD1", "GPIO16", "GPIO17", "GPIO18", "GPIO19",                         // 15-19
        "GPIO20", "GPIO21", "GPIO22", "GPIO23", "GPIO24",                       // 20-24
        "GPIO25", "GPIO26", "GPIO27", "RGMII_MDIO", "RGMII_MDC",                // 25-29
        "CTS0", "RTS0", "TXD0", "RXD0", "SD1_CLK",                              // 30-34
        "SD1_CMD", "SD1_DATA0", "SD1_DATA1", "SD1_DATA2", "SD1_DATA3",          // 35-39
        "PWM0_MISO", "PWM1_MOSI", "STATUS_LED_G_CLK", "SPIFLASH_CE_N", "SDA0",  // 40-44
        "SCL0", "RGMII_RXCLK", "RGMII_RXCTL", "RGMII_RXD0", "RGMII_RXD1",       // 45-49
        "RGMII_RXD2", "RGMII_RXD3", "RGMII_TXCLK", "RGMII_TXCTL", "RGMII_TXD0", // 50-54
        "RGMII_TXD1", "RGMII_TXD2", "RGMII_TXD3",                               // 55-57
    ]

    /// Raspberry Pi 5, chip `pinctrl-rp1` (54 lines), as named by the Raspberry Pi OS kernel.
    ///
    /// From `gpio-line-names` of `&rp1_gpio` in arch/arm64/boot/dts/broadcom/bcm2712-rpi-5-b.dts,
    /// raspberrypi/linux (current branches). Lines 33, 37 and 50–53 are `"-"` there.
    /// Mainline Linux (torvalds/linux) gives the RP1 lines no names at all.
    static let rp1: [String] = [
        "ID_SDA", "ID_SCL", "GPIO2", "GPIO3", "GPIO4",                          // 0-4
        "GPIO5", "GPIO6", "GPIO7", "GPIO8", "GPIO9",                            // 5-9
        "GPIO10", "GPIO11", "GPIO12", "GPIO13", "GPIO14",                       // 10-14
        "GPIO15", "GPIO16", "GPIO17", "GPIO18", "GPIO19",                       // 15-19
        "GPIO20", "GPIO21", "GPIO22", "GPIO23", "GPIO24",                       // 20-24
        "GPIO25", "GPIO26", "GPIO27", "PCIE_RP1_WAKE", "FAN_TACH",              // 25-29
        "HOST_SDA", "HOST_SCL", "ETH_RST_N", "", "CD0_IO0_MICCLK",              // 30-34
        "CD0_IO0_MICDAT0", "RP1_PCIE_CLKREQ_N", "", "CD0_SDA", "CD0_SCL",       // 35-39
        "CD1_SDA", "CD1_SCL", "USB_VBUS_EN", "USB_OC_N", "RP1_STAT_LED",        // 40-44
        "FAN_PWM", "CD1_IO0_MICCLK", "2712_WAKE", "CD1_IO1_MICDAT1", "EN_MAX_USB_CUR", // 45-49
        "", "", "", "",                                                         // 50-53
    ]

    /// Raspberry Pi 5, chip `pinctrl-rp1`, as named by the early Pi 5 kernels of Raspberry Pi
    /// OS (late 2023): header lines named by their pin on the 40-pin header.
    ///
    /// From `gpio-line-names` of `&rp1_gpio` in an early version of bcm2712-rpi-5-b.dts,
    /// raspberrypi/linux (stored as arch/arm/boot/dts/broadcom/bcm2712-rpi-5-b.dts); offsets
    /// 28–53 are as in ``rp1``.
    static let rp1Launch: [String] = [
        "ID_SD", "ID_SC", "PIN3", "PIN5", "PIN7",                               // 0-4
        "PIN29", "PIN31", "PIN26", "PIN24", "PIN21",                            // 5-9
        "PIN19", "PIN23", "PIN32", "PIN33", "PIN8",                             // 10-14
        "PIN10", "PIN36", "PIN11", "PIN12", "PIN35",                            // 15-19
        "PIN38", "PIN40", "PIN15", "PIN16", "PIN18",                            // 20-24
        "PIN22", "PIN37", "PIN13", "PCIE_RP1_WAKE", "FAN_TACH",                 // 25-29
        "HOST_SDA", "HOST_SCL", "ETH_RST_N", "", "CD0_IO0_MICCLK",              // 30-34
        "CD0_IO0_MICDAT0", "RP1_PCIE_CLKREQ_N", "", "CD0_SDA", "CD0_SCL",       // 35-39
        "CD1_SDA", "CD1_SCL", "USB_VBUS_EN", "USB_OC_N", "RP1_STAT_LED",        // 40-44
        "FAN_PWM", "CD1_IO0_MICCLK", "2712_WAKE", "CD1_IO1_MICDAT1", "EN_MAX_USB_CUR", // 45-49
        "", "", "", "",                                                         // 50-53
    ]

    /// The offset of the line called `name` on the chip labelled `label`, under any kernel we
    /// know of; nil when the chip or the name is not known.
    public static func offset(of name: String, onChipLabel label: String) -> Int? {
        let tables: [[String]]
        switch label {
        case "pinctrl-bcm2711": tables = [bcm2711, bcm2711Mainline]
        case "pinctrl-rp1": tables = [rp1, rp1Launch]
        default: return nil
        }
        for table in tables {
            if let offset = table.firstIndex(of: name) { return offset }
        }
        return nil
    }
}
