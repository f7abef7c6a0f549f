/* ini.c - placeholder until the INI editor lands. */
#include "idc/buf.h"
