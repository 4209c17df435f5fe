/// The BME280's trimming parameters and the datasheet's integer compensation formulas
/// (BME280 datasheet §4.2.3: 32-bit temperature and humidity, 64-bit pressure).
public struct BME280Compensation: Sendable, Hashable {
    public let t1: Int, t2: Int, t3: Int
    public let p1: Int, p2: Int, p3: Int, p4: Int, p5: Int, p6: Int, p7: Int, p8: Int, p9: Int
    public let h1: Int, h2: Int, h3: Int, h4: Int, h5: Int, h6: Int

    /// Decodes the trimming parameters from the 26 bytes at 0x88…0xA1 and the 7 bytes at
    /// 0xE1…0xE7, laid out as the datasheet's table 16 says.
    public init(block88: [UInt8], blockE1: [UInt8]) {
        precondition(block88.count >= 26 && blockE1.count >= 7, "calibration blocks are 26 and 7 bytes")
        func u16(_ bytes: [UInt8], _ index: Int) -> Int { Int(bytes[index]) | Int(bytes[index + 1]) << 8 }
        func s16(_ bytes: [UInt8], _ index: Int) -> Int { Int(Int16(bitPattern: UInt16(u16(bytes, index)))) }
        t1 = u16(block88, 0); t2 = s16(block88, 2); t3 = s16(block88, 4)
        p1 = u16(block88, 6); p2 = s16(block88, 8); p3 = s16(block88, 10); p4 = s16(block88, 12)
        p5 = s16(block88, 14); p6 = s16(block88, 16); p7 = s16(block88, 18); p8 = s16(block88, 20)
        p9 = s16(block88, 22)
        h1 = Int(block88[25])
        h2 = s16(blockE1, 0)
        h3 = Int(blockE1[2])
        // H4 and H5 are signed 12-bit values sharing register 0xE5.
        let e4 = Int(Int8(bitPattern: blockE1[3])), e5 = Int(blockE1[4]), e6 = Int(Int8(bitPattern: blockE1[5]))
        h4 = e4 << 4 | (e5 & 0x0f)
        h5 = e6 << 4 | (e5 >> 4)
        h6 = Int(Int8(bitPattern: blockE1[6]))
    }

    /// Temperature in 0.01 °C and the `t_fine` the other two formulas need.
    public func temperature(adc: Int) -> (centiCelsius: Int, tFine: Int) {
        let var1 = (((adc >> 3) - (t1 << 1)) * t2) >> 11
        let var2 = (((((adc >> 4) - t1) * ((adc >> 4) - t1)) >> 12) * t3) >> 14
        let tFine = var1 + var2
        return ((tFine * 5 + 128) >> 8, tFine)
    }

    /// Pressure in Pa as Q24.8 (divide by 256), or 0 when the formula would divide by zero.
    public func pressure(adc: Int, tFine: Int) -> Int {
        var var1 = Int64(tFine) - 128_000
        var var2 = var1 * var1 * Int64(p6)
        var2 = var2 + ((var1 * Int64(p5)) << 17)
        var2 = var2 + (Int64(p4) << 35)
        var1 = ((var1 * var1 * Int64(p3)) >> 8) + ((var1 * Int64(p2)) << 12)
        var1 = (((Int64(1) << 47) + var1) * Int64(p1)) >> 33
        if var1 == 0 { return 0 }
        var p = Int64(1_048_576 - adc)
        p = (((p << 31) - var2) * 3125) / var1
        var1 = (Int64(p9) * (p >> 13) * (p >> 13)) >> 25
        var2 = (Int64(p8) * p) >> 19
        p = ((p + var1 + var2) >> 8) + (Int64(p7) << 4)
        return Int(p)
    }

    /// Relative humidity in %RH as Q22.10 (divide by 1024).
    public func humidity(adc: Int, tFine: Int) -> Int {
        var v = tFine - 76_800
        v = (((((adc << 14) - (h4 << 20) - (h5 * v)) + 16_384) >> 15)
            * (((((((v * h6) >> 10) * (((v * h3) >> 11) + 32_768)) >> 10) + 2_097_152) * h2 + 8_192) >> 14))
        v = v - (((((v >> 15) * (v >> 15)) >> 7) * h1) >> 4)
        v = min(max(v, 0), 419_430_400)
        return v >> 12
    }
}
