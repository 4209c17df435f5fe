// BotHost: a two-wheeled robot on two continuous-rotation servos, left wheel on
// D9 and right wheel on D10 (mounted mirrored). 1500 us stops a wheel; speed
// 100 is 1500 +/- 500 us. Moves are millis()-driven: the reply to forward,
// backward, left and right comes when the move ends, and loop() never blocks.
#include <IOToy.h>
#include <IOToyServo.h>

#define LEFT 0
#define RIGHT 1
#define NEUTRAL_US 1500

static int driveForwardTimeMs = 1500;
static int turnTimeMs = 800;
static int speed = 100;

static const IOToyAttr attrs[] PROGMEM = {
    IOTOY_ATTR_RANGE("drive_forward_time_ms:int - Default forward/backward time (ms)",
                     driveForwardTimeMs, 0, 30000),
    IOTOY_ATTR_RANGE("turn_time_ms:int - Default turn time (ms)", turnTimeMs, 0, 30000),
    IOTOY_ATTR_RANGE("speed:int - Wheel speed in percent, 0 to 100", speed, 0, 100),
};

static bool moving;
static unsigned long moveStart, moveMs;

// dl, dr: wheel directions (+1 forward, -1 backward, 0 stop)
static void wheels(int8_t dl, int8_t dr) {
    int16_t off = speed * 5;
    IOToyServo::writeMicroseconds(LEFT, NEUTRAL_US + dl * off);
    IOToyServo::writeMicroseconds(RIGHT, NEUTRAL_US - dr * off);  // mirrored
}

static void move(IOToyCall &c, int8_t dl, int8_t dr, int defaultMs) {
    int32_t ms = c.argInt(0);
    if (ms < 0 || ms > 30000) { c.fail(); return; }
    moveMs = ms ? ms : defaultMs;
    moveStart = millis();
    moving = true;
    wheels(dl, dr);
    c.defer();
}

static void forward(IOToyCall &c) { move(c, 1, 1, driveForwardTimeMs); }
static void backward(IOToyCall &c) { move(c, -1, -1, driveForwardTimeMs); }
static void left(IOToyCall &c) { move(c, -1, 1, turnTimeMs); }
static void right(IOToyCall &c) { move(c, 1, -1, turnTimeMs); }
static void stop(IOToyCall &) { moving = false; wheels(0, 0); }

static const IOToyFunc funcs[] PROGMEM = {
    {"forward ms:int -> - Drive forward for ms milliseconds (0: drive_forward_time_ms)", forward},
    {"backward ms:int -> - Drive backward for ms milliseconds (0: drive_forward_time_ms)", backward},
    {"left ms:int -> - Turn left on the spot for ms milliseconds (0: turn_time_ms)", left},
    {"right ms:int -> - Turn right on the spot for ms milliseconds (0: turn_time_ms)", right},
    {"stop -> - Stop both wheels", stop},
};

static IOToy host("bothost", attrs, IOTOY_COUNT(attrs), funcs, IOTOY_COUNT(funcs));

void setup() {
    Serial.begin(19200);
    IOToyServo::attach(LEFT, 9);
    IOToyServo::attach(RIGHT, 10);
    moving = false;
    wheels(0, 0);
    host.begin(Serial);
}

void loop() {
    host.poll();
    if (moving && millis() - moveStart >= moveMs) {
        moving = false;
        wheels(0, 0);
        host.complete();
    }
    iotoyIdle();
}
