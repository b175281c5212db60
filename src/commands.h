/* SPDX-License-Identifier: ISC */
/* The subcommands. Each takes the arguments after its own name (argv[0] is the
 * subcommand's name, as getopt_long expects) and returns the process exit status:
 * 0 success, 1 failure, 2 usage error (cli.h). */
#ifndef LULL_COMMANDS_H
#define LULL_COMMANDS_H

int cmd_menu(int argc, char **argv);    /* cmd_start.c: `lull` alone */
int cmd_start(int argc, char **argv);   /* cmd_start.c */
int cmd_list(int argc, char **argv);    /* cmd_programs.c */
int cmd_show(int argc, char **argv);    /* cmd_programs.c */
int cmd_check(int argc, char **argv);   /* cmd_programs.c */
int cmd_sounds(int argc, char **argv);  /* cmd_render.c (audio/cmd_sounds_null.c) */
int cmd_render(int argc, char **argv);  /* cmd_render.c (audio/cmd_sounds_null.c) */
int cmd_remind(int argc, char **argv);  /* cmd_remind.c */
int cmd_stats(int argc, char **argv);   /* cmd_stats.c */
int cmd_checkin(int argc, char **argv); /* cmd_stats.c */
int cmd_status(int argc, char **argv);  /* cmd_status.c */
int cmd_ssh(int argc, char **argv);     /* cmd_ssh.c */
/* The locale's first day of the week, 0 = Sunday (cmd_stats.c). */
int stats_locale_first_weekday(void);

#endif
