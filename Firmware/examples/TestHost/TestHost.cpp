// TestHost: an IOTOY device with every attribute type and every function shape
// (0, 1 and 2 arguments, with and without a result, a slow one, one that fails),
// like the original TestHostTiny. Used by the tests of the host side.
#include <IOToy.h>

static int driveForwardTimeMs = 1500;
static int turnTimeMs = 800;
static char strId[24] = "testhost";
static float ratio = 0.5;
static bool someFlag = true;
static int calls;

static void uptime(IOToyValue &v) { v.i = (int32_t)millis(); }

static const IOToyAttr attrs[] PROGMEM = {
    IOTOY_ATTR("drive_forward_time_ms:int - How long to move forward", driveForwardTimeMs),
    IOTOY_ATTR_RANGE("turn_time_ms:int - How long to turn, 0 to 10000", turnTimeMs, 0, 10000),
    IOTOY_ATTR("str_id:str - Sample string attribute (up to 23 characters)", strId),
    IOTOY_ATTR("ratio:float - Sample float attribute", ratio),
    IOTOY_ATTR("some_flag:bool - Sample boolean attribute", someFlag),
    IOTOY_ATTR_FN("uptime_ms:int - Milliseconds since reset (read-only)", uptime, NULL),
};

static void oneArgIntResultInt(IOToyCall &c) { calls++; c.returnInt(c.argInt(0)); }
static void bareCommand(IOToyCall &) { calls++; }
static void callCount(IOToyCall &c) { c.returnInt(++calls); }
static void setFlag(IOToyCall &c) { calls++; someFlag = c.argBool(0); }
static void add(IOToyCall &c) { calls++; c.returnInt(c.argInt(0) + c.argInt(1)); }
static void scale(IOToyCall &c) { calls++; c.returnFloat(c.argFloat(0) * c.argFloat(1)); }
static void echo(IOToyCall &c) { calls++; c.returnStr(c.argStr(0)); }
static void notFlag(IOToyCall &c) { calls++; c.returnBool(!c.argBool(0)); }

static void divide(IOToyCall &c) {
    calls++;
    if (c.argInt(1) == 0) c.fail();  // 500:Bad Value:-
    else c.returnInt(c.argInt(0) / c.argInt(1));
}

static char labelled[48];
static void label(IOToyCall &c) {   // "label 3 some words" -> "3: some words"
    calls++;
    ltoa(c.argInt(0), labelled, 10);
    strcat(labelled, ": ");
    strncat(labelled, c.argStr(1), sizeof labelled - strlen(labelled) - 1);
    c.returnStr(labelled);
}

// A slow function: the reply is deferred, loop() keeps running.
static bool slowPending;
static unsigned long slowStart, slowMs;
static void slow(IOToyCall &c) {
    calls++;
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
