/* The subcommands. Each takes the arguments after its own name (argv[0] is the
 * subcommand's name, as getopt_long expects) and returns the process exit status:
 * 0 success, 1 failure, 2 usage error (cli.h). */
#ifndef LULL_COMMANDS_H
#define LULL_COMMANDS_H

int cmd_menu(int argc, char **argv);    /* session_cmd.c: `lull` alone */
int cmd_start(int argc, char **argv);   /* session_cmd.c */
int cmd_list(int argc, char **argv);    /* programs_cmd.c */
int cmd_show(int argc, char **argv);    /* programs_cmd.c */
int cmd_check(int argc, char **argv);   /* programs_cmd.c */
int cmd_sounds(int argc, char **argv);  /* sounds_cmd.c */
int cmd_render(int argc, char **argv);  /* sounds_cmd.c */
int cmd_remind(int argc, char **argv);  /* remind_cmd.c */
int cmd_stats(int argc, char **argv);   /* stats_cmd.c */
int cmd_checkin(int argc, char **argv); /* stats_cmd.c */

#endif
