/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "commands.h"
#include "file.h"
#include "paths.h"
#include "remind_daemon.h"
#include "reminders.h"
#include "settings.h"
#include "text.h"
#include "util.h"
#include "zone.h"

static const char usage_text[] =
	"Usage: lull remind COMMAND [OPTION]...\n"
	"Evening reminders to wind down.\n"
	"\n"
	"Commands:\n"
	"  add TIME [--days DAYS] [--session NAME] [--message TEXT]\n"
	"                   remind at TIME (22:30 or 10:30pm); DAYS is daily (default),\n"
	"                   weekdays, weekends or a list such as mon,tue,fri\n"
	"  list             the reminders, with the next time each fires\n"
	"  remove ID        forget a reminder\n"
	"  snooze [MINUTES] postpone tonight's reminder (10 minutes; 3 times a night)\n"
	"  skip             no reminder tonight\n"
	"  check            for a shell start-up file: one line if a reminder is due\n"
	"  daemon [--detach]\n"
	"                   deliver reminders on time (desktop, tmux, terminal)\n"
	"\n"
	"Each command takes --help. See lull(1), REMINDERS.\n";

struct sub_help {
	const char *name, *text;
};

static const struct sub_help helps[] = {
	{ "add", "Usage: lull remind add TIME [--days DAYS] [--session NAME] [--message TEXT]\n"
	         "Adds a reminder at TIME, 24-hour 22:30 or 12-hour 10:30pm, in local time.\n"
	         "  -d, --days DAYS      daily (default), weekdays, weekends, or mon,tue,...\n"
	         "  -s, --session NAME   the program to suggest (lull start NAME)\n"
	         "  -m, --message TEXT   the words of the reminder: one line, up to 255 bytes,\n"
	         "                       no control characters\n" },
	{ "list", "Usage: lull remind list [--ids]\n"
	          "Shows each reminder: its id, time, days and the next time it fires.\n"
	          "  --ids   the ids alone, one a line (for shell completion)\n" },
	{ "remove", "Usage: lull remind remove ID\nForgets the reminder with that id.\n" },
	{ "snooze", "Usage: lull remind snooze [MINUTES]\n"
	            "Postpones tonight's reminder by MINUTES (default 10, 1 to 120),\n"
	            "at most 3 times a night.\n" },
	{ "skip", "Usage: lull remind skip\nNo reminder tonight; tomorrow as usual.\n" },
	{ "check", "Usage: lull remind check\n"
	           "For a shell start-up file: prints one line when a reminder's time has\n"
	           "passed tonight and no session has been done since; nothing otherwise.\n"
	           "Always exits 0.\n" },
	{ "daemon", "Usage: lull remind daemon [--detach]\n"
	            "Delivers reminders on time; one per user. Runs in the foreground\n"
	            "(for systemd, tmux or &) unless --detach.\n" },
};

static bool wants_help(int argc, char **argv, const char *sub)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			for (size_t k = 0; k < sizeof helps / sizeof helps[0]; k++)
				if (!strcmp(helps[k].name, sub))
					fputs(helps[k].text, stdout);
			return true;
		}
	}
	return false;
}

/* Everything a command works on. */
struct ctx {
	char *path, *state_path;
	struct reminder_list list;
	struct remind_states states;
	struct settings settings;
	struct sched_zone zone;
	int lock;
	int bad;
};

/* Why a reminder or state file could not be read, in words. */
static const char *load_strerror(int e, bool state)
{
	if (e != EFBIG)
		return file_strerror(e);
	return state ? "larger than lull reads (8 MiB)"
	             : "larger than lull reads (1 MiB; a reminder file is a few lines)";
}

static int ctx_open(struct ctx *c, bool lock, FILE *err)
{
	memset(c, 0, sizeof *c);
	c->lock = -1;
	c->path = paths_file(PATH_CONFIG, "reminders");
	c->state_path = paths_file(PATH_STATE, "remind-state");
	if (!c->path || !c->state_path) {
		if (err)
			fprintf(err, "lull: no home directory (set HOME or XDG_CONFIG_HOME)\n");
		return -1;
	}
	settings_defaults(&c->settings);
	settings_load(&c->settings, NULL, err);
	zone_local(&c->zone);
	if (lock && (c->lock = remind_lock()) < 0) {
		int e = errno;
		char *dir = paths_dir(PATH_STATE);
		fprintf(stderr, "lull: cannot lock the reminder state (in %s): %s\n", dir ? dir : "no state directory",
		        file_strerror(e));
		free(dir);
		return -1;
	}
	/* The reminders are rewritten in the config directory: only one
	 * that is ours alone (as the state and runtime directories). */
	char *cfgdir = lock ? paths_make_dir(PATH_CONFIG) : NULL;
	if (lock && !cfgdir) {
		int e = errno;
		char *dir = paths_dir(PATH_CONFIG);
		fprintf(stderr, "lull: cannot use the config directory %s: %s\n", dir ? dir : "", file_strerror(e));
		free(dir);
		return -1;
	}
	free(cfgdir);
	c->bad = reminders_load(c->path, &c->list, err);
	if (c->bad < 0) {
		if (err)
			fprintf(err, "lull: %s: %s\n", c->path, load_strerror(errno, false));
		return -1;
	}
	if (remind_states_load(c->state_path, &c->states, err) < 0) {
		/* Rewriting a state that could not be read would lose it: the
		 * commands that change it refuse; list goes on without it. */
		int e = errno;
		if (err)
			fprintf(err, "lull: %s: %s%s\n", c->state_path, load_strerror(e, true),
			        lock ? "; not changing the reminders" : "");
		if (lock)
			return -1;
	}
	return 0;
}

static void ctx_close(struct ctx *c)
{
	if (c->lock >= 0)
		close(c->lock);
	reminders_free(&c->list);
	remind_states_free(&c->states);
	free(c->path);
	free(c->state_path);
}

static int ctx_save_states(struct ctx *c)
{
	char *dir = paths_make_dir(PATH_STATE);
	free(dir);
	if (!dir || remind_states_save(c->state_path, &c->states) < 0) {
		fprintf(stderr, "lull: %s: %s\n", c->state_path, file_strerror(errno));
		return -1;
	}
	return 0;
}

static void wake_daemon(void)
{
	long pid = remind_daemon_pid();
	if (pid > 0)
		kill((pid_t)pid, SIGHUP);
}

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

/* The local time of t ("?" for an instant the C library cannot place,
 * which a state file could hold before it was bounded). */
static bool local_tm(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;
	return (int64_t)tt == t && localtime_r(&tt, tm);
}

static void fmt_when(int64_t t, char *buf, size_t n)
{
	struct tm tm;
	if (!local_tm(t, &tm) || strftime(buf, n, "%a %Y-%m-%d %H:%M", &tm) == 0)
		str_copy(buf, "?", n);
}

/* The state of r as the daemon sees it (sched_state_view, the one rule). */
static struct sched_state *state_of(struct ctx *c, const struct reminder *r, int64_t now)
{
	struct sched_state *st = remind_states_get(&c->states, r->id, true);
	sched_state_view(st, NULL, &r->rule, &c->zone, c->settings.evening_end_min, now);
	return st;
}

/* The id for a new reminder: one more than any in the file or the state
 * (an id is not reused while its state is kept), else, past the largest
 * the file can hold, the lowest taken by neither. 0 when all are. */
static int new_id(const struct ctx *c)
{
	int top = remind_states_max_id(&c->states);
	for (size_t i = 0; i < c->list.n; i++)
		if (c->list.v[i].id > top)
			top = c->list.v[i].id;
	if (top < REMIND_ID_MAX)
		return top + 1;
	unsigned char *taken = xcalloc(REMIND_ID_MAX + 1, 1);
	for (size_t i = 0; i < c->list.n; i++)
		if (c->list.v[i].id >= 1 && c->list.v[i].id <= REMIND_ID_MAX)
			taken[c->list.v[i].id] = 1;
	for (size_t i = 0; i < c->states.n; i++)
		if (c->states.v[i].id >= 1 && c->states.v[i].id <= REMIND_ID_MAX)
			taken[c->states.v[i].id] = 1;
	int id = 0;
	for (int k = 1; k <= REMIND_ID_MAX && !id; k++)
		if (!taken[k])
			id = k;
	free(taken);
	return id;
}

/* "; did you mean 'weekdays'?" for --days weekday, "; did you mean 'tue'?"
 * for the first day of a list that is none (mon,tues), else "". */
static const char *days_hint(const char *arg, char *buf, size_t n)
{
	if (*usage_hint(arg, remind_day_words, buf, n))
		return buf;
	char item[32];
	for (const char *p = arg; *p; p += *p == ',') {
		size_t len = strcspn(p, ",");
		snprintf(item, sizeof item, "%.*s", (int)len, p);
		p += len;
		unsigned days;
		if (!remind_parse_days(item, &days))
			return usage_hint(item, remind_day_words, buf, n);
	}
	return buf;
}

static int cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "days", required_argument, NULL, 'd' },
		{ "session", required_argument, NULL, 's' },
		{ "message", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned days = SCHED_DAILY;
	const char *session = "", *message = "";
	char hint[80];
	int o;
	optind = 0; /* GNU: a full restart, with TIME allowed among the options */
	opterr = 0;
	while ((o = getopt_long(argc, argv, "d:s:m:h", opts, NULL)) != -1) {
		switch (o) {
		case 'd':
			if (!remind_parse_days(optarg, &days))
				return usage_error("remind add", "bad days '%s'%s (daily, weekdays, weekends or mon,tue,...)",
				                   optarg, days_hint(optarg, hint, sizeof hint));
			break;
		case 's':
			if (!remind_valid_session(optarg))
				return usage_error("remind add", "bad session name '%s'", optarg);
			/* A program that is not there would be suggested every night. */
			char why[512];
			struct program *p = catalog_load(optarg, why, sizeof why);
			if (!p)
				return usage_error("remind add", "--session: %s", why);
			program_free(p);
			session = optarg;
			break;
		case 'm':
			message = optarg;
			break;
		case '?':
			if (optopt && optopt != '?' && strchr("dsm", optopt))
				return usage_error("remind add", "option '%s' needs a value", argv[optind - 1]);
			return usage_unknown_option("remind add", "", argv[optind - 1], opts);
		default:
			return usage_unknown_option("remind add", "", argv[optind - 1], opts);
		}
	}
	if (optind != argc - 1)
		return usage_error("remind add", "expected one TIME, such as 22:30 or 10:30pm");
	int minute;
	if (!remind_parse_time(argv[optind], &minute))
		return usage_error("remind add", "bad time '%s' (expected 22:30 or 10:30pm)", argv[optind]);
	/* What add writes, the file reads back the same: blanks around the
	 * message are the file's separators, so they go; anything else it
	 * could not hold is refused. */
	char msg[REMIND_MESSAGE_MAX + 2];
	size_t ml = strlen(message);
	const char *ms = message;
	while (ml && (*ms == ' ' || *ms == '\t'))
		ms++, ml--;
	while (ml && (ms[ml - 1] == ' ' || ms[ml - 1] == '\t'))
		ml--;
	if (ml > REMIND_MESSAGE_MAX)
		return usage_error("remind add", "the message is too long (at most %d bytes)", REMIND_MESSAGE_MAX);
	memcpy(msg, ms, ml);
	msg[ml] = '\0';
	const char *why = remind_check_message(msg, session[0] != '\0');
	if (why)
		return usage_error("remind add", "the message %s", why);

	struct ctx c;
	if (ctx_open(&c, true, stderr) < 0) {
		ctx_close(&c);
		return 1;
	}
	if (c.bad > 0) {
		fprintf(stderr, "lull: %s has mistakes (above); fix them first\n", c.path);
		ctx_close(&c);
		return 1;
	}
	/* One reminder a time a night: a second at the same time on a day the
	 * first has would only fire twice. */
	for (size_t i = 0; i < c.list.n; i++) {
		const struct reminder *had = &c.list.v[i];
		if (had->rule.minute == minute && (had->rule.days & days)) {
			char t[8];
			remind_format_time(minute, t, sizeof t);
			fprintf(stderr, "lull: reminder %d is at %s on some of those days already "
				"(lull remind list; remove it first, or choose another time)\n", had->id, t);
			ctx_close(&c);
			return 1;
		}
	}
	int id = new_id(&c);
	if (!id) {
		fprintf(stderr, "lull: every reminder id (1 to %d) is taken\n", REMIND_ID_MAX);
		ctx_close(&c);
		return 1;
	}
	struct reminder *r = reminders_add(&c.list);
	r->id = id;
	r->rule.minute = minute;
	r->rule.days = days;
	str_copy(r->session, session, sizeof r->session);
	str_copy(r->message, msg, sizeof r->message);
	struct reminder added = *r;
	int64_t now = now_s();
	remind_states_drop(&c.states, added.id);
	struct sched_state *st = state_of(&c, &added, now);
	struct sched_fire f = sched_next(&added.rule, st, &c.zone, c.settings.evening_end_min, now);
	if (reminders_save(c.path, &c.list) < 0) {
		fprintf(stderr, "lull: %s: %s\n", c.path, file_strerror(errno));
		ctx_close(&c);
		return 1;
	}
	int rc = ctx_save_states(&c) < 0;
	char t[8], d[40], when[40];
	remind_format_time(minute, t, sizeof t);
	remind_format_days(days, d, sizeof d);
	fmt_when(f.at, when, sizeof when);
	printf("reminder %d: %s %s, next %s\n", added.id, t, d, when);
	ctx_close(&c);
	wake_daemon();
	return rc;
}

static int cmd_list_(int argc, char **argv)
{
	bool ids = argc > 1 && !strcmp(argv[1], "--ids");
	if (argc > 1 + ids)
		return usage_error("remind list", "unexpected argument '%s'", argv[1 + ids]);
	struct ctx c;
	if (ctx_open(&c, false, ids ? NULL : stderr) < 0) {
		ctx_close(&c);
		return 1;
	}
	if (ids) {
		for (size_t i = 0; i < c.list.n; i++)
			printf("%d\n", c.list.v[i].id);
		ctx_close(&c);
		return 0;
	}
	if (c.list.n == 0 && c.bad == 0) {
		printf("no reminders (add one: lull remind add 22:30 --days weekdays)\n");
		ctx_close(&c);
		return 0;
	}
	int64_t now = now_s();
	printf("%-4s %-5s %-20s %-20s %s\n", "ID", "TIME", "DAYS", "NEXT", "MESSAGE");
	for (size_t i = 0; i < c.list.n; i++) {
		const struct reminder *r = &c.list.v[i];
		struct sched_state *st = state_of(&c, r, now);
		struct sched_fire f = sched_next(&r->rule, st, &c.zone, c.settings.evening_end_min, now);
		char t[8], d[40], when[40];
		remind_format_time(r->rule.minute, t, sizeof t);
		remind_format_days(r->rule.days, d, sizeof d);
		if (f.kind == SCHED_NONE)
			str_copy(when, "never", sizeof when);
		else if (f.at <= now)
			str_copy(when, "now (missed)", sizeof when);
		else
			fmt_when(f.at, when, sizeof when);
		/* The message is the file's: shown, never obeyed (text_sanitize). */
		char *msg = text_sanitize(r->message);
		printf("%-4d %-5s %-20s %-20s %s%s%s%s\n", r->id, t, d, when, msg,
		       r->session[0] ? (r->message[0] ? " (" : "(") : "",
		       r->session[0] ? r->session : "", r->session[0] ? ")" : "");
		free(msg);
	}
	ctx_close(&c);
	return c.bad > 0;
}

static int cmd_remove(int argc, char **argv)
{
	if (argc != 2)
		return usage_error("remind remove", "expected one ID (see lull remind list)");
	char *end;
	long id = strtol(argv[1], &end, 10);
	if (*end || id < 1 || id > INT_MAX)
		return usage_error("remind remove", "bad id '%s'", argv[1]);
	struct ctx c;
	if (ctx_open(&c, true, stderr) < 0) {
		ctx_close(&c);
		return 1;
	}
	if (c.bad > 0) {
		fprintf(stderr, "lull: %s has mistakes (above); fix them first\n", c.path);
		ctx_close(&c);
		return 1;
	}
	if (!reminders_remove(&c.list, (int)id)) {
		fprintf(stderr, "lull: no reminder %ld (see lull remind list)\n", id);
		ctx_close(&c);
		return 1;
	}
	int rc = 0;
	if (reminders_save(c.path, &c.list) < 0) {
		fprintf(stderr, "lull: %s: %s\n", c.path, file_strerror(errno));
		rc = 1;
	} else {
		/* The id stays taken while its state is kept, so keep an empty
		 * entry rather than none: a new reminder never inherits it. */
		struct sched_state *st = remind_states_get(&c.states, (int)id, true);
		sched_state_init(st);
		rc = ctx_save_states(&c) < 0;
		printf("removed reminder %ld\n", id);
	}
	ctx_close(&c);
	wake_daemon();
	return rc;
}

static int cmd_snooze(int argc, char **argv)
{
	int minutes = SCHED_SNOOZE_DEFAULT_MIN;
	if (argc > 2)
		return usage_error("remind snooze", "expected at most one MINUTES");
	if (argc == 2) {
		char *end;
		long m = strtol(argv[1], &end, 10);
		if (*end || m < 1 || m > 120)
			return usage_error("remind snooze", "bad minutes '%s' (1 to 120)", argv[1]);
		minutes = (int)m;
	}
	struct ctx c;
	if (ctx_open(&c, true, stderr) < 0) {
		ctx_close(&c);
		return 1;
	}
	int64_t now = now_s();
	int end = c.settings.evening_end_min;
	/* Tonight's reminder: the one whose evening is open, latest first, else
	 * the soonest one due within a day. */
	const struct reminder *pick = NULL;
	struct sched_occ best = { 0, 0, 0 };
	bool best_current = false;
	for (size_t i = 0; i < c.list.n; i++) {
		const struct reminder *r = &c.list.v[i];
		struct sched_occ o;
		bool cur = sched_current(&r->rule, &c.zone, end, now, &o);
		if (!cur && !sched_tonight(&r->rule, &c.zone, end, now, &o))
			continue;
		if (!pick || (cur && !best_current) || (cur == best_current && (cur ? o.start > best.start : o.start < best.start))) {
			pick = r;
			best = o;
			best_current = cur;
		}
	}
	if (!pick) {
		printf("no reminder tonight\n");
		ctx_close(&c);
		return 0;
	}
	struct sched_state *st = state_of(&c, pick, now);
	enum sched_result res = sched_snooze(st, &pick->rule, &c.zone, end, now, minutes);
	int rc = 0;
	if (res == SCHED_TOO_MANY) {
		fprintf(stderr, "lull: already snoozed %d times tonight\n", SCHED_SNOOZE_MAX);
		rc = 1;
	} else if (ctx_save_states(&c) < 0) {
		rc = 1;
	} else {
		char when[16];
		struct tm tm;
		if (!local_tm(st->snooze_until, &tm) || strftime(when, sizeof when, "%H:%M", &tm) == 0)
			str_copy(when, "?", sizeof when);
		char t[8];
		remind_format_time(pick->rule.minute, t, sizeof t);
		printf("reminder %d (%s) snoozed until %s (%d of %d tonight)\n", pick->id, t, when, st->snoozes,
		       SCHED_SNOOZE_MAX);
	}
	ctx_close(&c);
	wake_daemon();
	return rc;
}

static int cmd_skip(int argc, char **argv)
{
	if (argc > 1)
		return usage_error("remind skip", "unexpected argument '%s'", argv[1]);
	struct ctx c;
	if (ctx_open(&c, true, stderr) < 0) {
		ctx_close(&c);
		return 1;
	}
	int64_t now = now_s();
	int n = 0;
	for (size_t i = 0; i < c.list.n; i++) {
		const struct reminder *r = &c.list.v[i];
		struct sched_state *st = state_of(&c, r, now);
		if (sched_skip(st, &r->rule, &c.zone, c.settings.evening_end_min, now, NULL) == SCHED_OK) {
			char t[8];
			remind_format_time(r->rule.minute, t, sizeof t);
			printf("%sreminder %d (%s)", n++ ? ", " : "skipped tonight: ", r->id, t);
		}
	}
	int rc = 0;
	if (n == 0)
		printf("no reminder tonight\n");
	else {
		printf("\n");
		rc = ctx_save_states(&c) < 0;
	}
	ctx_close(&c);
	wake_daemon();
	return rc;
}

/* Must stay cheap (it runs at every login): two small files, one stat, no
 * lock, no writes, and silence on any trouble. */
static int cmd_check_(void)
{
	struct ctx c;
	if (ctx_open(&c, false, NULL) < 0) {
		ctx_close(&c);
		return 0;
	}
	int64_t now = now_s();
	int64_t last_session = 0;
	char *hist = paths_file(PATH_STATE, "history.tsv");
	struct stat st;
	if (hist && stat(hist, &st) == 0)
		last_session = (int64_t)st.st_mtime;
	free(hist);
	for (size_t i = 0; i < c.list.n; i++) {
		const struct reminder *r = &c.list.v[i];
		/* As the daemon and list see it (nothing is written). */
		struct sched_state *s = state_of(&c, r, now);
		int64_t since;
		if (!sched_due(&r->rule, s, &c.zone, c.settings.evening_end_min, now, &since) ||
		    last_session >= since)
			continue;
		char t[8];
		remind_format_time(r->rule.minute, t, sizeof t);
		char *msg = text_sanitize(r->message[0] ? r->message : "a good moment to wind down");
		if (r->session[0])
			printf("lull: it is past %s: %s (lull start %s)\n", t, msg, r->session);
		else
			printf("lull: it is past %s: %s (lull)\n", t, msg);
		free(msg);
		break;
	}
	ctx_close(&c);
	return 0;
}

static int cmd_daemon(int argc, char **argv)
{
	bool detach = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--detach"))
			detach = true;
		else
			return usage_error("remind daemon", "unknown option '%s'", argv[i]);
	}
	return remind_daemon_run(detach);
}

int cmd_remind(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		fputs(usage_text, stdout);
		return 0;
	}
	int sargc = argc - 1;
	char **sargv = argv + 1;
	if (!strcmp(sub, "check"))
		return (wants_help(sargc, sargv, sub)) ? 0 : cmd_check_();
	if (wants_help(sargc, sargv, sub))
		return 0;
	if (!strcmp(sub, "add"))
		return cmd_add(sargc, sargv);
	if (!strcmp(sub, "list"))
		return cmd_list_(sargc, sargv);
	if (!strcmp(sub, "remove") || !strcmp(sub, "rm"))
		return cmd_remove(sargc, sargv);
	if (!strcmp(sub, "snooze"))
		return cmd_snooze(sargc, sargv);
	if (!strcmp(sub, "skip"))
		return cmd_skip(sargc, sargv);
	if (!strcmp(sub, "daemon"))
		return cmd_daemon(sargc, sargv);
	static const char *const subs[] = { "add", "list", "remove", "rm", "snooze", "skip", "check", "daemon", NULL };
	char hint[80];
	return usage_error("remind", "unknown remind command '%s'%s", sub, usage_hint(sub, subs, hint, sizeof hint));
}
