// TestHost: an IOTOY device with every attribute type and every function shape
// (0, 1 and 2 arguments, with and without a result, a slow one, one that fails),
// like the original TestHostTiny. Used by the tests of the host side.
#include <IOToy.h>
#include <math.h>

static int driveForwardTimeMs = 1500;
static int turnTimeMs = 800;
static char strId[24] = "testhost";
static float ratio = 0.5;
static bool someFlag = true;
static int32_t calls;  // an int result: counts up to IOTOY_INT_MAX and stays there
static void count() { if (calls < IOTOY_INT_MAX) calls++; }

static void uptime(IOToyValue &v) { v.i = (int32_t)millis(); }

static const IOToyAttr attrs[] PROGMEM = {
    IOTOY_ATTR("drive_forward_time_ms:int - How long to move forward", driveForwardTimeMs),
    IOTOY_ATTR_RANGE("turn_time_ms:int - How long to turn, 0 to 10000", turnTimeMs, 0, 10000),
    IOTOY_ATTR("str_id:str - Sample string attribute (up to 23 characters)", strId),
    IOTOY_ATTR("ratio:float - Sample float attribute", ratio),
    IOTOY_ATTR("some_flag:bool - Sample boolean attribute", someFlag),
    IOTOY_ATTR_FN("uptime_ms:int - Milliseconds since reset (read-only)", uptime, NULL),
};

static void oneArgIntResultInt(IOToyCall &c) { count(); c.returnInt(c.argInt(0)); }
static void bareCommand(IOToyCall &) { count(); }
static void callCount(IOToyCall &c) { count(); c.returnInt(calls); }
static void setFlag(IOToyCall &c) { count(); someFlag = c.argBool(0); }
static void echo(IOToyCall &c) { count(); c.returnStr(c.argStr(0)); }
static void notFlag(IOToyCall &c) { count(); c.returnBool(!c.argBool(0)); }

// Int results are 32-bit on the wire (-2147483648..2147483647): a result that
// does not fit is refused (500:Bad Value:-), never wrapped.
static void add(IOToyCall &c) {
    count();
    int32_t sum;
    if (__builtin_add_overflow(c.argInt(0), c.argInt(1), &sum)) c.fail();
    else c.returnInt(sum);
}

static void divide(IOToyCall &c) {
    count();
    int32_t a = c.argInt(0), b = c.argInt(1);
    if (b == 0 || (b == -1 && a == IOTOY_INT_MIN)) c.fail();  // -2147483648 / -1 does not fit
    else c.returnInt(a / b);
}

// Likewise a float product that overflows to inf (or is nan) is refused.
static void scale(IOToyCall &c) {
    count();
    float p = c.argFloat(0) * c.argFloat(1);
    if (isinf(p) || isnan(p)) c.fail();
    else c.returnFloat(p);
}

static char labelled[48];
static void label(IOToyCall &c) {   // "label 3 some words" -> "3: some words"
    count();
    ltoa(c.argInt(0), labelled, 10);
    strcat(labelled, ": ");
    strncat(labelled, c.argStr(1), sizeof labelled - strlen(labelled) - 1);
    c.returnStr(labelled);
}

// A slow function: the reply is deferred, loop() keeps running.
static bool slowPending;
static unsigned long slowStart, slowMs;
static void slow(IOToyCall &c) {
    count();
    if (c.argInt(0) < 0) { c.fail(); return; }
    slowStart = millis();
    slowMs = (unsigned long)c.argInt(0);
    slowPending = true;
    c.defer();
}

static const IOToyFunc funcs[] PROGMEM = {
    {"one_arg_int_result_int myarg:int -> result:int - test, one arg, one result, both ints",
     oneArgIntResultInt},
    {"barecommand -> - test, no args, no result", bareCommand},
    {"no_arg_result_int -> calls:int - Count the function calls so far", callCount},
    {"one_arg_no_result flag:bool -> - Set some_flag", setFlag},
    {"add a:int b:int -> sum:int - Add two integers", add},
    {"scale x:float factor:float -> product:float - Multiply two floats", scale},
    {"echo text:str -> text:str - Answer the rest of the line", echo},
    {"not flag:bool -> result:bool - Negate a boolean", notFlag},
    {"divide a:int b:int -> quotient:int - Integer division, fails on 0", divide},
    {"label n:int text:str -> labelled:str - Number and text", label},
    {"slow ms:int -> - Answer after ms milliseconds without blocking loop()", slow},
};

static IOToy host("testhost", attrs, IOTOY_COUNT(attrs), funcs, IOTOY_COUNT(funcs));

void setup() {
    Serial.begin(19200);
    slowPending = false;
    host.begin(Serial);
}

void loop() {
    host.poll();
    if (slowPending && millis() - slowStart >= slowMs) {
        slowPending = false;
        host.complete();
    }
    iotoyIdle();
}
