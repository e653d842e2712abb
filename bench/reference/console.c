/* The C reference for the code-size benchmark: templates/console.ts and
 * templates/banner.ts written as a C programmer would, compiled with -Os.
 * Not part of the product; bench/compiler.ts compares sizes against it. */
#include <stdint.h>

void rt_putc(uint8_t c);

void console_puts(const char *s) {
	for (; *s; s++)
		rt_putc((uint8_t)*s);
}

void console_putn(const uint8_t *s, uint64_t n) {
	for (uint64_t i = 0; i < n; i++)
		rt_putc(s[i]);
}

void console_puthex(uint64_t v) {
	rt_putc('0');
	rt_putc('x');
	uint64_t shift = 60;
	while (shift > 0 && (v >> shift) == 0)
		shift -= 4;
	for (;;) {
		uint8_t d = (v >> shift) & 0xf;
		rt_putc(d < 10 ? d + '0' : d + 'a' - 10);
		if (shift == 0)
			break;
		shift -= 4;
	}
}

struct handoff {
	uint64_t magic;
	uint32_t version, size;
	uint64_t flags, image_addr, image_size, initrd_addr, initrd_size;
	uint64_t dtb_addr, dtb_size, cmdline_addr, cmdline_size;
};

static void range(const char *label, uint64_t addr, uint64_t size) {
	console_puts(label);
	console_puthex(addr);
	rt_putc('+');
	console_puthex(size);
}

void banner_banner(const struct handoff *h, const char *arch, uint8_t el) {
	console_puts("gen-purgatory: arch=");
	console_puts(arch);
	console_puts(" el=");
	rt_putc(el);
	console_puts(" handoff=");
	console_puthex((uint64_t)(uintptr_t)h);
	range(" image=", h->image_addr, h->image_size);
	range(" initrd=", h->initrd_addr, h->initrd_size);
	console_puts(" cmdline=\"");
	console_putn((const uint8_t *)(uintptr_t)h->cmdline_addr, h->cmdline_size);
	rt_putc('"');
	rt_putc('\n');
}
