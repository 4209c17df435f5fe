// IOToyServo for the host build: remembers the widths, and when the environment
// variable IOTOY_PULSE_LOG names a file, appends "<pin> <width_us>" on each change.
#include "IOToyServo.h"
#include <stdio.h>

static uint8_t pins[IOTOY_SERVOS];
static uint16_t widths[IOTOY_SERVOS];
static bool attached[IOTOY_SERVOS];

bool IOToyServo::attach(uint8_t ch, uint8_t pin) {
    if (ch >= IOTOY_SERVOS) return false;
    pins[ch] = pin;
    attached[ch] = true;
    return true;
}

void IOToyServo::writeMicroseconds(uint8_t ch, uint16_t us) {
    if (ch >= IOTOY_SERVOS || !attached[ch]) return;
    if (us && us < 400) us = 400;
    if (us > 2600) us = 2600;
    if (widths[ch] == us) return;
    widths[ch] = us;
    const char *path = getenv("IOTOY_PULSE_LOG");
    if (!path) return;
    FILE *f = fopen(path, "a");
    if (!f) return;
    fprintf(f, "%u %u\n", pins[ch], us);
    fclose(f);
}

void IOToyServo::writeDegrees(uint8_t ch, int16_t deg) {
    writeMicroseconds(ch, degreesToMicroseconds(deg));
}

uint16_t IOToyServo::microseconds(uint8_t ch) { return ch < IOTOY_SERVOS ? widths[ch] : 0; }
