// IOToy values: type names, parsing and formatting, and the idle helper.
#include "IOToy.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __AVR__
#include <avr/sleep.h>
#endif

uint8_t iotoyTypeOf(const char *t, size_t n) {
    if (n == 3 && !strncmp_P(t, PSTR("int"), 3)) return IOTOY_INT;
    if (n == 5 && !strncmp_P(t, PSTR("float"), 5)) return IOTOY_FLOAT;
    if (n == 4 && !strncmp_P(t, PSTR("bool"), 4)) return IOTOY_BOOL;
    if (n == 3 && !strncmp_P(t, PSTR("str"), 3)) return IOTOY_STR;
    if (n == 1 && t[0] == 'T') return IOTOY_STR;  // "any": passed as text
    return IOTOY_NONE;
}

// Bool spellings, in flash.
static const char TRUE_WORDS[][6] PROGMEM = {"True", "true", "1", "t", "T"};
static const char FALSE_WORDS[][6] PROGMEM = {"False", "false", "0", "f", "F"};

static bool isOneOf(const char *s, const char (*words)[6]) {
    for (uint8_t i = 0; i < 5; i++)
        if (!strcmp_P(s, words[i])) return true;
    return false;
}

bool iotoyParse(uint8_t type, char *text, IOToyValue &out) {
    char *end;
    out.type = type;
    switch (type) {
    case IOTOY_INT: {
        if (!*text) return false;
        errno = 0;
        long v = strtol(text, &end, 10);
        if (*end || errno || v > IOTOY_INT_MAX || v < IOTOY_INT_MIN) return false;
        out.i = (int32_t)v;
        return true;
    }
    case IOTOY_FLOAT: {
        if (!*text) return false;
        double v = strtod(text, &end);
        if (*end) return false;
        out.f = (float)v;
        return true;
    }
    case IOTOY_BOOL:
        if (isOneOf(text, TRUE_WORDS))
            out.b = true;
        else if (isOneOf(text, FALSE_WORDS))
            out.b = false;
        else
            return false;
        return true;
    default:
        out.type = IOTOY_STR;
        out.s = text;
        return true;
    }
}

// Writes f with about 6 significant digits: "0.5", "2.0", "-12.25", "1.5e+10".
void iotoyFormatFloat(char *p, float f) {
    if (isnan(f)) { strcpy_P(p, PSTR("nan")); return; }
    if (f < 0) { *p++ = '-'; f = -f; }
    if (isinf(f)) { strcpy_P(p, PSTR("inf")); return; }
    int8_t e = 0;
    bool sci = f >= 1e9f || (f != 0 && f < 1e-4f);
    if (sci) {
        while (f >= 10) { f /= 10; e++; }
        while (f < 1) { f *= 10; e--; }
    }
    uint32_t ip = (uint32_t)f;
    uint8_t digits = 1;
    for (uint32_t t = ip; t >= 10; t /= 10) digits++;
    uint8_t dec = digits >= 6 ? 1 : 6 - digits;
    uint32_t scale = 1;
    for (uint8_t i = 0; i < dec; i++) scale *= 10;
    uint32_t frac = (uint32_t)((f - ip) * scale + 0.5f);
    if (frac >= scale) { ip++; frac -= scale; }
    if (sci && ip >= 10) { ip = 1; e++; }  // 9.999999 rounded up to 10
    ultoa(ip, p, 10);
    p += strlen(p);
    *p++ = '.';
    for (uint32_t s = scale / 10; s; s /= 10) { *p++ = '0' + (frac / s) % 10; }
    while (p[-1] == '0' && p[-2] != '.') p--;
    *p = 0;
    if (sci) {
        *p++ = 'e';
        *p++ = e < 0 ? '-' : '+';
        itoa(e < 0 ? -e : e, p, 10);
    }
}

void iotoyIdle() {
#ifdef __AVR__
    set_sleep_mode(SLEEP_MODE_IDLE);  // any interrupt (UART, millis, servo) wakes
    sleep_mode();
#elif defined(IOTOY_HOST)
    hostIdle();
#endif
}
