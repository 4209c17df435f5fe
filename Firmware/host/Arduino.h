// A small Arduino shim so the firmware builds as a Linux program (make host).
// Serial is a pseudo-terminal; see HostMain.cpp. Not the Arduino core: only
// what the IOToy library and its examples use.
#ifndef HOST_ARDUINO_H
#define HOST_ARDUINO_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IOTOY_HOST 1
#define PROGMEM
#define PSTR(s) (s)
#define pgm_read_byte(p) (*(const uint8_t *)(p))
#define pgm_read_word(p) (*(const uint16_t *)(p))
#define pgm_read_ptr(p) (*(const void *const *)(p))
#define memcpy_P memcpy
#define strlen_P strlen
#define strcmp_P strcmp
#define strncmp_P strncmp
#define strcpy_P strcpy

#define HIGH 1
#define LOW 0
#define INPUT 0
#define OUTPUT 1
#define INPUT_PULLUP 2
#define A0 14

typedef uint8_t byte;
typedef bool boolean;

unsigned long millis();
unsigned long micros();
void delay(unsigned long ms);
void delayMicroseconds(unsigned int us);
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t value);
int digitalRead(uint8_t pin);
int analogRead(uint8_t pin);

// avr-libc conversions that glibc lacks.
char *itoa(int value, char *buf, int radix);
char *utoa(unsigned value, char *buf, int radix);
char *ltoa(long value, char *buf, int radix);
char *ultoa(unsigned long value, char *buf, int radix);

class Print {
public:
    virtual ~Print() {}
    virtual size_t write(uint8_t c) = 0;
    virtual size_t write(const uint8_t *buf, size_t n) {
        for (size_t i = 0; i < n; i++) write(buf[i]);
        return n;
    }
    size_t print(const char *s) { return write((const uint8_t *)s, strlen(s)); }
    size_t println(const char *s) { return print(s) + print("\r\n"); }
    virtual void flush() {}
};

class Stream : public Print {
public:
    virtual int available() = 0;
    virtual int read() = 0;
    virtual int peek() = 0;
};

// The UART: reads and writes the master side of a pseudo-terminal.
class HostSerial : public Stream {
public:
    void begin(unsigned long baud) { (void)baud; }
    int available();
    int read();
    int peek();
    size_t write(uint8_t c);
    size_t write(const uint8_t *buf, size_t n);
    void flush();
    operator bool() { return true; }
    void attachFd(int fd);
private:
    int fd = -1;
    uint8_t rx[64];
    uint8_t head = 0, tail = 0;  // ring of 64 bytes, as the Uno's
    uint8_t tx[256];
    size_t txLen = 0;
};
extern HostSerial Serial;

void hostIdle();  // wait up to ~1 ms for input (keeps a host build off the CPU)

void setup();
void loop();

#endif
