// IOToy: the device side of the IOTOY serial protocol for Arduino.
//
// A sketch declares its attributes and functions in two tables kept in flash.
// Each entry starts with its help line, from which the library takes the name,
// the types and the help text:
//
//   int  speed = 5;
//   char label[16] = "bot";
//   const IOToyAttr attrs[] PROGMEM = {
//     IOTOY_ATTR("speed:int - Speed in cm/s", speed),
//     IOTOY_ATTR_RANGE("angle:int - Angle in degrees", angle, 20, 160),
//     IOTOY_ATTR("label:str - A name", label),
//   };
//   void doAdd(IOToyCall &c) {            // refuse a sum that is not a 32-bit int
//     int32_t sum;
//     if (__builtin_add_overflow(c.argInt(0), c.argInt(1), &sum)) c.fail();
//     else c.returnInt(sum);
//   }
//   const IOToyFunc funcs[] PROGMEM = {
//     { "add a:int b:int -> sum:int - Add two integers", doAdd },
//   };
//   IOToy host("mydevice", attrs, IOTOY_COUNT(attrs), funcs, IOTOY_COUNT(funcs));
//   void setup() { Serial.begin(19200); host.begin(Serial); }
//   void loop()  { host.poll(); }
//
// Protocol: docs/wire.md, section 1, at the top of the iotoyd repository.
#ifndef IOTOY_H
#define IOTOY_H

#include <Arduino.h>

#ifndef IOTOY_LINE_MAX
#define IOTOY_LINE_MAX 140   // line buffer, including the terminating NUL
#endif
#define IOTOY_DECL_MAX 100   // longest declaration (help line) + 1
#define IOTOY_ARGS_MAX 6     // most arguments a function may declare

// The wire's int range (32-bit signed). Int arguments are parsed to it; an int
// result a handler cannot fit in it should be refused with fail(), not wrapped.
#define IOTOY_INT_MIN (-2147483647L - 1)
#define IOTOY_INT_MAX 2147483647L

#define IOTOY_COUNT(table) ((uint8_t)(sizeof(table) / sizeof((table)[0])))

enum IOToyType { IOTOY_NONE = 0, IOTOY_INT, IOTOY_FLOAT, IOTOY_STR, IOTOY_BOOL };

// One typed value: an argument, a result, or a new attribute value.
struct IOToyValue {
    uint8_t type;            // IOToyType
    union {
        int32_t i;
        float f;
        bool b;
        const char *s;       // points into the line buffer: copy it to keep it
    };
};

// Attribute getter (fills v, whose type is already set) and setter (returns
// false to refuse the value: the device answers 500:Bad Value).
typedef void (*IOToyGetter)(IOToyValue &v);
typedef bool (*IOToySetter)(const IOToyValue &v);

struct IOToyAttr {
    char decl[IOTOY_DECL_MAX]; // "name:type - help text"
    void *var;                 // bound variable, or NULL
    uint8_t size;              // sizeof the variable (int: 2 or 4; str: buffer)
    int16_t lo, hi;            // int range when lo <= hi
    IOToyGetter get;           // optional: computes the value (else var)
    IOToySetter set;           // optional: validates/applies (then var, if any)
};

#define IOTOY_ATTR(decl, var) \
    { decl, (void *)&(var), sizeof(var), 1, 0, NULL, NULL }
#define IOTOY_ATTR_RANGE(decl, var, lo, hi) \
    { decl, (void *)&(var), sizeof(var), lo, hi, NULL, NULL }
#define IOTOY_ATTR_HOOK(decl, var, setter) \
    { decl, (void *)&(var), sizeof(var), 1, 0, NULL, setter }
#define IOTOY_ATTR_RANGE_HOOK(decl, var, lo, hi, setter) \
    { decl, (void *)&(var), sizeof(var), lo, hi, NULL, setter }
#define IOTOY_ATTR_FN(decl, getter, setter) \
    { decl, NULL, 0, 1, 0, getter, setter }

class IOToy;

// What a function handler gets: its parsed arguments, and ways to answer.
class IOToyCall {
public:
    uint8_t argc() const { return count; }
    int32_t argInt(uint8_t n) const { return args[n].i; }
    float argFloat(uint8_t n) const { return args[n].f; }
    bool argBool(uint8_t n) const { return args[n].b; }
    const char *argStr(uint8_t n) const { return args[n].s; }
    const char *raw() const { return rawArgs; } // rest of the line after the name

    void returnInt(int32_t v) { result.type = IOTOY_INT; result.i = v; }
    void returnFloat(float v) { result.type = IOTOY_FLOAT; result.f = v; }
    void returnBool(bool v) { result.type = IOTOY_BOOL; result.b = v; }
    void returnStr(const char *v) { result.type = IOTOY_STR; result.s = v; }
    void fail() { failed = true; }     // answer 500:Bad Value:-
    void defer() { deferred = true; }  // answer later with IOToy::complete*()

private:
    friend class IOToy;
    IOToyValue args[IOTOY_ARGS_MAX];
    IOToyValue result;
    const char *rawArgs;
    uint8_t count;
    bool failed, deferred;
};

typedef void (*IOToyHandler)(IOToyCall &call);

struct IOToyFunc {
    char decl[IOTOY_DECL_MAX]; // "name a:int b:str -> res:type - help text"
    IOToyHandler handler;
};

class IOToy {
public:
    // id: "plainid" or "plainid:specifier" ([a-zA-Z][a-zA-Z0-9_]*), in RAM or flash.
    IOToy(const char *id, const IOToyAttr *attrs, uint8_t nattrs,
          const IOToyFunc *funcs, uint8_t nfuncs);

    void begin(Stream &io);   // prints 200:DEV READY:<id>
    void poll();              // call from loop(): never blocks on input

    // Answer a deferred call. While a call is deferred no input is read
    // (bytes wait in the UART buffer): one command in flight, as on the wire.
    bool pending() const { return waiting; }
    void complete();                  // 200:Success:-
    void completeInt(int32_t v);
    void completeFloat(float v);
    void completeBool(bool v);
    void completeStr(const char *v);
    void completeFail();              // 500:Bad Value:-

private:
    const char *id;
    const IOToyAttr *attrs;
    const IOToyFunc *funcs;
    uint8_t nattrs, nfuncs;
    Stream *io;
    char line[IOTOY_LINE_MAX];
    uint8_t len;
    bool overflow, lastCR, waiting;

    void dispatch();
    void cmdFuncs();
    void cmdAttrs();
    void cmdHelp(const char *name);
    void cmdGet(const char *name);
    void cmdSet(char *rest);
    void cmdCall(char *name);
    void ready();
    int8_t findAttr(const char *name, size_t n, IOToyAttr &a);
    int8_t findFunc(const char *name, size_t n, IOToyFunc &f);
    void reply(uint16_t code, const char *statusP, const char *data, bool dataP);
    void put(const char *s);
    void putP(const char *s);
    void putN_P(const char *s, size_t n);
    void putValue(const IOToyValue &v);
    void end();
    void finish(const IOToyValue *v);
};

// Lowest-level helpers, shared with the examples and the host tests.
bool iotoyParse(uint8_t type, char *text, IOToyValue &out);
uint8_t iotoyTypeOf(const char *name, size_t n); // IOToyType, IOTOY_NONE if unknown
void iotoyFormatFloat(char *buf, float f);  // ~6 significant digits; buf >= 16 bytes
void iotoyIdle();  // sleep until the next interrupt (AVR), or ~1 ms (host)

#endif
