// BotHost: a two-wheeled robot on continuous-rotation servos (D9 left, D10 right).
// The sketch lives in BotHost.cpp (plain C++, builds with make and in the IDE).
#include <IOToy.h>
#include <IOToyServo.h>
