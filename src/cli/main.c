/* doppel: the command-line program. Dispatches to one file per command. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

const cli_command cli_commands[] = {
#define DP_COMMAND(name, summary) {#name, summary, cmd_##name},
#include "cli/commands.def"
#undef DP_COMMAND
    {NULL, NULL, NULL},
};

/* Command names are C identifiers in commands.def; on the command line '_' is written '-'
 * (init_model is `doppel init-model`). */
static int name_is(const char *def, const char *arg)
{
    for (; *def && *arg; def++, arg++)
        if (*def != *arg && !(*def == '_' && *arg == '-'))
            return 0;
    return *def == *arg;
}

static void print_help(FILE *out)
{
    fprintf(out,
            "doppel %s - text similarity and plagiarism detection\n\n"
            "Usage: doppel COMMAND [OPTIONS] [ARGS]\n"
            "       doppel COMMAND --help\n"
            "       doppel --version\n\nCommands:\n",
            doppel_version());
    for (const cli_command *c = cli_commands; c->name; c++) {
        char shown[32];
        snprintf(shown, sizeof shown, "%s", c->name);
        for (char *p = shown; *p; p++)
            *p = *p == '_' ? '-' : *p;
        fprintf(out, "  %-12s %s\n", shown, c->summary);
    }
    fprintf(out,
            "\nExit codes (every command):\n"
            "  0  success, whether or not anything similar was found\n"
            "  1  similar documents found (only with --exit-code)\n"
            "  2  usage error\n"
            "  3  runtime error (I/O, model, out of memory)\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_help(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("doppel %s\n", doppel_version());
        return EXIT_OK;
    }
    for (const cli_command *c = cli_commands; c->name; c++)
        if (name_is(c->name, name))
            return c->run(argc - 1, argv + 1);
    if (name[0] == '-')
        return cli_usage_error(NULL, "unknown option '%s'", name);
    return cli_usage_error(NULL, "unknown command '%s'", name);
}
