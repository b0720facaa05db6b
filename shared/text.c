/* text.c - printable UTF-8 and escaping what is not (see text.h). */
#include "text.h"

#include <stdio.h>
#include <string.h>

/* Returns the length of the printable UTF-8 character at s (at most n
 * bytes), or 0 if s does not start one (RFC 3629's table of well-formed
 * sequences, without the C0, DEL and C1 controls). */
static size_t good_char(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (s[0] == '\t' || (s[0] >= 0x20 && s[0] < 0x7f))
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0; /* controls, DEL, continuation bytes, overlong C0/C1 leads */
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (s[0] == 0xc2)
		lo = 0xa0; /* U+0080..U+009F are the C1 controls */
	else if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f; /* no UTF-16 surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

ssize_t sc_text_bad_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		size_t k = good_char(u + i, n - i);

		if (!k)
			return (ssize_t)i;
		i += k;
	}
	return -1;
}

size_t sc_text_escape(char *dst, size_t cap, const char *src)
{
	const unsigned char *u = (const unsigned char *)src;
	size_t n = strlen(src), d = 0;

	if (!cap)
		return 0;
	for (size_t i = 0; i < n;) {
		size_t k = good_char(u + i, n - i);
		char esc[5];

		if (k) {
			if (d + k >= cap)
				break;
			memcpy(dst + d, src + i, k);
			d += k;
			i += k;
			continue;
		}
		if (u[i] == '\n' || u[i] == '\r')
			snprintf(esc, sizeof(esc), "\\%c", u[i] == '\n' ? 'n' : 'r');
		else
			snprintf(esc, sizeof(esc), "\\x%02x", u[i]);
		if (d + strlen(esc) >= cap)
			break;
		memcpy(dst + d, esc, strlen(esc));
		d += strlen(esc);
		i++;
	}
	dst[d] = '\0';
	return d;
}
