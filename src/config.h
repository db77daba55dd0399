/* config.h — configuration: the directive table and CONFIG.
 *
 * config.c owns the table of directives (name, type, default, bounds, the
 * field of `server` it writes), reads redis.conf and --options at start-up,
 * and answers CONFIG GET / SET / RESETSTAT / REWRITE (the rewrite itself is
 * config_rewrite.c). The protected-action check for enable-*-command
 * directives is here because the table owns those values.
 */
#ifndef EMBER_CONFIG_H
#define EMBER_CONFIG_H



typedef struct client client;

void initConfigValues(void);
void loadServerConfig(char *filename, char config_from_stdin, char *options);
/* Logs, once after start-up logging began, each directive the configuration
 * gave a value Ember does not act on yet. */
void configWarnUnimplemented(void);
int rewriteConfig(char *path, int force_write);
int allowProtectedAction(int config, client *c);
int isLocalClient(client *c);
const char *evictPolicyToString(void);
const char *configLogLevelName(int level);
void configGetCommand(client *c);
void configSetCommand(client *c);
void configResetStatCommand(client *c);
void configRewriteCommand(client *c);
void configHelpCommand(client *c);

#endif /* EMBER_CONFIG_H */
