/* Entry points of the commands listed in commands.def, each in cmd_NAME.c. */
#ifndef DP_CLI_COMMANDS_H
#define DP_CLI_COMMANDS_H

#define DP_COMMAND(name, summary) int cmd_##name(int argc, char **argv);
#include "cli/commands.def"
#undef DP_COMMAND

#endif
