// SPDX-License-Identifier: MIT
/* xe-migtest run / check: the suite in the sim VM. */
#include "cli.h"

int cmd_suite(struct cli *cli, int argc, char **argv, bool strict)
{
	return 2;
}
