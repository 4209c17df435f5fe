// TestHost: every IOTOY type and function shape, for testing hosts.
// The sketch lives in TestHost.cpp (plain C++, builds with make and in the IDE).
#include <IOToy.h>
