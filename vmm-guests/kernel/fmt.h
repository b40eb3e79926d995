/* A small formatter shared by the kernel and the user programs: %d %i %u %x %s %c %p %%,
 * with the l and ll length modifiers. */
#ifndef FMT_H
#define FMT_H

#include <stdarg.h>
#include <stddef.h>

int vformat(char *buffer, size_t size, const char *format, va_list args);

#endif
