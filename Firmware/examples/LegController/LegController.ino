// LegController: one robot leg, two positional servos (lift on D9, swing on D10).
// The sketch lives in LegController.cpp (plain C++, builds with make and in the IDE).
#include <IOToy.h>
#include <IOToyServo.h>
