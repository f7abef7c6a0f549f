/* http.c - placeholder until the libcurl module lands (see http.h). */
#include "idc/http.h"
