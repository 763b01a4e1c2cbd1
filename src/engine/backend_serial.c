/*
 * backend_serial.c — the baseline: one worker in the calling process running
 * the items in order (the thread pool with a single worker, so run_start still
 * returns at once and the run can be watched and cancelled like the others).
 */
#include "engine/pool.h"

const struct backend_ops backend_serial_ops = {
    .kind = BACKEND_SERIAL,
    .start = pool_thread_start,
    .reap = pool_thread_reap,
    .kill = pool_thread_kill,
    .stop = pool_thread_stop,
    .cpu_ns = pool_thread_cpu_ns,
};
