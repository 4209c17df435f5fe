// IOToyServo for AVR (ATmega328P and similar): Timer1 compare-A interrupt.
// The host build has its own implementation (host/IOToyServoHost.cpp).
#ifdef __AVR__
#include "IOToyServo.h"
#include <avr/interrupt.h>

#define TICKS_PER_US 2  // 16 MHz / 8
static volatile uint8_t *out[IOTOY_SERVOS];
static uint8_t mask[IOTOY_SERVOS];
static volatile uint16_t ticks[IOTOY_SERVOS];  // pulse width, 0 = off
static uint16_t widthUs[IOTOY_SERVOS];
static int8_t current = IOTOY_SERVOS;   // channel whose pin is high (none)
static int8_t upcoming = IOTOY_SERVOS;  // channel to raise at the next compare
static uint16_t frameStart;
static volatile uint8_t spare;  // stands in for a port when there is no edge
static bool running;

static int8_t nextActive(int8_t ch) {
    while (ch < IOTOY_SERVOS && !ticks[ch]) ch++;
    return ch;
}

// Each compare ends one pulse and starts the next, pins first (so both edges
// of a pulse come at the same point of the ISR), then schedules the next compare.
ISR(TIMER1_COMPA_vect) {
    int8_t c = current, n = upcoming;
    if (n < IOTOY_SERVOS && !ticks[n]) n = IOTOY_SERVOS;  // switched off meanwhile
    // Same work whatever the case, so every edge lands at the same point.
    volatile uint8_t *lo = c < IOTOY_SERVOS ? out[c] : &spare;
    volatile uint8_t *hi = n < IOTOY_SERVOS ? out[n] : &spare;
    uint8_t loMask = c < IOTOY_SERVOS ? mask[c] : 0, hiMask = n < IOTOY_SERVOS ? mask[n] : 0;
    *lo &= ~loMask;
    *hi |= hiMask;
    current = n;
    if (n < IOTOY_SERVOS) {
        OCR1A += ticks[n];
        upcoming = nextActive(n + 1);
    } else {  // all pulses of this frame done: wait for the next 20 ms frame
        frameStart += (uint16_t)(IOTOY_SERVO_FRAME_US * (uint32_t)TICKS_PER_US);
        OCR1A = frameStart;
        upcoming = nextActive(0);
    }
}

static void start() {
    uint8_t sreg = SREG;
    cli();
    TCCR1A = 0;              // normal mode (the core set up 8-bit PWM)
    TCCR1B = _BV(CS11);      // clk/8: 0.5 us per tick
    current = upcoming = IOTOY_SERVOS;
    frameStart = TCNT1 + 100;
    OCR1A = frameStart;
    TIFR1 = _BV(OCF1A);
    TIMSK1 = _BV(OCIE1A);
    running = true;
    SREG = sreg;
}

bool IOToyServo::attach(uint8_t ch, uint8_t pin) {
    if (ch >= IOTOY_SERVOS) return false;
    pinMode(pin, OUTPUT);
    digitalWrite(pin, LOW);
    uint8_t sreg = SREG;
    cli();
    out[ch] = portOutputRegister(digitalPinToPort(pin));
    mask[ch] = digitalPinToBitMask(pin);
    SREG = sreg;
    if (!running) start();
    return true;
}

void IOToyServo::writeMicroseconds(uint8_t ch, uint16_t us) {
    if (ch >= IOTOY_SERVOS || !out[ch]) return;
    if (us && us < 400) us = 400;
    if (us > 2600) us = 2600;
    widthUs[ch] = us;
    uint8_t sreg = SREG;
    cli();
    ticks[ch] = us * TICKS_PER_US;
    SREG = sreg;
}

void IOToyServo::writeDegrees(uint8_t ch, int16_t deg) {
    writeMicroseconds(ch, degreesToMicroseconds(deg));
}

uint16_t IOToyServo::microseconds(uint8_t ch) {
    return ch < IOTOY_SERVOS ? widthUs[ch] : 0;
}
#endif
