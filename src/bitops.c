/* bitops.c — placeholder; being written. */
#include "server.h"
