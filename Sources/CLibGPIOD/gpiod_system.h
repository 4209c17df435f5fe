// The installed libgpiod (v1 or v2), found through pkg-config. Only the CGPIOD shim includes it;
// Swift code uses the shim's stable API instead (the two versions are not source compatible).
#include <gpiod.h>
