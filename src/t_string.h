/* t_string.h — string values: the string commands and the bit commands.
 *
 * A string value is an OBJ_STRING robj, encoded as an integer, an embedded
 * sds or a raw sds (object.h). t_string.c implements GET, SET and the rest
 * of the string group; bitops.c implements SETBIT, BITCOUNT, BITFIELD ...
 * on the same values. Neither keeps internals of its own to share.
 */
#ifndef EMBER_T_STRING_H
#define EMBER_T_STRING_H



typedef struct client client;

void getCommand(client *c);
void setCommand(client *c);
void setnxCommand(client *c);
void setexCommand(client *c);
void psetexCommand(client *c);
void getsetCommand(client *c);
void getdelCommand(client *c);
void getexCommand(client *c);
void mgetCommand(client *c);
void msetCommand(client *c);
void msetnxCommand(client *c);
void appendCommand(client *c);
void strlenCommand(client *c);
void setrangeCommand(client *c);
void getrangeCommand(client *c);
void incrCommand(client *c);
void decrCommand(client *c);
void incrbyCommand(client *c);
void decrbyCommand(client *c);
void incrbyfloatCommand(client *c);
void lcsCommand(client *c);

void setbitCommand(client *c);
void getbitCommand(client *c);
void bitcountCommand(client *c);
void bitposCommand(client *c);
void bitopCommand(client *c);
void bitfieldCommand(client *c);
void bitfieldroCommand(client *c);

#endif /* EMBER_T_STRING_H */
