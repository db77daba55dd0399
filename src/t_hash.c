/* t_hash.c — placeholder; being written. */
#include <stddef.h>
