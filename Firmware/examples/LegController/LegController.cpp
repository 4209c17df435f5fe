// LegController: one robot leg with two positional servos, lift on D9 and swing
// on D10, as int attributes in degrees. The firmware enforces the mechanical
// limits: a value outside them is refused with 500:Bad Value and not applied.
// Pulses: 544 us at 0 degrees to 2400 us at 180 degrees, every 20 ms.
#include <IOToy.h>
#include <IOToyServo.h>

#define LIFT 0
#define SWING 1
#define LIFT_MIN 20
#define LIFT_MAX 160
#define SWING_MIN 30
#define SWING_MAX 150

static int lift = 90;
static int swing = 90;

static bool setLift(const IOToyValue &v) { IOToyServo::writeDegrees(LIFT, v.i); return true; }
static bool setSwing(const IOToyValue &v) { IOToyServo::writeDegrees(SWING, v.i); return true; }

static const IOToyAttr attrs[] PROGMEM = {
    IOTOY_ATTR_RANGE_HOOK("lift:int - Lift servo angle in degrees, 20 to 160 (D9)",
                          lift, LIFT_MIN, LIFT_MAX, setLift),
    IOTOY_ATTR_RANGE_HOOK("swing:int - Swing servo angle in degrees, 30 to 150 (D10)",
                          swing, SWING_MIN, SWING_MAX, setSwing),
};

static bool inRange(int32_t v, int lo, int hi) { return v >= lo && v <= hi; }

static void move(IOToyCall &c) {
    int32_t l = c.argInt(0), s = c.argInt(1);
    if (!inRange(l, LIFT_MIN, LIFT_MAX) || !inRange(s, SWING_MIN, SWING_MAX)) { c.fail(); return; }
    lift = l;
    swing = s;
    IOToyServo::writeDegrees(LIFT, lift);
    IOToyServo::writeDegrees(SWING, swing);
}

static void center(IOToyCall &) {
    lift = swing = 90;
    IOToyServo::writeDegrees(LIFT, lift);
    IOToyServo::writeDegrees(SWING, swing);
}

static const IOToyFunc funcs[] PROGMEM = {
    {"move lift:int swing:int -> - Set both angles at once (degrees)", move},
    {"center -> - Move both servos to 90 degrees", center},
};

static IOToy host("legcontroller", attrs, IOTOY_COUNT(attrs), funcs, IOTOY_COUNT(funcs));

void setup() {
    Serial.begin(19200);
    IOToyServo::attach(LIFT, 9);
    IOToyServo::attach(SWING, 10);
    IOToyServo::writeDegrees(LIFT, lift);
    IOToyServo::writeDegrees(SWING, swing);
    host.begin(Serial);
}

void loop() {
    host.poll();
    iotoyIdle();
}
