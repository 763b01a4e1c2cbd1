/*
 * replay.h — the commands of recordings (replay.c): replay, save and export,
 * rows of the command table in cmd.c. cmd_record, the writer of --record,
 * is declared in cmd.h beside cmd_map_exec, which calls it.
 */
#ifndef MPTUTOR_CMD_REPLAY_H
#define MPTUTOR_CMD_REPLAY_H

struct cmd_env;

/* replay [FILE] [SPEED] [--format NAME | --json] [-o FILE] (argv[0] "replay"). */
int cmd_exec_replay(struct cmd_env *env, int argc, char **argv);
/* save FILE: the last run as a recording. */
int cmd_exec_save(struct cmd_env *env, int argc, char **argv);
/* export FORMAT FILE: the last run in a report format. */
int cmd_exec_export(struct cmd_env *env, int argc, char **argv);

#endif
