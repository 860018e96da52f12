// SPDX-License-Identifier: MIT
/*
 * lib/qtest.c: base64 as qtest's b64read/b64write speak it (no QEMU
 * needed), then the client against a real QEMU (q35, -S, a qtest socket;
 * skipped without QEMU): guest RAM read and written in every way, a piece
 * boundary crossed, PCI config cycles that find q35's host bridge, and a
 * QEMU that went away failing the calls instead of hanging them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu_vm.h"
#include "qtest.h"

static void test_b64(void **state)
{
	static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const coded[] = {
		"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
	};
	uint8_t bytes[300], back[300];
	char text[512], out[16];

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		assert_int_equal(qtest_b64_encode(plain[i], strlen(plain[i]), text),
				 strlen(coded[i]));
		assert_string_equal(text, coded[i]);
		assert_int_equal(qtest_b64_decode(coded[i], out, sizeof(out)), strlen(plain[i]));
		assert_memory_equal(out, plain[i], strlen(plain[i]));
	}
	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(i * 151 + 7);
	qtest_b64_encode(bytes, sizeof(bytes), text);
	assert_int_equal(qtest_b64_decode(text, back, sizeof(back)), sizeof(bytes));
	assert_memory_equal(back, bytes, sizeof(bytes));
	/* Refused: a character outside the alphabet, more than fits. */
	assert_int_equal(qtest_b64_decode("Zm9v!", out, sizeof(out)), -1);
	assert_int_equal(qtest_b64_decode("Zm9vYmFy", out, 3), -1);
}

static bool have_qemu(void)
{
	return !system("qemu-system-x86_64 --version >/dev/null 2>&1");
}

struct live {
	char dir[64];
	char qtest_opt[128];
	char path[128];
	struct qemu_vm vm;
	struct qtest qt;
};

static void live_start(struct live *l)
{
	struct qemu_vm_config c = { .name = "qt", .mem_mb = 32 };

	snprintf(l->dir, sizeof(l->dir), "/tmp/test_qtest.XXXXXX");
	assert_non_null(mkdtemp(l->dir));
	snprintf(l->qtest_opt, sizeof(l->qtest_opt), "unix:%s/qt.qt,server=on,wait=off",
		 l->dir);
	snprintf(l->path, sizeof(l->path), "%s/qt.qt", l->dir);
	c.sock_dir = l->dir;
	c.extra[0] = "-S";	/* never runs: the firmware cannot touch RAM */
	c.extra[1] = "-qtest";
	c.extra[2] = l->qtest_opt;
	c.extra[3] = "-qtest-log";
	c.extra[4] = "none";
	if (qemu_vm_start(&l->vm, &c, 20000))
		fail_msg("%s", l->vm.error);
	if (qtest_connect(&l->qt, l->path, 10000))
		fail_msg("%s", l->qt.error);
}

static void live_stop(struct live *l)
{
	char path[160];

	qtest_close(&l->qt);
	qemu_vm_kill(&l->vm);
	unlink(l->vm.serial_log);
	unlink(l->vm.stderr_log);
	snprintf(path, sizeof(path), "%s/qt.qt", l->dir);
	unlink(path);
	rmdir(l->dir);
}

static void test_memory(void **state)
{
	size_t len = (256u << 10) * 2 + 4099;	/* three pieces, the last odd */
	uint8_t *buf, *back;
	struct live l;
	uint64_t q;
	uint32_t v;

	if (!have_qemu())
		skip();
	live_start(&l);
	assert_int_equal(qtest_writel(&l.qt, 0x10000, 0xdeadbeef), 0);
	assert_int_equal(qtest_readl(&l.qt, 0x10000, &v), 0);
	assert_int_equal(v, 0xdeadbeef);
	assert_int_equal(qtest_writeq(&l.qt, 0x10008, 0x0123456789abcdefull), 0);
	assert_int_equal(qtest_readq(&l.qt, 0x10008, &q), 0);
	assert_true(q == 0x0123456789abcdefull);
	/* Little endian, as the guest sees it. */
	assert_int_equal(qtest_readl(&l.qt, 0x1000c, &v), 0);
	assert_int_equal(v, 0x01234567);

	buf = malloc(len);
	back = calloc(1, len);
	assert_non_null(buf);
	assert_non_null(back);
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 13 + (i >> 9));
	assert_int_equal(qtest_memwrite(&l.qt, 0x100001, buf, len), 0);
	assert_int_equal(qtest_memread(&l.qt, 0x100001, back, len), 0);
	assert_memory_equal(back, buf, len);
	assert_int_equal(qtest_readl(&l.qt, 0x100001 + 256 * 1024 - 1, &v), 0);
	assert_int_equal(v & 0xff, buf[256 * 1024 - 1]);
	/* memset: exactly its range, nothing past it. */
	assert_int_equal(qtest_memset(&l.qt, 0x100001, 4095, 0xc3), 0);
	assert_int_equal(qtest_readl(&l.qt, 0x100001 + 4091, &v), 0);
	assert_int_equal(v, 0xc3c3c3c3);
	assert_int_equal(qtest_readl(&l.qt, 0x100001 + 4092, &v), 0);
	assert_int_equal(v, 0xc3c3c3u | (uint32_t)buf[4095] << 24);
	free(buf);
	free(back);
	live_stop(&l);
}

static void test_pci_and_errors(void **state)
{
	struct live l;
	uint32_t v;
	int devfn;

	if (!have_qemu())
		skip();
	live_start(&l);
	/* q35's MCH at 00:00.0, 8086:29c0. */
	assert_int_equal(qtest_pci_read32(&l.qt, 0, 0, &v), 0);
	assert_int_equal(v, 0x29c08086);
	devfn = qtest_pci_find(&l.qt, 0x8086, 0x29c0);
	assert_int_equal(devfn, 0);
	assert_int_equal(qtest_pci_find(&l.qt, 0x8086, 0xe20b), -ENODEV);
	assert_non_null(strstr(l.qt.error, "8086:e20b"));
	/* An empty slot reads all-ones. */
	assert_int_equal(qtest_pci_read32(&l.qt, 5 << 3, 0, &v), 0);
	assert_int_equal(v, 0xffffffff);
	/* Nothing to move: no command at all. */
	assert_int_equal(qtest_memread(&l.qt, 0x1000, &v, 0), 0);
	assert_int_equal(qtest_readl(&l.qt, 0x10000, &v), 0);
	/* QEMU gone: calls fail, saying why, instead of hanging. */
	qemu_vm_kill(&l.vm);
	assert_int_equal(qtest_readl(&l.qt, 0x10000, &v), -EIO);
	assert_non_null(strstr(l.qt.error, "qtest:"));
	live_stop(&l);
	qtest_close(&l.qt);	/* idempotent */
	assert_int_equal(qtest_readl(&l.qt, 0x10000, &v), -EIO);
	assert_non_null(strstr(l.qt.error, "not connected"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_pci_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
