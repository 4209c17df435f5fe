// libmosquitto, the reference MQTT client library (Debian: libmosquitto-dev), and what the
// client's own thread waits with: poll(2) on the broker's socket and an eventfd that wakes it
// when a message is queued.
#include <mosquitto.h>
#include <poll.h>
#include <sys/eventfd.h>
