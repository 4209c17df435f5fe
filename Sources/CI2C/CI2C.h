// libi2c's SMBus calls (Debian: libi2c-dev, which ships no pkg-config file) and the i2c-dev
// ioctls (I2C_SLAVE, I2C_FUNCS). libi2c returns -errno on failure.
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <i2c/smbus.h>
