// IOToyServo: hobby-servo pulses without the Servo library and without blocking.
//
// Up to IOTOY_SERVOS channels, each on any digital pin. Timer1 (as the Arduino
// Servo library uses it) runs at 0.5 us per tick; its compare-A interrupt raises
// one channel's pin after the other for that channel's width, then waits for the
// 20 ms frame to end. Nothing runs in loop(); a width of 0 means no pulses.
// Timer1 is taken over: analogWrite() on pins 9 and 10 no longer works.
#ifndef IOTOY_SERVO_H
#define IOTOY_SERVO_H

#include <Arduino.h>

#define IOTOY_SERVOS 4
#define IOTOY_SERVO_MIN_US 544    // 0 degrees
#define IOTOY_SERVO_MAX_US 2400   // 180 degrees
#define IOTOY_SERVO_FRAME_US 20000

class IOToyServo {
public:
    // Returns false if channel is out of range.
    static bool attach(uint8_t channel, uint8_t pin);
    static void writeMicroseconds(uint8_t channel, uint16_t us);  // 0: off
    static void writeDegrees(uint8_t channel, int16_t degrees);   // 0..180
    static uint16_t microseconds(uint8_t channel);
    static uint16_t degreesToMicroseconds(int16_t degrees) {
        if (degrees < 0) degrees = 0;
        if (degrees > 180) degrees = 180;
        return IOTOY_SERVO_MIN_US +
               (uint16_t)(((uint32_t)degrees * (IOTOY_SERVO_MAX_US - IOTOY_SERVO_MIN_US) + 90) / 180);
    }
};

#endif
