/* module.c — the MODULE command, for a server without a module API.
 *
 * Ember cannot load modules: there is no module API for one to call. The
 * MODULE command still answers every subcommand, so tools that ask which
 * modules are loaded get the true answer (none) and a LOAD is refused with
 * a reason instead of an unknown-command error. LOAD, LOADEX and UNLOAD are
 * protected commands: processCommand refuses them, with Redis's message,
 * unless enable-module-command allows them for the client. Past that
 * check, LOAD and LOADEX fail (the failure is also logged, as a load error
 * would be) and UNLOAD finds no module of that name.
 *
 * INFO's Modules section is empty for the same reason (info.c).
 */
#include "server.h"

/* MODULE LIST: no module is ever loaded. */
void moduleListCommand(client *c) {
    addReplyArrayLen(c, 0);
}

static void refuseModuleLoad(client *c) {
    serverLog(LL_WARNING, "Module %s not loaded: this server has no module API", (char *)c->argv[2]->ptr);
    addReplyError(c, "Error loading the extension. This server has no module API, so it cannot load modules.");
}

/* MODULE LOAD path [arg ...] */
void moduleLoadCommand(client *c) {
    refuseModuleLoad(c);
}

/* MODULE LOADEX path [CONFIG name value ...] [ARGS arg ...] */
void moduleLoadexCommand(client *c) {
    refuseModuleLoad(c);
}

/* MODULE UNLOAD name */
void moduleUnloadCommand(client *c) {
    addReplyError(c, "Error unloading module: no such module with that name");
}

void moduleHelpCommand(client *c) {
    static const char *help[] = {
        "LIST",
        "    List the loaded modules (always empty: this server has no module API).",
        "LOAD <path> [<arg> ...]",
        "    Load the module at <path> with optional arguments (refused: no module API).",
        "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
        "    Load a module with configurations and arguments (refused: no module API).",
        "UNLOAD <name>",
        "    Unload the module <name> (there is none to unload).",
        NULL};
    addReplyHelp(c, help);
}
